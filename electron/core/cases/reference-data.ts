// Reference data kept at the counter: the platform list and platform accident reports
// (事故备案, 第十三条). Both arrive by sync later; until then an administrator maintains the
// platforms and imports reports from a file. An import is all-or-nothing.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError, type FieldIssue } from '../../../shared/api/errors';
import {
  accidentReportInputSchema,
  type AccidentReportInput,
  type AccidentReportView,
  type Platform,
} from '../../../shared/api/methods/cases';
import { validateIdNumberAt } from './intake-rules';
import { checkCreditCode } from '../../../shared/identity/credit-code';

type Db = Kysely<Database>;

export async function listPlatforms(db: Db): Promise<Platform[]> {
  const rows = await db.selectFrom('platforms').selectAll().orderBy('industry').orderBy('name').execute();
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    legalName: r.legal_name,
    industry: r.industry as Platform['industry'],
    creditCode: r.credit_code,
    active: r.active === 1,
  }));
}

export async function savePlatform(db: Db, clock: Clock, p: Platform): Promise<void> {
  const sameName = await db
    .selectFrom('platforms')
    .select('code')
    .where('name', '=', p.name)
    .where('code', '!=', p.code)
    .executeTakeFirst();
  if (sameName) throw new ApiError('CONFLICT', `已有名为“${p.name}”的平台`, [{ path: 'name', message: '名称重复' }]);
  const creditCode = p.creditCode?.trim().toUpperCase() || null;
  if (creditCode) {
    const check = checkCreditCode(creditCode);
    if (!check.ok)
      throw new ApiError('INVALID_INPUT', `统一社会信用代码有误：${check.message}`, [{ path: 'creditCode', message: check.message }]);
  }
  const values = {
    code: p.code,
    name: p.name,
    legal_name: p.legalName?.trim() || null,
    industry: p.industry,
    credit_code: creditCode,
    active: p.active ? (1 as const) : (0 as const),
    updated_at: chinaInstant(clock.now()),
  };
  await db
    .insertInto('platforms')
    .values(values)
    .onConflict((oc) => oc.column('code').doUpdateSet(values))
    .execute();
}

/** Each record is checked against the contract's report schema; one bad record refuses the file. */
export async function importAccidentReports(
  db: Db,
  clock: Clock,
  reports: unknown[],
  today: string,
): Promise<{ imported: number; skipped: number }> {
  const platforms = new Map(
    (await db.selectFrom('platforms').select(['code', 'name']).execute()).flatMap((p) => [
      [p.code, p.code] as const,
      [p.name, p.code] as const,
    ]),
  );
  const issues: FieldIssue[] = [];
  const valid: (AccidentReportInput & { platformCode: string })[] = [];
  reports.forEach((raw, i) => {
    const r = accidentReportInputSchema.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues.slice(0, 3))
        issues.push({ path: `第 ${i + 1} 条.${issue.path.join('.')}`, message: issue.message });
      return;
    }
    const code = platforms.get(r.data.platform);
    if (!code) issues.push({ path: `第 ${i + 1} 条.platform`, message: `平台“${r.data.platform}”不在名录中` });
    const id = validateIdNumberAt(r.data.idNumber, today);
    if (!id.ok) issues.push({ path: `第 ${i + 1} 条.idNumber`, message: id.message });
    if (code && id.ok) valid.push({ ...r.data, platformCode: code });
  });
  if (issues.length > 0) {
    throw new ApiError(
      'INVALID_INPUT',
      `导入文件有 ${issues.length} 处错误，未导入任何记录。第一处：${issues[0]!.path} ${issues[0]!.message}`,
      issues.slice(0, 50),
    );
  }
  let imported = 0;
  let skipped = 0;
  const now = chinaInstant(clock.now());
  for (const r of valid) {
    const exists = await db.selectFrom('accident_reports').select('id').where('report_no', '=', r.reportNo).executeTakeFirst();
    if (exists) {
      skipped++;
      continue;
    }
    await db
      .insertInto('accident_reports')
      .values({
        id: newId(),
        report_no: r.reportNo,
        platform_code: r.platformCode,
        worker_name: r.workerName,
        id_number: r.idNumber,
        phone: r.phone,
        accident_at: r.accidentAt,
        place: r.place,
        order_no: r.orderNo,
        order_accepted_at: r.orderAcceptedAt,
        order_finished_at: r.orderFinishedAt,
        description: r.description,
        reported_at: r.reportedAt,
        source: 'import',
        case_id: null,
        imported_at: now,
      })
      .execute();
    imported++;
  }
  return { imported, skipped };
}

export async function searchAccidentReports(db: Db, q: string): Promise<AccidentReportView[]> {
  const term = q.trim().toUpperCase();
  const rows = await db
    .selectFrom('accident_reports')
    .innerJoin('platforms', 'platforms.code', 'accident_reports.platform_code')
    .selectAll('accident_reports')
    .select('platforms.name as platform_name')
    .where((eb) =>
      eb.or([
        eb('accident_reports.id_number', '=', term),
        eb('accident_reports.report_no', '=', term),
        eb('accident_reports.worker_name', '=', q.trim()),
        eb('accident_reports.phone', '=', term),
        eb('accident_reports.order_no', '=', q.trim()),
      ]),
    )
    .orderBy('accident_reports.accident_at', 'desc')
    .limit(20)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    reportNo: r.report_no,
    platform: r.platform_code,
    platformName: r.platform_name,
    workerName: r.worker_name,
    idNumber: r.id_number,
    phone: r.phone,
    accidentAt: r.accident_at,
    place: r.place,
    orderNo: r.order_no,
    orderAcceptedAt: r.order_accepted_at,
    orderFinishedAt: r.order_finished_at,
    description: r.description,
    reportedAt: r.reported_at,
    caseId: r.case_id,
  }));
}
