// The centre's re-check of a same-accident merge (issue #13; docs/sync-protocol.md §10): a case
// with a signed document or conclusion is never the one closed, because signed records belong to
// their own case. The deciding device checks this against what it holds, but another computer of
// the same office may have signed for that case meanwhile, and only the centre sees both: a merge
// that would close such a case is refused here (hook in push.ts), and the duplicate stays open for
// a person to decide the other way.
import { sql } from 'kysely';
import type { Mutation } from '../../shared/sync/protocol';
import type { Db } from '../db/database';
import type { Refusal } from './roles';

export const MERGE_REFUSED = 'MERGE_SIGNED';

/** Cases a batch would close as merged → what the centre holds signed for each (Chinese). */
export type SignedMerged = Map<string, string>;

function mergedCaseIds(m: Mutation): string[] {
  const out: string[] = [];
  for (const r of m.rows)
    if (r.table === 'case_merges' && r.op === 'upsert' && typeof r.row?.merged_case_id === 'string') out.push(r.row.merged_case_id);
  return out;
}

/** One read per batch, and none when the batch merges nothing. */
export async function signedAmongMerged(trx: Db, batch: readonly Mutation[]): Promise<SignedMerged> {
  const ids = [...new Set(batch.flatMap(mergedCaseIds))];
  const out: SignedMerged = new Map();
  if (ids.length === 0) return out;
  const r = await sql<{ case_id: string; table_name: string; document_no: string | null }>`
    SELECT case_id, table_name, row ->> 'document_no' AS document_no FROM records
    WHERE case_id IN (${sql.join(ids)}) AND table_name IN ('issued_documents', 'appraisal_conclusions') AND NOT deleted
    ORDER BY table_name DESC, created_at`.execute(trx);
  for (const x of r.rows) {
    if (out.has(x.case_id)) continue;
    out.set(x.case_id, x.table_name === 'issued_documents' ? `已签发文书（文号 ${x.document_no ?? '未知'}）` : '已有签署的鉴定结论');
  }
  return out;
}

/** Refuses a merge that would close a case the centre holds signed records for, else null. */
export function checkMerge(signed: SignedMerged, m: Mutation): Refusal | null {
  if (signed.size === 0) return null;
  for (const id of mergedCaseIds(m)) {
    const what = signed.get(id);
    if (what === undefined) continue;
    return {
      code: MERGE_REFUSED,
      message: `按中心记录，要关闭的案件${what}（可能由本机构另一台电脑办理），签发的记录只属于该案，不能把它并入其他案件；如确属同一事故，请由对方机构把其案件并入该案`,
    };
  }
  return null;
}
