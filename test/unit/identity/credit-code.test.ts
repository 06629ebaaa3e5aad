import { describe, expect, it } from 'vitest';
import { checkCreditCode, creditCodeCheckChar } from '../../../shared/identity/credit-code';

describe('统一社会信用代码 (GB 32100)', () => {
  it.each(['91350100M000100Y43', '91110000802100433B', ' 91350100m000100y43 '])('accepts %s', (code) => {
    expect(checkCreditCode(code)).toMatchObject({ ok: true });
  });

  it('computes the check character', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    expect(creditCodeCheckChar('91110000802100433')).toBe('B');
  });

  it.each([
    ['', 'empty', /请填写/],
    ['91350100M000100Y4', 'length', /应为 18 位，现为 17 位/],
    ['91350100M000100I43', 'characters', /第 16 位“I”.*可能是数字 1/],
    ['91350100M000100V43', 'characters', /不使用字母 I、O、Z、S、V/],
    ['913A0100M000100Y43', 'region', /第 3 至 8 位/],
    ['91350100M000100Y44', 'checksum', /应为 3，实际为 4/],
  ])('%s → %s', (code, problem, message) => {
    const r = checkCreditCode(code);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem).toBe(problem);
      expect(r.message).toMatch(message);
    }
  });
});
