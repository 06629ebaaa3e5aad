// Zod's messages for every issue a schema does not word itself, as plain Chinese sentences that
// name the field as the form does ("请填写申请日期"), never its code or a type name ("期望 string，
// 实际接收 undefined"). Installed once for the whole contract (define.ts); the dispatcher's
// overall message (describeIssues) is built from the same sentences.
import type { z } from 'zod';
import { FIELD_LABELS } from './field-labels';
import type { FieldIssue } from './errors';

type Path = readonly PropertyKey[];

/** Where a field's name alone is too vague, its label under a given parent. */
const LABELS_UNDER: Readonly<Record<string, string>> = {
  'accident.at': '事故时间',
};

/** "订单第2项的订单号" for accident.orders.1.orderNo; "申请日期" for applicant.applicationDate. */
export function fieldLabel(path: Path): string | null {
  let last = -1;
  for (let i = path.length - 1; i >= 0; i -= 1)
    if (typeof path[i] === 'string') {
      last = i;
      break;
    }
  if (last < 0) return null;
  const parentKey = path[last - 1];
  const own =
    (typeof parentKey === 'string' ? LABELS_UNDER[`${parentKey}.${String(path[last])}`] : undefined) ?? FIELD_LABELS[path[last] as string];
  if (!own) return null;
  const index = path[last + 1];
  if (typeof index === 'number') return `${own}第${index + 1}项`;
  const before = path[last - 1];
  const parent = path[last - 2];
  if (typeof before === 'number' && typeof parent === 'string' && FIELD_LABELS[parent])
    return `${FIELD_LABELS[parent]}第${before + 1}项的${own}`;
  return own;
}

const CHOSEN = new Set(['boolean', 'enum', 'literal']);

type RawIssue = z.core.$ZodRawIssue;

/** The message for an issue a schema left unworded. */
export function plainChineseError(issue: RawIssue): string {
  const label = fieldLabel(issue.path ?? []) ?? '此项';
  const missing = issue.input === undefined || issue.input === null;
  switch (issue.code) {
    case 'invalid_type':
      if (missing || issue.expected === 'nonoptional') return CHOSEN.has(issue.expected) ? `请选择${label}` : `请填写${label}`;
      if (issue.expected === 'number' || issue.expected === 'int' || issue.expected === 'bigint') return `${label}应为数字`;
      if (issue.expected === 'string') return `${label}应为文字`;
      if (issue.expected === 'boolean') return `请选择${label}`;
      return `${label}填写有误`;
    case 'invalid_value':
      return missing ? `请选择${label}` : `${label}不在可选范围内，请重新选择`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? `请填写${label}` : `${label}至少需要 ${min} 个字符`;
      if (issue.origin === 'array' || issue.origin === 'set') return min <= 1 ? `请至少选择一项${label}` : `${label}至少需要 ${min} 项`;
      return `${label}不能小于 ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `${label}不能超过 ${max} 个字符，请精简后再提交`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${label}最多 ${max} 项`;
      return `${label}不能大于 ${max}`;
    }
    case 'invalid_format':
      return `${label}格式不正确，请检查`;
    case 'not_multiple_of':
      return `${label}应为 ${String(issue.divisor)} 的整数倍`;
    case 'unrecognized_keys':
      return '提交的内容中有无法识别的项目，请刷新页面后重试';
    case 'invalid_key':
    case 'invalid_element':
      return `${label}中有一项填写有误`;
    case 'invalid_union':
    case 'custom':
      return `${label}填写有误，请检查`;
    default:
      return `${label}填写有误，请检查`;
  }
}

/** One sentence for a whole rejected call: the first problem, and how many more there are. */
export function describeIssues(fields: readonly FieldIssue[]): string {
  const first = fields[0];
  if (!first) return '输入有误，请检查后重试';
  const text = first.message.replace(/[。，；\s]+$/, '');
  const more = fields.length > 1 ? `（另有 ${fields.length - 1} 处需要修改）` : '';
  return `${text}${more}，请修改后重试`;
}
