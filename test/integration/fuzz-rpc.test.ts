// Fuzz: thousands of generated malformed inputs to every method of the contract, as a stranger,
// a low role and an administrator. Each must get the structured error its caller deserves (a
// stranger UNAUTHENTICATED, a role without access FORBIDDEN, anyone else INVALID_INPUT: never
// INTERNAL, never schema details before authentication) and nothing may be written: no row in
// any table, no audit entry, not one change counted by SQLite. Seeded, so a failure reproduces.
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { hearingScene } from '../helpers/appraisal';
import { storeState } from '../helpers/store-state';
import { api, type MethodName } from '../../shared/api/contract';
import { normaliseInput } from '../../shared/api/input-text';
import type { Role } from '../../shared/roles';

const SEED = Number(process.env.OIP_FUZZ_SEED ?? 20261124);
const PER_METHOD = Number(process.env.OIP_FUZZ_RUNS ?? 14);

let t: TestCore;
let callers: { name: string; token: string | null; roles: Role[] }[];

beforeAll(async () => {
  t = makeTestCore();
  const admin = await setupAdmin(t);
  const scene = await hearingScene(t, admin);
  // A case, a hearing, experts, staff of every stage: the handlers have something to refuse.
  callers = [
    { name: 'stranger', token: null, roles: [] },
    { name: 'intake clerk', token: scene.clerk, roles: ['intake_clerk'] },
    { name: 'administrator', token: admin, roles: ['admin'] },
  ];
}, 120_000);
afterAll(async () => {
  await t.cleanup();
});

/** Text no field should take as it is: lone surrogates, controls, overrides, oversize, deep nesting. */
const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '\uD800',
    'a\uDC00b',
    '\u0000',
    '王\u202E五',
    '\u200B',
    'x'.repeat(5000),
    '0190a4c0-0000-7000-8000-00000000000Z',
    ' ',
    '',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 1e308, NaN),
  fc.array(hostileString, { maxLength: 4 }),
  fc.anything({ maxDepth: 3, maxKeys: 4 }),
  // Deeper than any input: refused before it is walked.
  fc.constant(JSON.parse('['.repeat(100) + ']'.repeat(100)) as unknown),
);

function inputsFor(name: MethodName): unknown[] {
  const schema = api[name].input as z.ZodType;
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : [];
  const shaped =
    keys.length > 0
      ? fc.dictionary(fc.constantFrom(...keys), hostileValue, { minKeys: 1, maxKeys: keys.length })
      : fc.dictionary(hostileString, hostileValue, { maxKeys: 3 });
  const arb = fc.oneof(shaped, shaped, hostileValue, fc.constant(undefined));
  const valid = (x: unknown) => {
    try {
      return schema.safeParse(normaliseInput(x ?? {})).success;
    } catch {
      return false;
    }
  };
  // Only malformed input: anything the schema accepts is a real call, not a fuzz case.
  return fc
    .sample(arb, { seed: SEED + name.length * 7919, numRuns: PER_METHOD * 3 })
    .filter((x) => !valid(x))
    .slice(0, PER_METHOD);
}

function expected(name: MethodName, caller: { token: string | null; roles: Role[] }): string {
  const access = api[name].access;
  if (access === 'public') return 'INVALID_INPUT';
  if (!caller.token) return 'UNAUTHENTICATED';
  if (access === 'authenticated' || access.some((r) => caller.roles.includes(r))) return 'INVALID_INPUT';
  return 'FORBIDDEN';
}

describe('fuzzing every RPC method', () => {
  it('answers malformed input with the structured error the caller deserves, writing nothing', async () => {
    const methods = Object.keys(api) as MethodName[];
    const before = storeState(t.store.sqlite);
    let calls = 0;
    const failures: string[] = [];
    for (const name of methods) {
      for (const input of inputsFor(name)) {
        for (const caller of callers) {
          calls++;
          const r = await t.dispatch({ method: name, input, sessionToken: caller.token });
          const want = expected(name, caller);
          if (r.ok) failures.push(`${name} as ${caller.name}: accepted ${JSON.stringify(input)?.slice(0, 80)}`);
          else if (r.error.code !== want)
            failures.push(`${name} as ${caller.name}: ${r.error.code} (wanted ${want}) for ${JSON.stringify(input)?.slice(0, 80)}`);
          else if (want !== 'INVALID_INPUT' && r.error.fields)
            failures.push(`${name} as ${caller.name}: field details before authorisation`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(storeState(t.store.sqlite)).toEqual(before);
    // A few thousand calls over every method.
    expect(calls).toBeGreaterThan(2500);
    console.log(`[fuzz] ${calls} calls over ${methods.length} methods, seed ${SEED}`);
  });
});
