// Every rejected input reads as plain Chinese naming the field as the form does: no zod type
// names ("期望 string，实际接收 undefined"), no field codes ("password"), no "必须是文字" for a
// field left empty. Checked over the whole contract, so a new method or field cannot slip past.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { api } from '../../shared/api/contract';
import { FIELD_LABELS } from '../../shared/api/field-labels';
import { describeIssues, fieldLabel } from '../../shared/api/zh-errors';
import { pinyinInitials, matchesTyped } from '../../renderer/src/forms/pinyin';

/** Latin words an error may still contain: file formats a clerk knows by these names. */
const ALLOWED_LATIN = new Set(['PDF', 'xlsx', 'csv', 'Excel']);

function latinWords(s: string): string[] {
  return (s.match(/[A-Za-z][A-Za-z0-9_]*/g) ?? []).filter((w) => !ALLOWED_LATIN.has(w));
}

function inputKeys(schema: z.ZodType): Set<string> {
  const keys = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (s: unknown): void => {
    if (!s || seen.has(s)) return;
    seen.add(s);
    const def = (s as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return;
    if (def.type === 'object')
      for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) {
        keys.add(k);
        walk(v);
      }
    for (const f of ['innerType', 'element', 'in', 'out', 'schema', 'valueType', 'left', 'right']) walk(def[f]);
    for (const f of ['options', 'items']) if (Array.isArray(def[f])) (def[f] as unknown[]).forEach(walk);
    if (typeof def.getter === 'function') walk((def.getter as () => unknown)());
  };
  walk(schema);
  return keys;
}

const methods = Object.entries(api) as [string, { input: z.ZodType }][];

describe('validation messages over the contract', () => {
  it('every field name of every input schema has a Chinese label', () => {
    const missing = new Set<string>();
    for (const [, spec] of methods) for (const k of inputKeys(spec.input)) if (!FIELD_LABELS[k]) missing.add(k);
    expect([...missing]).toEqual([]);
  });

  it.each(methods)('%s: an empty call is refused in Chinese, naming no field code', (name, spec) => {
    const r = spec.input.safeParse({});
    if (r.success) return;
    const fields = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const overall = describeIssues(fields);
    for (const text of [overall, ...fields.map((f) => f.message)]) {
      expect(latinWords(text), `${name}: ${text}`).toEqual([]);
      expect(text).not.toMatch(/期望|实际接收|必须是文字|undefined/);
    }
    // A required field left out is asked for, by its label.
    for (const i of r.error.issues)
      if (
        i.code === 'invalid_type' &&
        i.path.length === 1 &&
        !(spec.input as unknown as { _zod: { def: { type: string } } })._zod.def.type.includes('union')
      )
        expect(i.message, `${name}.${String(i.path[0])}`).toMatch(/^(请|.*[请应])/);
  });

  it('the registration: every empty nested field is asked for by its form label', () => {
    const r = api['cases.register'].input.safeParse({
      accidentReportId: null,
      worker: {},
      accident: { orders: [{}] },
      applicant: {},
      treatment: {},
    });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message);
    expect(messages).toContain('请填写姓名');
    expect(messages).toContain('请填写事故地点');
    expect(messages).toContain('请填写申请日期');
    for (const m of messages) expect(latinWords(m), m).toEqual([]);
  });

  it('labels nested and listed fields the way the form shows them', () => {
    expect(fieldLabel(['applicant', 'applicationDate'])).toBe('申请日期');
    expect(fieldLabel(['accident', 'orders', 1, 'orderNo'])).toBe('订单第2项的订单号');
    expect(fieldLabel(['accident', 'injuries', 0])).toBe('伤情第1项');
    expect(fieldLabel([])).toBeNull();
  });

  it('a wrong password at setup is named 密码, not password', () => {
    const r = api['auth.setup'].input.safeParse({ username: 'admin', displayName: '管理员', password: 'short' });
    expect(r.success).toBe(false);
    const overall = describeIssues(r.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    expect(overall).toContain('密码');
    expect(overall).not.toContain('password');
  });
});

describe('searchable selects', () => {
  it('find an option by its pinyin initials as well as its Chinese label', () => {
    expect(pinyinInitials('美团')).toBe('mt');
    expect(pinyinInitials('饿了么')).toBe('elm');
    expect(pinyinInitials('即时配送')).toBe('jsps');
    expect(matchesTyped('滴滴出行', 'ddcx')).toBe(true);
    expect(matchesTyped('滴滴出行', '出行')).toBe(true);
    expect(matchesTyped('美团', 'dd')).toBe(false);
    expect(matchesTyped('货拉拉', 'HLL')).toBe(true);
  });
});
