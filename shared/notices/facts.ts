// The signed key facts of a notice as people read them: Chinese labels in a fixed order, the
// document type by its name, dates in words, and the conclusion without field codes. Used by
// the verification screen and the CLI's `notice verify`. Facts signed before the conclusion was
// written in words (`disability_lump_sum=39780.00;…`, `mail 送达 platform`) are translated too:
// the signature covers the stored facts, only their display changes.
import { chineseDate, tidy } from './layout';
import { DELIVERY_METHOD_LABELS, NOTICE_LABELS, NOTICE_TYPES, type NoticeType } from './schemas';

const FACT_LABELS: [key: string, label: string][] = [
  ['no', '文号'],
  ['type', '文书'],
  ['case', '案件编号'],
  ['name', '姓名'],
  ['id', '身份证号码'],
  ['conclusion', '结论或金额'],
  ['date', '出具日期'],
  ['issuer', '出具机关'],
  ['signer', '签发人'],
];

/** Benefit line codes as older signatures carry them. */
const LINE_LABELS: Record<string, string> = {
  disability_lump_sum: '一次性伤残补助金',
  disability_allowance: '伤残津贴',
  one_time_allowance: '一次性职业伤害医疗补助金',
  nursing_allowance: '生活护理费',
  funeral_grant: '丧葬补助金',
  dependant_pension: '供养亲属抚恤金',
  death_lump_sum: '一次性职业伤害死亡补助金',
  living_allowance: '生活保障费',
};
const PARTY_LABELS: Record<string, string> = { worker: '本人（或其近亲属）', platform: '平台企业' };

function conclusionInWords(text: string): string {
  return tidy(
    text
      .replace(/([a-z_]+)=(\d+\.\d{2})/g, (m, code: string, amount: string) => (LINE_LABELS[code] ? `${LINE_LABELS[code]}${amount}元` : m))
      .replace(/;/g, '；')
      .replace(/\b(direct|mail|electronic|public_notice)\b/g, (m) => DELIVERY_METHOD_LABELS[m as keyof typeof DELIVERY_METHOD_LABELS])
      .replace(/\b(worker|platform)\b/g, (m) => PARTY_LABELS[m]!),
  );
}

/** Each signed fact with its Chinese label; keys the list does not know are left out. */
export function factsForDisplay(facts: Record<string, string> | null | undefined): { label: string; value: string }[] {
  if (!facts) return [];
  return FACT_LABELS.filter(([k]) => facts[k]).map(([k, label]) => {
    const v = facts[k]!;
    if (k === 'type') return { label, value: NOTICE_TYPES.includes(v as NoticeType) ? NOTICE_LABELS[v as NoticeType] : v };
    if (k === 'date') return { label, value: /^\d{4}-\d{2}-\d{2}$/.test(v) ? chineseDate(v) : v };
    if (k === 'conclusion') return { label, value: conclusionInWords(v) };
    return { label, value: v };
  });
}
