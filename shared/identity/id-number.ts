// 居民身份证号码 checks after GB 11643-1999: 6-digit address code, 8-digit birth date,
// 3-digit sequence, ISO 7064 MOD 11-2 check character. Each failure has its own message.
import { isValidDate } from '../rules/dates';

// Province-level prefixes of GB/T 2260 plus 71 台湾, 81 香港, 82 澳门 (also used by 居住证) and 83 (台湾居民居住证).
const PROVINCE_CODES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idNumberCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export type IdNumberProblem = 'empty' | 'length' | 'characters' | 'region' | 'birth_date' | 'birth_future' | 'checksum';

export type IdNumberCheck =
  | { ok: true; normalized: string; birthDate: string; sex: 'male' | 'female'; regionCode: string }
  | { ok: false; problem: IdNumberProblem; message: string };

/**
 * Checks a number against GB 11643 as of `today` ('YYYY-MM-DD', China time). A lower-case x is
 * accepted and normalised to X, as people often type it.
 */
export function checkIdNumber(input: string, today: string): IdNumberCheck {
  const id = input.trim().toUpperCase();
  const fail = (problem: IdNumberProblem, message: string): IdNumberCheck => ({ ok: false, problem, message });
  if (id === '') return fail('empty', '请填写居民身份证号码。');
  if (id.length !== 18) return fail('length', `居民身份证号码应为 18 位，现为 ${id.length} 位；15 位旧号码请换用新证号码。`);
  if (!/^\d{17}[\dX]$/.test(id))
    return fail('characters', '居民身份证号码前 17 位须为数字，最后一位为数字或 X，请核对是否输错或混入空格、字母。');
  const regionCode = id.slice(0, 6);
  if (!PROVINCE_CODES.has(id.slice(0, 2))) {
    return fail(
      'region',
      `居民身份证号码前 6 位（地址码 ${regionCode}）不是有效的行政区划代码：前两位 ${id.slice(0, 2)} 不对应任何省级行政区，请核对。`,
    );
  }
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isValidDate(birth)) return fail('birth_date', `居民身份证号码第 7 至 14 位的出生日期 ${id.slice(6, 14)} 不是有效日期，请核对。`);
  if (birth > today) return fail('birth_future', `居民身份证号码中的出生日期 ${birth} 晚于今天（${today}），请核对。`);
  const expected = idNumberCheckChar(id.slice(0, 17));
  if (id[17] !== expected)
    return fail(
      'checksum',
      `居民身份证号码校验位不符：按前 17 位计算应为 ${expected}，实际为 ${id[17]}。号码中可能有数字输错或顺序颠倒，请与证件逐位核对。`,
    );
  return { ok: true, normalized: id, birthDate: birth, sex: Number(id[16]) % 2 === 1 ? 'male' : 'female', regionCode };
}
