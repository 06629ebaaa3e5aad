// Merging rows another device wrote into a file (the hearing package) into this store, where no
// centre decides: the catalogue's fileMerge rules (shared/sync/tables.ts; docs/hearing-package.md
// has the table). Runs in the caller's transaction with foreign keys deferred; every write is
// checked against this store's unique values first, and every reference of every written row
// is checked at the end. Any refusal throws, so the caller's transaction writes nothing.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { canonical } from '../../../shared/crypto/canonical';
import type { FileMergeRule } from '../../../shared/sync/tables';
import { maskIdNumber } from '../cases/masking';
import { fromFileRow, keyString, toFileRow, type FileRow } from './row-codec';
import type { StoreMeta, TableMeta } from './table-meta';

type Db = Kysely<Database>;
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

export type TableCount = { table: string; label: string; added: number; updated: number; unchanged: number; keptLocal: number };
type CaseFate = 'new' | 'taken' | 'same' | 'local-newer';

export interface FileMergeContext {
  /** The file's rows of a table. */
  rows(table: string): FileRow[];
  /** A case's number for messages (from the file or this store). */
  caseLabel(caseId: string): Promise<string>;
  /** A rule for one row other than the table's (e.g. 'local' for rows the file may add but not change). */
  ruleFor?(t: TableMeta, row: FileRow): FileMergeRule | null;
  /** Refusal messages end with this (what to do). */
  remedy: string;
  refuse(message: string): never;
}

export interface MergeOutcome {
  counts: TableCount[];
  /** Rows written, for the caller's checks. */
  written: { t: TableMeta; row: FileRow }[];
  /** Cases whose row or worker changed: the search index follows them. */
  reindex: Set<string>;
}

async function loadByKey(db: Db, t: TableMeta, row: FileRow): Promise<FileRow | undefined> {
  let q = (db as unknown as AnyDb).selectFrom(t.table).selectAll();
  for (const k of t.pk) q = q.where(k, '=', row[k]);
  const found = await q.executeTakeFirst();
  return found ? toFileRow(t, found) : undefined;
}

/** Merges the file's rows of the given tables, in that order. */
export async function mergeFileRows(db: Db, meta: StoreMeta, tables: readonly string[], ctx: FileMergeContext): Promise<MergeOutcome> {
  const any = db as unknown as AnyDb;
  // Conclusions and requests refer to each other: references are checked at the end, together.
  await sql`PRAGMA defer_foreign_keys = ON`.execute(db);
  const caseFate = new Map<string, CaseFate>();
  const fileConclusions = new Set(ctx.rows('appraisal_conclusions').map((r) => String(r.id)));
  const out: MergeOutcome = { counts: [], written: [], reindex: new Set() };
  const updatedWorkers = new Set<string>();

  for (const table of tables) {
    const t = meta.tables.get(table)!;
    const count: TableCount = { table, label: t.spec.label, added: 0, updated: 0, unchanged: 0, keptLocal: 0 };
    const write = async (row: FileRow, mode: 'insert' | 'update') => {
      await uniqueCheck(db, t, row, ctx);
      const decoded = fromFileRow(t, row);
      out.written.push({ t, row });
      if (mode === 'insert') {
        await any.insertInto(table).values(decoded).execute();
        count.added++;
      } else {
        let q = any.updateTable(table).set(Object.fromEntries(Object.entries(decoded).filter(([k]) => !t.pk.includes(k))));
        for (const k of t.pk) q = q.where(k, '=', row[k]);
        await q.execute();
        count.updated++;
      }
    };

    for (const row of ctx.rows(table)) {
      const local = await loadByKey(db, t, row);
      if (local && canonical(local) === canonical(row)) {
        count.unchanged++;
        if (table === 'cases') caseFate.set(String(row.id), 'same');
        continue;
      }
      const mode = local ? 'update' : 'insert';
      if (t.spec.merge === 'append-only') {
        if (local) ctx.refuse(appendOnlyConflict(t, row, await ctx.caseLabel(String(row.case_id)), ctx.remedy));
        if (table === 'appraisal_conclusions') {
          const other = await db
            .selectFrom('appraisal_conclusions')
            .select('id')
            .where('case_id', '=', String(row.case_id))
            .where('hearing_id', '=', String(row.hearing_id))
            .executeTakeFirst();
          if (other)
            ctx.refuse(
              `案件 ${await ctx.caseLabel(String(row.case_id))} 在专场中的鉴定结论已在两台电脑上分别签发，不能合并，未导入任何数据。请由鉴定委员会核对后以其中一份为准，再联系管理员处理`,
            );
        }
        await write(row, 'insert');
        continue;
      }
      const rule = ctx.ruleFor?.(t, row) ?? t.spec.fileMerge;
      if (!rule) throw new Error(`no file merge rule for ${table}`);
      const vcol = t.spec.versionColumn;
      switch (rule) {
        case 'case': {
          const fate: CaseFate = local ? await caseMerge(db, row, local, ctx) : 'new';
          caseFate.set(String(row.id), fate);
          if (fate === 'local-newer') count.keptLocal++;
          else {
            await write(row, mode);
            out.reindex.add(String(row.id));
          }
          break;
        }
        case 'case-detail': {
          const fate = caseFate.get(String(row.case_id));
          const newer = !!local && !!vcol && Number(row[vcol]) > Number(local[vcol]);
          if (!local || fate === 'new' || fate === 'taken' || newer) await write(row, mode);
          else count.keptLocal++;
          break;
        }
        case 'hearing': {
          if (typeof row.case_id === 'string' && typeof row.hearing_id === 'string') {
            const signedHere = await db
              .selectFrom('appraisal_conclusions')
              .select('id')
              .where('case_id', '=', row.case_id)
              .where('hearing_id', '=', row.hearing_id)
              .execute();
            if (signedHere.some((c) => !fileConclusions.has(c.id)))
              ctx.refuse(
                `案件 ${await ctx.caseLabel(row.case_id)} 的鉴定结论已在本机签发，而专场包中没有这份结论（专场包是签发之前导出的），不能用它改动已签发案件的到场和专家意见记录，未导入任何数据。请使用签发之后导出的专场包`,
              );
          }
          await write(row, mode);
          break;
        }
        case 'newer':
          if (!local || String(row.updated_at) > String(local.updated_at)) {
            await write(row, mode);
            if (table === 'workers') updatedWorkers.add(String(row.id));
          } else count.keptLocal++;
          break;
        case 'local':
          if (local) count.keptLocal++;
          else await write(row, 'insert');
          break;
      }
    }
    out.counts.push(count);
  }

  // Every reference of every written row must now hold. Only written rows can break one.
  for (const { t, row } of out.written) {
    for (const fk of t.fks) {
      const v = row[fk.from];
      if (v === null || v === undefined) continue;
      if (await any.selectFrom(fk.table).select(fk.to).where(fk.to, '=', v).executeTakeFirst()) continue;
      ctx.refuse(`专场包中的${t.spec.label}记录引用了本机和专场包中都没有的数据（${fk.table}.${fk.to}），未导入任何数据。${ctx.remedy}`);
    }
  }
  for (const id of updatedWorkers)
    for (const c of await db.selectFrom('cases').select('id').where('worker_id', '=', id).execute()) out.reindex.add(c.id);
  return out;
}

/** The case rule: see shared/sync/tables.ts FileMergeRule and docs/hearing-package.md. */
async function caseMerge(db: Db, file: FileRow, local: FileRow, ctx: FileMergeContext): Promise<CaseFate> {
  const order = (a: { at: string; id: string }, b: { at: string; id: string }) =>
    a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1;
  const theirs = ctx
    .rows('case_transitions')
    .filter((t) => t.case_id === file.id)
    .map((t) => ({ at: String(t.at), id: String(t.id) }))
    .sort(order)
    .map((t) => t.id);
  const ours = (await db.selectFrom('case_transitions').select(['id', 'at']).where('case_id', '=', String(file.id)).execute())
    .sort(order)
    .map((t) => t.id);
  const isPrefix = (a: string[], b: string[]) => a.length <= b.length && a.every((id, i) => b[i] === id);
  const fv = Number(file.version);
  const lv = Number(local.version);
  if (fv > lv && isPrefix(ours, theirs)) return 'taken';
  if (fv < lv && isPrefix(theirs, ours)) return 'local-newer';
  return ctx.refuse(
    `案件 ${await ctx.caseLabel(String(file.id))} 在本机和专场包中都有变动（本机第 ${lv} 版，专场包第 ${fv} 版，办理记录各有对方没有的步骤），不能自动合并，未导入任何数据。` +
      '请核对两台电脑上该案件的办理记录，在一台电脑上补办后重新导出专场包；或先把该案件移出专场再导出',
  );
}

function appendOnlyConflict(t: TableMeta, row: FileRow, caseLabel: string, remedy: string): string {
  if (t.table === 'issued_documents')
    return `文号 ${String(row.document_no)} 的文书在本机和专场包中内容不同（已出具的文书不能修改），未导入任何数据。请联系管理员核对两台电脑上的这份文书`;
  if (t.table === 'appraisal_conclusions')
    return `案件 ${caseLabel} 的已签发鉴定结论在本机和专场包中内容不同（签发后的结论不能修改），未导入任何数据。请联系管理员核对`;
  return `案件 ${caseLabel} 的${t.spec.label}在本机和专场包中内容不同（该记录只能追加、不能修改），文件可能被改动过，未导入任何数据。${remedy}`;
}

/** A row may not take a unique value (case number, 文号, 身份证号 …) another local row holds. */
async function uniqueCheck(db: Db, t: TableMeta, row: FileRow, ctx: FileMergeContext): Promise<void> {
  const any = db as unknown as AnyDb;
  for (const cols of t.uniques) {
    if (cols.some((c) => row[c] === null || row[c] === undefined)) continue;
    let q = any.selectFrom(t.table).select(t.pk);
    for (const c of cols) q = q.where(c, '=', row[c]);
    const hits = await q.execute();
    if (!hits.some((h) => keyString(t, h) !== keyString(t, row))) continue;
    if (t.table === 'issued_documents') ctx.refuse(appendOnlyConflict(t, row, '', ctx.remedy));
    const shown = cols.map((c) => (c === 'id_number' ? maskIdNumber(String(row[c])) : String(row[c]))).join('、');
    ctx.refuse(
      `专场包中的${t.spec.label}（${shown}）在本机已有另一条记录，可能是两台电脑分别登记了同一对象，不能自动合并，未导入任何数据。请联系管理员核对`,
    );
  }
}
