// 统一社会信用代码 checks after GB 32100-2015: 18 characters from the 31-symbol set (no I, O,
// Z, S, V), 登记管理部门代码 + 机构类别代码, a 6-digit region code, the 9-character
// organisation code and a MOD 31 check character.

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CHARSET.indexOf(first17[i] ?? '');
    if (v < 0) throw new Error('creditCodeCheckChar: invalid character');
    sum += v * WEIGHTS[i]!;
  }
  return CHARSET[(31 - (sum % 31)) % 31]!;
}

export type CreditCodeProblem = 'empty' | 'length' | 'characters' | 'region' | 'checksum';

export type CreditCodeCheck = { ok: true; normalized: string } | { ok: false; problem: CreditCodeProblem; message: string };

export function checkCreditCode(input: string): CreditCodeCheck {
  const code = input.trim().toUpperCase();
  const fail = (problem: CreditCodeProblem, message: string): CreditCodeCheck => ({ ok: false, problem, message });
  if (code === '') return fail('empty', '请填写统一社会信用代码。');
  if (code.length !== 18) return fail('length', `统一社会信用代码应为 18 位，现为 ${code.length} 位，请核对。`);
  const bad = [...code].findIndex((ch) => !CHARSET.includes(ch));
  if (bad >= 0) {
    const ch = code[bad]!;
    const lookAlike: Record<string, string> = { I: '1', O: '0', Z: '2', S: '5' };
    const hint = 'IOZSV'.includes(ch)
      ? `（代码中不使用字母 I、O、Z、S、V${lookAlike[ch] ? `，“${ch}”可能是数字 ${lookAlike[ch]} 之误` : ''}）`
      : '';
    return fail('characters', `统一社会信用代码第 ${bad + 1} 位“${ch}”不是允许的字符${hint}，请核对。`);
  }
  if (!/^\d{6}$/.test(code.slice(2, 8)))
    return fail('region', `统一社会信用代码第 3 至 8 位应为 6 位数字的登记管理机关行政区划码，现为“${code.slice(2, 8)}”，请核对。`);
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (code[17] !== expected)
    return fail('checksum', `统一社会信用代码校验位不符：按前 17 位计算应为 ${expected}，实际为 ${code[17]}，请与营业执照逐位核对。`);
  return { ok: true, normalized: code };
}
