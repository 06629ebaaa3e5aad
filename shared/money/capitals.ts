// Amounts in Chinese capitals (中文大写金额) for notices, after the 《支付结算办法》 writing rules:
// 元 always written; 整 after 元 when there are no 角/分 and omitted after 角; one 零 for any run
// of zeros inside the number; 零 between 元 and 分 when 角 is zero. Written by hand because the
// libraries looked at add prefixes (人民币) or differ on 壹拾 and 零 placement.
import { RuleError } from '../rules/errors';

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const IN_GROUP = ['', '拾', '佰', '仟'] as const;
const GROUPS = ['', '万', '亿', '万亿'] as const;

/** Up to 9999 as capitals without leading 零; '' for 0. Inner zero runs collapse to one 零. */
function groupToCapitals(group: string): string {
  const digits = group.padStart(4, '0');
  let out = '';
  let pendingZero = false;
  for (let i = 0; i < 4; i++) {
    const d = Number(digits[i]);
    if (d === 0) {
      if (out !== '') pendingZero = true;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += DIGITS[d]! + IN_GROUP[3 - i]!;
  }
  return out;
}

function integerToCapitals(intPart: string): string {
  const trimmed = intPart.replace(/^0+(?=\d)/, '');
  if (/^0*$/.test(trimmed)) return '';
  const groups: string[] = [];
  for (let end = trimmed.length; end > 0; end -= 4) groups.unshift(trimmed.slice(Math.max(0, end - 4), end));
  if (groups.length > GROUPS.length) {
    throw new RuleError('INVALID_AMOUNT', `金额 ${intPart} 超出可写成大写的范围（最大 9999万亿），请核对金额。`);
  }
  let out = '';
  let zeroBetween = false;
  groups.forEach((g, idx) => {
    const unit = GROUPS[groups.length - 1 - idx]!;
    const value = Number(g);
    if (value === 0) {
      if (out !== '') zeroBetween = true;
      return;
    }
    // A group under 1000 after a higher non-zero group has a leading zero to say (壹万零伍拾).
    if (out !== '' && (zeroBetween || value < 1000)) out += '零';
    zeroBetween = false;
    out += groupToCapitals(g) + unit;
  });
  return out;
}

/**
 * '39780.00' → '叁万玖仟柒佰捌拾元整'; '302.50' → '叁佰零贰元伍角'; '1.05' → '壹元零伍分'.
 * Accepts a non-negative decimal string with at most two decimals (thousands commas allowed).
 */
export function amountToCapitals(yuan: string): string {
  const raw = String(yuan).trim().replace(/,/g, '');
  if (raw.startsWith('-')) {
    throw new RuleError('INVALID_AMOUNT', `金额 ${yuan} 为负数，大写金额只用于非负金额，请核对。`);
  }
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(raw);
  if (!m) {
    throw new RuleError('INVALID_AMOUNT', `金额“${yuan}”不是以元为单位、最多两位小数的数字（例如 39780.00），请核对。`);
  }
  const intText = integerToCapitals(m[1]!);
  const frac = (m[2] ?? '').padEnd(2, '0');
  const jiao = Number(frac[0]);
  const fen = Number(frac[1]);
  if (intText === '' && jiao === 0 && fen === 0) return '零元整';
  let out = intText === '' ? '' : `${intText}元`;
  if (jiao === 0 && fen === 0) return `${out}整`;
  if (jiao !== 0) out += `${DIGITS[jiao]}角`;
  else if (intText !== '') out += '零';
  if (fen !== 0) out += `${DIGITS[fen]}分`;
  return out;
}
