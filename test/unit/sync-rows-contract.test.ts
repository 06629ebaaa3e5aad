// The push contract's hand-written row check (shared/sync/protocol.ts rowsSchema) must agree with
// the plain zod schema it stands in for: same acceptance, same output, same issues (path, code and
// Chinese message), for good rows, every kind of bad row, and random JSON.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import '../../shared/api/define';
import { MUTATION_MAX_ROWS, mutationSchema, pushRequestSchema, rowChangeSchema } from '../../shared/sync/protocol';

const plainMutation = mutationSchema.extend({ rows: z.array(rowChangeSchema).max(MUTATION_MAX_ROWS) });
const plainPush = pushRequestSchema.extend({ mutations: z.array(plainMutation).min(1).max(500) });

function same(body: unknown): void {
  const fast = pushRequestSchema.safeParse(body);
  const plain = plainPush.safeParse(body);
  expect(fast.success).toBe(plain.success);
  if (fast.success && plain.success) expect(fast.data).toEqual(plain.data);
  else expect(fast.error!.issues).toEqual(plain.error!.issues);
}

const change = {
  table: 'cases',
  key: { id: 'c1' },
  op: 'upsert',
  baseVersion: null,
  version: 1,
  row: { id: 'c1', title: '案件', amount: 12.5, note: null, pdf: { $blob: 'a'.repeat(64) } },
};
const mutation = {
  seq: 1,
  mutationId: '0190a2b4-1c2d-7e3f-8a9b-0c1d2e3f4a5b',
  kind: 'cases.register',
  entity: 'case',
  entityId: 'c1',
  userId: 'u1',
  userName: '受理员',
  rulePack: null,
  schemaVersion: 530,
  at: '2026-11-24T10:00:00+08:00',
  rows: [change],
  audit: null,
};
const push = (rows: unknown): unknown => ({ protocol: 1, catalogueVersion: 1, mutations: [{ ...mutation, rows }] });

describe('push contract: the fast row check', () => {
  it('agrees with the plain schema on good rows and on each kind of bad row', () => {
    const bad: unknown[] = [
      [change],
      [],
      [{ ...change, op: 'delete', row: null, baseVersion: 3, version: 4 }],
      undefined,
      null,
      'rows',
      {},
      [null],
      [[change]],
      [{ ...change, extra: 1 }],
      [{ ...change, table: undefined }],
      [{ table: 'cases', key: { id: 'c1' }, op: 'upsert', version: 1, row: null }],
      [{ ...change, table: 'Cases' }],
      [{ ...change, table: 'x'.repeat(65) }],
      [{ ...change, table: 7 }],
      [{ ...change, op: 'merge' }],
      [{ ...change, baseVersion: -1 }],
      [{ ...change, baseVersion: 1.5 }],
      [{ ...change, baseVersion: '1' }],
      [{ ...change, version: 0 }],
      [{ ...change, version: 2 ** 60 }],
      [{ ...change, key: null }],
      [{ ...change, key: [] }],
      [{ ...change, key: { id: 'x'.repeat(201) } }],
      [{ ...change, key: { ['k'.repeat(65)]: 1 } }],
      [{ ...change, key: { id: null } }],
      [{ ...change, key: { id: true } }],
      [{ ...change, row: 'row' }],
      [{ ...change, row: [] }],
      [{ ...change, row: { 'Bad Column': 1 } }],
      [{ ...change, row: { ['c'.repeat(65)]: 1 } }],
      [{ ...change, row: { '9col': 1 } }],
      [{ ...change, row: { note: true } }],
      [{ ...change, row: { note: [1] } }],
      [{ ...change, row: { note: 'x'.repeat(1_000_001) } }],
      [{ ...change, row: { pdf: { $blob: 'nothex' } } }],
      [{ ...change, row: { pdf: { $blob: 'a'.repeat(64), more: 1 } } }],
      [{ ...change, row: { pdf: {} } }],
      [change, { ...change, row: { 'Bad Column': 1 } }, { ...change, op: 'merge' }],
      Array.from({ length: MUTATION_MAX_ROWS + 1 }, () => change),
      JSON.parse('[{"table":"cases","key":{"__proto__":1},"op":"upsert","baseVersion":null,"version":1,"row":null}]'),
      JSON.parse('[{"table":"cases","key":{"id":"c1"},"op":"upsert","baseVersion":null,"version":1,"row":{"__proto__":1}}]'),
    ];
    for (const rows of bad) same(push(rows));
  });

  it('agrees with the plain schema on random JSON rows', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 5 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constant(null),
      fc.boolean(),
      fc.record({ $blob: fc.oneof(fc.constant('b'.repeat(64)), fc.string({ maxLength: 3 })) }),
    );
    const rowChange = fc.record(
      {
        table: fc.oneof(fc.constantFrom('cases', 'case_materials', 'Bad'), fc.string({ maxLength: 3 })),
        key: fc.oneof(
          fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null))),
          fc.constant(null),
        ),
        op: fc.constantFrom('upsert', 'delete', 'merge'),
        baseVersion: fc.oneof(fc.constant(null), fc.integer({ min: -2, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
        version: fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constant('1')),
        row: fc.oneof(
          fc.constant(null),
          fc.dictionary(fc.oneof(fc.constantFrom('id', 'note', 'pdf', '_x9'), fc.string({ maxLength: 4 })), cell),
        ),
        extra: fc.integer(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(rowChange, { maxLength: 4 }), (rows) => same(push(JSON.parse(JSON.stringify(rows))))),
      { numRuns: 2000 },
    );
  });
});
