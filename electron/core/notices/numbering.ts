// Document numbers (发文字号) from per-device blocks of a series: the centre leases this device
// ranges during sync (electron/core/sync/leases.ts), or, on a device the centre does not serve, an
// administrator types them; issuing takes the next number in the same transaction that stores the
// document. Once the centre leases a series here, only its leases are used for that series (a
// typed block could overlap another device's lease). Two devices with disjoint blocks never collide.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { formatDocumentNo } from '../../../shared/notices/layout';
import type { NoticeType } from '../../../shared/notices/schemas';
import { DEFAULT_BLOCK_SIZE, DEFAULT_PATTERNS, seriesLabel, type NumberSeries } from '../../../shared/notices/series';

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

/** The issuing bodies a default block is given when the series has never had a block. */
export interface DefaultIssuers {
  agency: string;
  committee: string;
}

/**
 * Numbering out of the box: a series that has no block for the year, on a device the centre
 * has never given blocks (enrolled devices number only from the centre's leases), gets a local
 * block 1–9999 with the pattern and issuer of its latest block, or the default pattern and the
 * office's name. The administrator sees it in 系统管理 → 文号号段 and can add another.
 */
async function defaultBlock(db: Db, clock: Clock, series: string, year: number, issuers: DefaultIssuers): Promise<boolean> {
  const any = await db
    .selectFrom('doc_number_blocks')
    .select(['source'])
    .where('series', '=', series)
    .where('year', '=', year)
    .executeTakeFirst();
  if (any) return false;
  const leased = await db
    .selectFrom('doc_number_blocks')
    .select('id')
    .where((eb) => eb.or([eb('source', '=', 'sync'), eb('lease_id', 'is not', null)]))
    .executeTakeFirst();
  if (leased) return false;
  const latest = await db
    .selectFrom('doc_number_blocks')
    .select(['pattern', 'issuer'])
    .where('series', '=', series)
    .orderBy('year', 'desc')
    .orderBy('first_no', 'desc')
    .executeTakeFirst();
  const pattern = latest?.pattern ?? (DEFAULT_PATTERNS as Record<string, string>)[series as NumberSeries] ?? '〔{year}〕{seq}号';
  const issuer = latest?.issuer ?? ((series === 'appraisal' ? issuers.committee : '') || issuers.agency || '经办机构');
  await addBlock(db, clock, { series, pattern, issuer, year, first: 1, last: DEFAULT_BLOCK_SIZE });
  return true;
}

/** Blocks a number may be taken from, in order: a series the centre leases here uses its leases only. */
async function usableBlocks(db: Db, series: string, year: number) {
  const leased = await db
    .selectFrom('doc_number_blocks')
    .select('id')
    .where('series', '=', series)
    .where('year', '=', year)
    .where('lease_id', 'is not', null)
    .executeTakeFirst();
  let q = db
    .selectFrom('doc_number_blocks')
    .selectAll()
    .where('series', '=', series)
    .where('year', '=', year)
    .where('returned_from', 'is', null)
    .whereRef('next_no', '<=', 'last_no');
  if (leased) q = q.where('lease_id', 'is not', null);
  return q.orderBy('first_no').execute();
}

/** Must run inside the transaction that stores the document. */
export async function takeNumber(
  db: Db,
  series: string,
  year: number,
  defaults?: { clock: Clock; issuers: DefaultIssuers },
): Promise<{ documentNo: string; issuer: string }> {
  if (defaults) await defaultBlock(db, defaults.clock, series, year, defaults.issuers);
  const block = (await usableBlocks(db, series, year))[0];
  if (!block)
    throw new ApiError(
      'RULE_REFUSED',
      `本机没有 ${year} 年“${seriesLabel(series)}”文号可用：已在中心注册的电脑联网同步后由中心补发号段；未注册的电脑请管理员在“系统管理 → 文号号段”中新增号段`,
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
    remaining: r.returned_from === null ? r.last_no - r.next_no + 1 : 0,
    source: r.source,
    leased: r.lease_id !== null,
    returnedFrom: r.returned_from,
    returnAcknowledged: r.return_acked_at !== null,
  }));
}

/**
 * Hands a block back (an administrator, e.g. a laptop leaving service): closed here in the
 * calling transaction, so no number is taken from it again, and reported to the centre at the
 * next sync (a leased block) — the centre may lease the unused rest to another device.
 */
export async function returnBlock(db: Db, clock: Clock, id: string): Promise<{ series: string; year: number; from: number; last: number }> {
  const b = await db.selectFrom('doc_number_blocks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!b) throw new ApiError('NOT_FOUND', '没有这个号段');
  if (b.returned_from !== null) throw new ApiError('RULE_REFUSED', `这个号段已于 ${b.returned_at ?? ''} 交还，不能再次交还`);
  await db
    .updateTable('doc_number_blocks')
    .set({ returned_from: b.next_no, returned_at: chinaInstant(clock.now()) })
    .where('id', '=', id)
    .where('returned_from', 'is', null)
    .execute();
  return { series: b.series, year: b.year, from: b.next_no, last: b.last_no };
}

/**
 * The next `count` numbers of a series as takeNumber would hand them out, without taking any
 * (for rendering a batch ahead; the numbers are taken, in order, when each document is issued).
 */
export async function peekNumbers(db: Db, series: string, year: number, count: number): Promise<{ documentNo: string; issuer: string }[]> {
  const blocks = await usableBlocks(db, series, year);
  const out: { documentNo: string; issuer: string }[] = [];
  for (const b of blocks)
    for (let n = b.next_no; n <= b.last_no && out.length < count; n++)
      out.push({ documentNo: formatDocumentNo(b.pattern, year, n), issuer: b.issuer });
  return out;
}
