import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { amountToCapitals } from '../../../shared/money/capitals';
import { RuleError } from '../../../shared/rules/errors';

describe('amountToCapitals', () => {
  it.each([
    ['39780.00', '叁万玖仟柒佰捌拾元整'],
    ['302.50', '叁佰零贰元伍角'],
    ['441', '肆佰肆拾壹元整'],
    ['0.00', '零元整'],
    ['0', '零元整'],
    ['0.05', '伍分'],
    ['0.50', '伍角'],
    ['0.5', '伍角'],
    ['1.05', '壹元零伍分'],
    ['10.20', '壹拾元贰角'],
    ['10', '壹拾元整'],
    ['100.00', '壹佰元整'],
    ['1005.00', '壹仟零伍元整'],
    ['1680.32', '壹仟陆佰捌拾元叁角贰分'],
    ['10000', '壹万元整'],
    ['100050', '壹拾万零伍拾元整'],
    ['203000', '贰拾万叁仟元整'],
    ['1000000', '壹佰万元整'],
    ['1083760.00', '壹佰零捌万叁仟柒佰陆拾元整'],
    ['1130040.00', '壹佰壹拾叁万零肆拾元整'],
    ['100000001', '壹亿零壹元整'],
    ['100100000', '壹亿零壹拾万元整'],
    ['120000000', '壹亿贰仟万元整'],
    ['107000.09', '壹拾万柒仟元零玖分'],
    ['1,234.56', '壹仟贰佰叁拾肆元伍角陆分'],
    ['3060.00', '叁仟零陆拾元整'],
  ])('%s → %s', (input, expected) => {
    expect(amountToCapitals(input)).toBe(expected);
  });

  it.each(['-1.00', '-0.01', 'abc', '1.234', '', '1e5', '１２'])('refuses %s with a Chinese RuleError', (bad) => {
    expect(() => amountToCapitals(bad)).toThrow(RuleError);
    try {
      amountToCapitals(bad);
    } catch (e) {
      expect((e as RuleError).code).toBe('INVALID_AMOUNT');
      expect((e as RuleError).message).toMatch(/金额/);
    }
  });

  it('never writes two 零 in a row and never ends a 元 amount with 零', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999999999999n }), fc.integer({ min: 0, max: 99 }), (yuan, fen) => {
        // Nothing at all is written 零元整, checked on its own below.
        fc.pre(yuan !== 0n || fen !== 0);
        const text = amountToCapitals(`${yuan}.${String(fen).padStart(2, '0')}`);
        expect(text).not.toMatch(/零零/);
        expect(text).not.toMatch(/零[元万亿]/);
        expect(text.endsWith('整') || text.endsWith('角') || text.endsWith('分')).toBe(true);
      }),
    );
    expect(amountToCapitals('0.00')).toBe('零元整');
  });
});
