// 疑点筛查: runs the rule pack's screening rules over cases (inside the transaction that changed
// them, see monitoring/derived.ts) and keeps one flag per (case, rule, evidence key). A flag names
// its rule, article and evidence; it never blocks a move. A hit that no longer holds lapses; a
// flag someone cleared with a reason stays cleared while its evidence is the same.
import type { Insertable, Kysely } from 'kysely';
import type { CaseFlagsTable, Database } from '../db-schema';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { fenToYuan, RuleError, selectRulePack, type RulePack } from '../../../shared/rules';
import { APPLICANT_LABELS } from '../../../shared/cases/enums';
import {
  aboveUsual,
  describeOrderWindow,
  ordersOutsideWindow,
  repeatedClaims,
  type FlagHit,
  type ScreeningRule,
} from '../../../shared/screening/rules';
import { categoryLabel } from '../../../shared/monitoring/categories';
import type { DerivedContext } from '../monitoring/derived-context';

type Db = Kysely<Database>;
type RuleOf<C extends ScreeningRule['code']> = Extract<ScreeningRule, { code: C }>;

function packOf(ctx: DerivedContext, date: string): RulePack | null {
  try {
    return selectRulePack(ctx.rules.packs, ctx.rules.jurisdiction, date);
  } catch (e) {
    if (e instanceof RuleError) return null;
    throw e;
  }
}

function ruleOf<C extends ScreeningRule['code']>(pack: RulePack, code: C): RuleOf<C> | null {
  const r = pack.screening.rules.find((x) => x.code === code);
  return r && r.enabled ? (r as RuleOf<C>) : null;
}

function inList<T>(xs: T[], n = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** The cases whose flags can change with these: the same person's other cases and cases sharing an invoice number. */
async function related(db: Db, caseIds: string[]): Promise<string[]> {
  const all = new Set(caseIds);
  for (const ids of inList(caseIds)) {
    const sameWorker = await db
      .selectFrom('cases as c')
      .innerJoin('cases as o', 'o.worker_id', 'c.worker_id')
      .select('o.id')
      .where('c.id', 'in', ids)
      .execute();
    for (const r of sameWorker) all.add(r.id);
    const sameInvoice = await db
      .selectFrom('medical_bills as b')
      .innerJoin('medical_bills as o', 'o.invoice_no', 'b.invoice_no')
      .select('o.case_id')
      .where('b.case_id', 'in', ids)
      .execute();
    for (const r of sameInvoice) all.add(r.case_id);
  }
  return [...all];
}

interface CaseRow {
  id: string;
  worker_id: string;
  registration_no: string;
  case_no: string | null;
  accident_at: string;
  accident_date: string;
  orders: string;
  applicant_kind: string;
  accident_report_id: string | null;
  id_number: string;
}

const label = (c: { registration_no: string; case_no: string | null }) => c.case_no ?? c.registration_no;

async function hitsFor(db: Db, ctx: DerivedContext, cases: CaseRow[]): Promise<Map<string, { pack: RulePack; hits: FlagHit[] }>> {
  const out = new Map<string, { pack: RulePack; hits: FlagHit[] }>();
  const ids = cases.map((c) => c.id);
  const workerIds = [...new Set(cases.map((c) => c.worker_id))];
  const bills = await db.selectFrom('medical_bills').select(['case_id', 'invoice_no', 'hospital']).where('case_id', 'in', ids).execute();
  const invoices = [...new Set(bills.map((b) => b.invoice_no))];
  const sharing =
    invoices.length === 0
      ? []
      : await db
          .selectFrom('medical_bills')
          .innerJoin('cases', 'cases.id', 'medical_bills.case_id')
          .select(['medical_bills.case_id', 'medical_bills.invoice_no', 'medical_bills.hospital', 'cases.registration_no', 'cases.case_no'])
          .where('medical_bills.invoice_no', 'in', invoices)
          .execute();
  const siblings = await db
    .selectFrom('cases')
    .select(['id', 'worker_id', 'registration_no', 'case_no', 'accident_date'])
    .where('worker_id', 'in', workerIds)
    .execute();
  // Deaths recorded on a person's cases (登记死亡, case_deaths).
  const deaths = await db
    .selectFrom('case_deaths')
    .innerJoin('cases', 'cases.id', 'case_deaths.case_id')
    .select(['cases.id as case_id', 'cases.worker_id', 'cases.registration_no', 'cases.case_no', 'case_deaths.death_date'])
    .where('cases.worker_id', 'in', workerIds)
    .execute();
  const facts = await db
    .selectFrom('case_facts')
    .select(['case_id', 'injury_type', 'bill_total_fen'])
    .where('case_id', 'in', ids)
    .execute();
  const factOf = new Map(facts.map((f) => [f.case_id, f]));
  const medians = new Map<string, { n: number; median: number | null }>();
  const reports = await db
    .selectFrom('accident_reports')
    .select(['id_number', 'accident_at', 'report_no'])
    .where('id_number', 'in', [...new Set(cases.map((c) => c.id_number))])
    .execute();

  const group = <T, K>(xs: T[], key: (x: T) => K) => {
    const m = new Map<K, T[]>();
    for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
    return m;
  };
  const billsOf = group(bills, (b) => b.case_id);
  const sharingOf = group(sharing, (b) => b.invoice_no);
  const siblingsOf = group(siblings, (x) => x.worker_id);
  const deathsOf = group(deaths, (d) => d.worker_id);
  const reportsOf = group(reports, (r) => r.id_number);

  for (const c of cases) {
    const pack = packOf(ctx, c.accident_date);
    if (!pack) continue;
    const hits: FlagHit[] = [];
    const hit = (rule: ScreeningRule, key: string, summary: string, evidence: FlagHit['evidence']) =>
      hits.push({ caseId: c.id, code: rule.code, key, summary, evidence });

    const window = ruleOf(pack, 'accident_outside_order');
    if (window) {
      const orders = JSON.parse(c.orders) as { orderNo: string; acceptedAt: string | null; finishedAt: string | null }[];
      for (const o of ordersOutsideWindow(c.accident_at, orders, window.toleranceMinutes))
        hit(window, o.orderNo, describeOrderWindow(c.accident_at, o), {
          订单号: o.orderNo,
          事故时间: c.accident_at.slice(0, 16).replace('T', ' '),
          接单时间: o.acceptedAt?.replace('T', ' ') ?? null,
          完成时间: o.finishedAt?.replace('T', ' ') ?? null,
          相差分钟: o.minutesOutside,
          容差分钟: window.toleranceMinutes,
        });
    }

    const dup = ruleOf(pack, 'duplicate_invoice');
    if (dup) {
      for (const b of billsOf.get(c.id) ?? []) {
        const others = (sharingOf.get(b.invoice_no) ?? []).filter((x) => x.case_id !== c.id);
        if (others.length === 0) continue;
        hit(dup, b.invoice_no, `票据号 ${b.invoice_no} 同时出现在案件 ${others.map(label).join('、')} 中`, {
          票据号: b.invoice_no,
          本案医院: b.hospital,
          其他案件: others.map(label).join('、'),
          其他医院: [...new Set(others.map((o) => o.hospital))].join('、'),
        });
      }
    }

    const repeated = ruleOf(pack, 'repeated_claims');
    if (repeated) {
      const mine = (siblingsOf.get(c.worker_id) ?? []).map((s) => ({ ...s, accidentDate: s.accident_date }));
      const own = mine.find((s) => s.id === c.id);
      const found = own ? repeatedClaims(own, mine, repeated.minClaims, repeated.windowDays) : null;
      if (found)
        hit(
          repeated,
          String(found.length),
          `同一人员 ${repeated.windowDays} 日内有 ${found.length} 次申请（${found.map((s) => `${label(s)} 事故日 ${s.accidentDate}`).join('；')}）`,
          {
            申请次数: found.length,
            期间天数: repeated.windowDays,
            阈值次数: repeated.minClaims,
            案件: found.map(label).join('、'),
            事故日期: found.map((s) => s.accidentDate).join('、'),
          },
        );
    }

    const usual = ruleOf(pack, 'bills_above_usual');
    const f = factOf.get(c.id);
    if (usual && f && f.bill_total_fen > 0) {
      let m = medians.get(f.injury_type);
      if (!m) {
        const n = Number(
          (
            await db
              .selectFrom('case_facts')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('injury_type', '=', f.injury_type)
              .where('bill_total_fen', '>', 0)
              .executeTakeFirstOrThrow()
          ).n,
        );
        const row =
          n === 0
            ? undefined
            : await db
                .selectFrom('case_facts')
                .select('bill_total_fen')
                .where('injury_type', '=', f.injury_type)
                .where('bill_total_fen', '>', 0)
                .orderBy('bill_total_fen')
                .limit(1)
                .offset(Math.floor((n - 1) / 2))
                .executeTakeFirst();
        m = { n, median: row?.bill_total_fen ?? null };
        medians.set(f.injury_type, m);
      }
      if (aboveUsual(f.bill_total_fen, m.median, m.n, usual)) {
        const type = categoryLabel(f.injury_type, ctx.categories.injuryTypes);
        hit(
          usual,
          String(f.bill_total_fen),
          `医疗费合计 ${fenToYuan(f.bill_total_fen)} 元，超过同类伤情（${type}）${m.n} 件案件中位数 ${fenToYuan(m.median!)} 元的 ${usual.factor} 倍`,
          {
            本案医疗费: fenToYuan(f.bill_total_fen),
            伤情类型: type,
            同类案件数: m.n,
            同类中位数: fenToYuan(m.median!),
            倍数阈值: usual.factor,
          },
        );
      }
    }

    const dead = ruleOf(pack, 'worker_reported_dead');
    if (dead) {
      for (const d of deathsOf.get(c.worker_id) ?? []) {
        if (d.case_id === c.id || !d.death_date || c.accident_date <= d.death_date) continue;
        hit(dead, d.case_id, `人员已于 ${d.death_date} 因职业伤害死亡（案件 ${label(d)}），本案事故日期 ${c.accident_date} 在其后`, {
          死亡日期: d.death_date,
          记录案件: label(d),
          本案事故日期: c.accident_date,
        });
      }
    }

    const silent = ruleOf(pack, 'platform_silent');
    if (silent && c.applicant_kind !== 'platform' && !c.accident_report_id) {
      const day = (d: string) => Date.parse(`${d.slice(0, 10)}T00:00:00Z`) / 86_400_000;
      const near = (reportsOf.get(c.id_number) ?? []).filter(
        (r) => Math.abs(day(r.accident_at) - day(c.accident_date)) <= silent.reportWindowDays,
      );
      if (near.length === 0)
        hit(
          silent,
          'no-report',
          `由${APPLICANT_LABELS[c.applicant_kind as keyof typeof APPLICANT_LABELS] ?? '本人'}申请，平台企业未报案（事故前后 ${silent.reportWindowDays} 日内无事故备案）`,
          {
            申请人类型: APPLICANT_LABELS[c.applicant_kind as keyof typeof APPLICANT_LABELS] ?? c.applicant_kind,
            事故日期: c.accident_date,
            查找范围天数: silent.reportWindowDays,
          },
        );
    }
    out.set(c.id, { pack, hits });
  }
  return out;
}

/** Runs every enabled rule for these cases (and the cases their flags depend on) and updates the flags. */
export async function screenCases(db: Db, ctx: DerivedContext, caseIds: string[]): Promise<void> {
  if (caseIds.length === 0) return;
  const all = await related(db, caseIds);
  for (const ids of inList(all)) {
    const cases = await db
      .selectFrom('cases')
      .innerJoin('workers', 'workers.id', 'cases.worker_id')
      .select([
        'cases.id',
        'cases.worker_id',
        'cases.registration_no',
        'cases.case_no',
        'cases.accident_at',
        'cases.accident_date',
        'cases.orders',
        'cases.applicant_kind',
        'cases.accident_report_id',
        'workers.id_number',
      ])
      .where('cases.id', 'in', ids)
      .execute();
    const results = await hitsFor(db, ctx, cases);
    const existing = await db.selectFrom('case_flags').selectAll().where('case_id', 'in', ids).execute();
    // Clearings made here or on a colleague's device (they travel; the flags do not).
    const clearances = new Map(
      (await db.selectFrom('case_flag_clearances').selectAll().where('case_id', 'in', ids).execute()).map((c) => [
        `${c.case_id}|${c.code}|${c.key}`,
        c,
      ]),
    );
    const byKey = new Map(existing.map((f) => [`${f.case_id}|${f.code}|${f.key}`, f]));
    const seen = new Set<string>();
    // New flags go in 100 rows a statement (a pull page raises hundreds at once); nothing below reads them.
    const raised: Insertable<CaseFlagsTable>[] = [];
    for (const [, { pack, hits }] of results) {
      for (const h of hits) {
        const k = `${h.caseId}|${h.code}|${h.key}`;
        seen.add(k);
        const rule = pack.screening.rules.find((r) => r.code === h.code)!;
        const evidence = JSON.stringify(h.evidence);
        const prev = byKey.get(k);
        const cleared = clearances.get(k);
        if (!prev) {
          raised.push({
            id: newId(),
            case_id: h.caseId,
            code: h.code,
            key: h.key,
            label: rule.label,
            article: rule.article,
            summary: h.summary,
            evidence,
            pack_id: pack.id,
            pack_version: pack.version,
            status: cleared ? 'cleared' : 'open',
            raised_at: ctx.now,
            lapsed_at: null,
            cleared_by: cleared?.cleared_by ?? null,
            cleared_at: cleared?.cleared_at ?? null,
            clear_reason: cleared?.clear_reason ?? null,
          });
        } else if (prev.status === 'lapsed') {
          await db
            .updateTable('case_flags')
            .set({
              status: 'open',
              raised_at: ctx.now,
              lapsed_at: null,
              summary: h.summary,
              evidence,
              label: rule.label,
              article: rule.article,
            })
            .where('id', '=', prev.id)
            .execute();
        } else if (prev.status === 'open' && (prev.summary !== h.summary || prev.evidence !== evidence)) {
          await db.updateTable('case_flags').set({ summary: h.summary, evidence }).where('id', '=', prev.id).execute();
        }
      }
    }
    for (let i = 0; i < raised.length; i += 100)
      await db
        .insertInto('case_flags')
        .values(raised.slice(i, i + 100))
        .execute();
    const lapsed = existing.filter((f) => f.status === 'open' && !seen.has(`${f.case_id}|${f.code}|${f.key}`)).map((f) => f.id);
    if (lapsed.length > 0)
      await db.updateTable('case_flags').set({ status: 'lapsed', lapsed_at: ctx.now }).where('id', 'in', lapsed).execute();
  }
}

/** A person clears a flag after looking: the reason is kept with it (and audited by the dispatcher). */
export async function clearFlag(db: Db, now: string, userId: string, flagId: string, reason: string) {
  const f = await db.selectFrom('case_flags').selectAll().where('id', '=', flagId).executeTakeFirst();
  if (!f) throw new ApiError('NOT_FOUND', '疑点记录不存在，请刷新后重试');
  if (f.status !== 'open')
    throw new ApiError('CONFLICT', f.status === 'cleared' ? '该疑点已核查清除，无需重复操作' : '该疑点的条件已消除，无需清除');
  if (!reason.trim()) throw new ApiError('INVALID_INPUT', '请写明核查情况和清除理由', [{ path: 'reason', message: '请填写清除理由' }]);
  await db
    .updateTable('case_flags')
    .set({ status: 'cleared', cleared_by: userId, cleared_at: now, clear_reason: reason.trim() })
    .where('id', '=', flagId)
    .where('status', '=', 'open')
    .execute();
  // The clearing travels to colleagues' devices (sync), where it clears the same flag.
  await db
    .insertInto('case_flag_clearances')
    .values({ case_id: f.case_id, code: f.code, key: f.key, cleared_by: userId, cleared_at: now, clear_reason: reason.trim() })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return f;
}

export async function flagsOfCase(db: Db, caseId: string) {
  const rows = await db
    .selectFrom('case_flags')
    .leftJoin('users', 'users.id', 'case_flags.cleared_by')
    .selectAll('case_flags')
    .select('users.display_name as cleared_by_name')
    .where('case_id', '=', caseId)
    .orderBy('raised_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    label: r.label,
    article: r.article,
    summary: r.summary,
    evidence: JSON.parse(r.evidence) as Record<string, string | number | null>,
    status: r.status,
    raisedAt: r.raised_at,
    lapsedAt: r.lapsed_at,
    clearedBy: r.cleared_by_name ?? null,
    clearedAt: r.cleared_at,
    clearReason: r.clear_reason,
  }));
}
