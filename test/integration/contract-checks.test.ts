// The contract checked both ways. (1) Under the test host the dispatcher checks every handler's
// result against its method's output schema, and a mismatch (a wrong type, or a field the
// contract does not name) fails the call loudly and leaves nothing behind; production hosts skip
// the check. (2) electron/core/db-schema.ts, kysely's view of the tables, matches the real tables
// after every migration: columns, nullability and types, read from pragma_table_info, so a new
// column missing from db-schema.ts (or a type that drifted) fails here.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatcher';
import { handlers } from '../../electron/core/app-core';
import type { Handlers } from '../../electron/core/rpc-types';
import { makeTestCore, setupAdmin, tempDir, type TestCore } from '../helpers/core';
import { openCore, runAsOperator } from '../../electron/cli/cli-core';

let t: TestCore;
beforeEach(() => {
  t = makeTestCore();
});
afterEach(async () => {
  await t.cleanup();
});

const count = (table: string) => (t.store.sqlite.prepare(`SELECT COUNT(*) n FROM ${table}`).get() as { n: number }).n;

describe('handler results are checked against the contract under the test host', () => {
  const leaky: Handlers = {
    ...handlers,
    // A field the contract does not name (think: a raw row with an ID number in it).
    async 'system.info'(input, ctx) {
      return { ...(await handlers['system.info'](input, ctx)), secret: 'x' } as never;
    },
    // Writes, then returns the wrong shape: the write must not survive.
    async 'settings.update'(input, ctx) {
      await handlers['settings.update'](input, ctx);
      return { idleLockMinutes: '10' } as never;
    },
  };

  it('fails the call, naming the method and the path but not the value', async () => {
    const dispatch = createDispatcher(t.store.db, t.deps, leaky);
    const r = await dispatch({ method: 'system.info', input: {} });
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    if (!r.ok) {
      expect(r.error.message).toContain('system.info');
      expect(r.error.message).toContain('secret');
      expect(r.error.message).not.toContain("'x'");
    }
  });

  it('rolls a mutating call back, audit entry and all', async () => {
    const admin = await setupAdmin(t);
    const dispatch = createDispatcher(t.store.db, t.deps, leaky);
    const audit = count('audit_log');
    const r = await dispatch({ method: 'settings.update', input: { agencyName: '改过的名称' }, sessionToken: admin });
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('settings.update') } });
    expect(count('audit_log')).toBe(audit);
    expect((await t.call('settings.get', {}, admin)).agencyName).not.toBe('改过的名称');
  });

  it('is skipped by production hosts', async () => {
    for (const host of ['web', 'electron', 'cli'] as const) {
      const dispatch = createDispatcher(t.store.db, { ...t.deps, host }, leaky);
      expect(await dispatch({ method: 'system.info', input: {} })).toMatchObject({ ok: true, result: { secret: 'x', host } });
    }
  });

  it('the command line reports its own host', async () => {
    const dir = tempDir();
    const core = openCore({ positionals: [], flags: { data: dir } });
    try {
      expect((await runAsOperator(core, 'system.info', {})).host).toBe('cli');
    } finally {
      await core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- db-schema.ts against the tables ----

type Kind = 'TEXT' | 'NUMBER' | 'BLOB';
interface Column {
  kind: Kind;
  nullable: boolean;
}

let declaredCache: Map<string, Map<string, Column>> | undefined;

/** The Database interface of db-schema.ts, read with the TypeScript checker: table → column → kind and nullability. */
function declaredSchema(): Map<string, Map<string, Column>> {
  return (declaredCache ??= readDeclaredSchema());
}

function readDeclaredSchema(): Map<string, Map<string, Column>> {
  const file = path.resolve('electron/core/db-schema.ts');
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: ['node'],
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const database = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Database');
  if (!database) throw new Error('db-schema.ts has no Database interface');
  const kindOf = (type: ts.Type, where: string): Kind => {
    if (type.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.StringLiteral)) return 'TEXT';
    if (type.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.NumberLiteral)) return 'NUMBER';
    const name = type.getSymbol()?.getName();
    if (name === 'Buffer' || name === 'Uint8Array') return 'BLOB';
    throw new Error(`${where}: db-schema.ts uses a type the store cannot hold (${checker.typeToString(type)})`);
  };
  const tables = new Map<string, Map<string, Column>>();
  for (const member of checker.getTypeAtLocation(database).getProperties()) {
    const tableType = checker.getTypeOfSymbolAtLocation(member, database);
    const columns = new Map<string, Column>();
    for (const col of tableType.getProperties()) {
      let type = checker.getTypeOfSymbolAtLocation(col, database);
      // kysely's Generated<T> / ColumnType<S, I, U>: the selected type is what the column holds.
      const select = type.getProperty('__select__');
      if (select) type = checker.getTypeOfSymbolAtLocation(select, database);
      const parts = type.isUnion() ? type.types : [type];
      const nullable = parts.some((p) => p.flags & ts.TypeFlags.Null);
      const kinds = new Set(
        parts.filter((p) => !(p.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined))).map((p) => kindOf(p, `${member.name}.${col.name}`)),
      );
      if (kinds.size !== 1) throw new Error(`${member.name}.${col.name}: mixes ${[...kinds].join(' and ')}`);
      columns.set(col.name, { kind: [...kinds][0]!, nullable });
    }
    tables.set(member.name, columns);
  }
  return tables;
}

/** The same, generated from the store after every migration. */
function actualSchema(sqlite: TestCore['store']['sqlite']): {
  tables: Map<string, Map<string, Column>>;
  fts: Set<string>;
  views: Set<string>;
} {
  // Views (audit_log, migration 604) are declared like tables; SQLite keeps no types or
  // nullability for a view's columns, so only their names are compared.
  const rows = sqlite
    .prepare(
      "SELECT name, sql, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'",
    )
    .all() as { name: string; sql: string; type: string }[];
  const views = new Set(rows.filter((r) => r.type === 'view').map((r) => r.name));
  const fts = new Set(rows.filter((r) => /USING fts5/i.test(r.sql)).map((r) => r.name));
  // FTS5 keeps its index in shadow tables named after the virtual table; kysely never sees them.
  const shadow = (name: string) => [...fts].some((f) => ['data', 'idx', 'content', 'docsize', 'config'].some((x) => name === `${f}_${x}`));
  const tables = new Map<string, Map<string, Column>>();
  for (const { name } of rows.filter((r) => !shadow(r.name))) {
    const info = sqlite.prepare('SELECT name, type, "notnull" AS not_null, pk FROM pragma_table_info(?)').all(name) as {
      name: string;
      type: string;
      not_null: number;
      pk: number;
    }[];
    const columns = new Map<string, Column>();
    for (const c of info) {
      const type = c.type.toUpperCase();
      const kind: Kind = type === 'BLOB' ? 'BLOB' : type === 'INTEGER' || type === 'REAL' ? 'NUMBER' : 'TEXT';
      // STRICT tables keep primary-key columns non-null; FTS5 columns have no declared type.
      columns.set(c.name, { kind, nullable: c.not_null === 0 && c.pk === 0 && !fts.has(name) });
    }
    // FTS5 answers MATCH on a hidden column named after the table (see db-schema.ts).
    if (fts.has(name)) columns.set(name, { kind: 'TEXT', nullable: false });
    tables.set(name, columns);
  }
  return { tables, fts, views };
}

describe('db-schema.ts matches the tables after all migrations', () => {
  it('has every table and column, with the same nullability and type', () => {
    const declared = declaredSchema();
    const { tables: actual, views } = actualSchema(t.store.sqlite);
    const problems: string[] = [];
    for (const name of actual.keys()) if (!declared.has(name)) problems.push(`表 ${name} 不在 db-schema.ts 的 Database 中`);
    for (const name of declared.keys()) if (!actual.has(name)) problems.push(`db-schema.ts 声明了不存在的表 ${name}`);
    for (const [table, columns] of actual) {
      const mine = declared.get(table);
      if (!mine) continue;
      for (const [col, real] of columns) {
        const d = mine.get(col);
        if (!d) problems.push(`${table}.${col}: 数据库有此列，db-schema.ts 没有`);
        else if (!views.has(table)) {
          if (d.kind !== real.kind) problems.push(`${table}.${col}: 类型 ${d.kind}（db-schema.ts）≠ ${real.kind}（数据库）`);
          if (d.nullable !== real.nullable)
            problems.push(
              `${table}.${col}: ${real.nullable ? '数据库允许 NULL，db-schema.ts 未写 | null' : 'db-schema.ts 写了 | null，数据库为 NOT NULL'}`,
            );
        }
      }
      for (const col of mine.keys()) if (!columns.has(col)) problems.push(`${table}.${col}: db-schema.ts 有此列，数据库没有`);
    }
    expect(problems).toEqual([]);
    // Not vacuous: every table of the store was compared.
    expect(declared.size).toBe(actual.size);
    expect(actual.size).toBeGreaterThan(20);
  });

  it('notices a column added by a migration but missing from db-schema.ts', () => {
    t.store.sqlite.exec('ALTER TABLE cases ADD COLUMN sync_version INTEGER');
    const declared = declaredSchema();
    const { tables } = actualSchema(t.store.sqlite);
    expect(tables.get('cases')!.has('sync_version')).toBe(true);
    expect(declared.get('cases')!.has('sync_version')).toBe(false);
  });
});
