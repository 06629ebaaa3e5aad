import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkIdNumber, idNumberCheckChar } from '../../../shared/identity/id-number';

const TODAY = '2026-11-24';

describe('居民身份证号码 (GB 11643)', () => {
  it('accepts the standard’s example and reads birth date and sex', () => {
    expect(checkIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      regionCode: '110105',
    });
  });

  it('normalises a lower-case x and surrounding spaces', () => {
    expect(checkIdNumber(' 11010519491231002x ', TODAY)).toMatchObject({ ok: true, normalized: '11010519491231002X' });
  });

  it.each([
    ['', 'empty', /请填写/],
    ['1101051949123100', 'length', /应为 18 位，现为 16 位/],
    ['11010519491231002XX', 'length', /现为 19 位/],
    ['1101051949123100AX', 'characters', /前 17 位须为数字/],
    ['00010519491231002X', 'region', /地址码 000105/],
    ['99010519491231002X', 'region', /前两位 99/],
    ['110105194902300026', 'birth_date', /19490230 不是有效日期/],
    ['110105202701010011', 'birth_future', /晚于今天（2026-11-24）/],
    ['110105194912310021', 'checksum', /应为 X，实际为 1/],
  ])('%s → %s', (id, problem, message) => {
    const r = checkIdNumber(id, TODAY);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem).toBe(problem);
      expect(r.message).toMatch(message);
    }
  });

  it('a number born today is accepted; tomorrow is not', () => {
    const first = '11010520261124001';
    expect(checkIdNumber(first + idNumberCheckChar(first), TODAY).ok).toBe(true);
    const next = '11010520261125001';
    expect(checkIdNumber(next + idNumberCheckChar(next), TODAY)).toMatchObject({ ok: false, problem: 'birth_future' });
  });

  it('any single-digit change is caught by the checksum (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const good = '11010519491231002X';
        const d = (Number(good[pos]) + delta) % 10;
        const bad = good.slice(0, pos) + d + good.slice(pos + 1);
        expect(checkIdNumber(bad, TODAY).ok).toBe(false);
      }),
    );
  });
});
