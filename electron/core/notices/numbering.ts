// Document numbers (发文字号) from per-device blocks of a series: an administrator (later the
// central system, by sync) gives this device a range, and issuing takes the next number in the
// same transaction that stores the document. Two devices with disjoint blocks never collide.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { formatDocumentNo } from '../../../shared/notices/layout';
import type { NoticeType } from '../../../shared/notices/schemas';

type Db = Kysely<Database>;

/** Which numbering series each document type draws from. */
export const SERIES_OF: Record<NoticeType, string> = {
  acceptance: 'intake',
  supplement: 'intake',
  confirmation: 'confirmation',
  'non-confirmation': 'confirmation',
  'appraisal-conclusion': 'appraisal',
  'session-report': 'appraisal',
  'benefit-determination': 'benefits',
  'platform-statement': 'benefits',
  // A 送达回证 carries the number of the document it proves delivered, not one of its own.
  'delivery-receipt': 'delivery',
};

export interface BlockInput {
  series: string;
  pattern: string;
  issuer: string;
  year: number;
  first: number;
  last: number;
}

export async function addBlock(db: Db, clock: Clock, b: BlockInput, source: 'admin' | 'sync' = 'admin'): Promise<string> {
  if (!/\{seq(?::\d+)?\}/.test(b.pattern))
    throw new ApiError('INVALID_INPUT', '文号格式须包含 {seq}（序号），例如 青人社鉴〔{year}〕第{seq:4}号', [
      { path: 'pattern', message: '缺少 {seq}' },
    ]);
  if (b.last < b.first) throw new ApiError('INVALID_INPUT', '号段的结束号不能小于起始号', [{ path: 'last', message: '小于起始号' }]);
  const overlap = await db
    .selectFrom('doc_number_blocks')
    .select(['first_no', 'last_no'])
    .where('series', '=', b.series)
    .where('year', '=', b.year)
    .where('first_no', '<=', b.last)
    .where('last_no', '>=', b.first)
    .executeTakeFirst();
  if (overlap) throw new ApiError('CONFLICT', `号段与本机已有号段 ${overlap.first_no}–${overlap.last_no} 重叠，请换一个不重叠的号段`);
  const id = newId();
  await db
    .insertInto('doc_number_blocks')
    .values({
      id,
      series: b.series,
      pattern: b.pattern,
      issuer: b.issuer,
      year: b.year,
      first_no: b.first,
      last_no: b.last,
      next_no: b.first,
      source,
      created_at: chinaInstant(clock.now()),
    })
    .execute();
  return id;
}

/** Must run inside the transaction that stores the document. */
export async function takeNumber(db: Db, series: string, year: number): Promise<{ documentNo: string; issuer: string }> {
  const block = await db
    .selectFrom('doc_number_blocks')
    .selectAll()
    .where('series', '=', series)
    .where('year', '=', year)
    .whereRef('next_no', '<=', 'last_no')
    .orderBy('first_no')
    .executeTakeFirst();
  if (!block)
    throw new ApiError(
      'RULE_REFUSED',
      `本机没有 ${year} 年“${series}”序列可用的文号，请管理员在“系统管理 → 文号”中设置号段（或联网后由中心分配）`,
    );
  await db
    .updateTable('doc_number_blocks')
    .set({ next_no: block.next_no + 1 })
    .where('id', '=', block.id)
    .where('next_no', '=', block.next_no)
    .execute();
  return { documentNo: formatDocumentNo(block.pattern, year, block.next_no), issuer: block.issuer };
}

export async function listBlocks(db: Db) {
  const rows = await db.selectFrom('doc_number_blocks').selectAll().orderBy('series').orderBy('year').orderBy('first_no').execute();
  return rows.map((r) => ({
    id: r.id,
    series: r.series,
    pattern: r.pattern,
    issuer: r.issuer,
    year: r.year,
    first: r.first_no,
    last: r.last_no,
    next: r.next_no,
    remaining: r.last_no - r.next_no + 1,
    source: r.source,
  }));
}

/**
 * The next `count` numbers of a series as takeNumber would hand them out, without taking any
 * (for rendering a batch ahead; the numbers are taken, in order, when each document is issued).
 */
export async function peekNumbers(db: Db, series: string, year: number, count: number): Promise<{ documentNo: string; issuer: string }[]> {
  const blocks = await db
    .selectFrom('doc_number_blocks')
    .selectAll()
    .where('series', '=', series)
    .where('year', '=', year)
    .whereRef('next_no', '<=', 'last_no')
    .orderBy('first_no')
    .execute();
  const out: { documentNo: string; issuer: string }[] = [];
  for (const b of blocks)
    for (let n = b.next_no; n <= b.last_no && out.length < count; n++)
      out.push({ documentNo: formatDocumentNo(b.pattern, year, n), issuer: b.issuer });
  return out;
}
