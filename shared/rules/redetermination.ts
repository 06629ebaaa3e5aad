// A new determination that supersedes an earlier one (after a 复查 or 再次鉴定 conclusion, or a
// death): line by line, what was determined, what is determined now, and what is payable from the
// new determination's effective date — one-time lines pay what they exceed the earlier ones by (the
// pack's rule; nothing is recovered), monthly lines change or stop from that date.
import type { RulePack } from './rule-pack-schema';
import type { BenefitLine, BenefitResult } from './benefit-result';
import { D, yuan } from './money';

export interface ComparisonRow {
  code: string;
  label: string;
  subject?: string;
  period: BenefitLine['period'];
  before: string | null;
  after: string | null;
  /** One-time lines: what is paid now; monthly lines: the new monthly amount (or 0.00 when it stops). */
  payable: string;
  note: string;
}

export interface Comparison {
  effectiveFrom: string;
  rows: ComparisonRow[];
  /** One-time amounts payable now, by payer. */
  oneTimePayable: { fund: string; platform: string; all: string };
  rule: string;
}

const key = (l: BenefitLine) => `${l.code}|${l.subject ?? ''}|${l.period}|${l.payer}`;

export function compareDeterminations(pack: RulePack, before: BenefitResult, after: BenefitResult, effectiveFrom: string): Comparison {
  const mode = pack.redetermination.oneTimeLines;
  const old = new Map(before.lines.map((l) => [key(l), l]));
  const rows: ComparisonRow[] = [];
  const payable = { fund: new D(0), platform: new D(0) };
  for (const l of after.lines) {
    const was = old.get(key(l));
    old.delete(key(l));
    if (l.period === 'once') {
      const diff = was ? new D(l.amount).minus(was.amount) : new D(l.amount);
      const pay = was && mode === 'none' ? new D(0) : D.max(diff, 0);
      payable[l.payer] = payable[l.payer].plus(pay);
      rows.push({
        code: l.code,
        label: l.label,
        ...(l.subject ? { subject: l.subject } : {}),
        period: 'once',
        before: was ? was.amount : null,
        after: l.amount,
        payable: yuan(pay),
        note: !was
          ? '新增，全额支付'
          : diff.isZero()
            ? '与原核定相同，不再支付'
            : diff.isNegative()
              ? '低于原核定，已支付部分不追回'
              : mode === 'pay_difference'
                ? '补发差额'
                : '已按原核定支付，不再补发',
      });
    } else {
      rows.push({
        code: l.code,
        label: l.label,
        ...(l.subject ? { subject: l.subject } : {}),
        period: 'monthly',
        before: was ? was.amount : null,
        after: l.amount,
        payable: l.amount,
        note: !was
          ? `自 ${l.from ?? effectiveFrom} 起按月发放`
          : was.amount === l.amount
            ? '标准不变'
            : `自 ${effectiveFrom} 起按新标准发放`,
      });
    }
  }
  for (const l of old.values()) {
    rows.push({
      code: l.code,
      label: l.label,
      ...(l.subject ? { subject: l.subject } : {}),
      period: l.period,
      before: l.amount,
      after: null,
      payable: '0.00',
      note: l.period === 'monthly' ? `自 ${effectiveFrom} 起停发` : '原核定已支付，不受本次核定影响',
    });
  }
  return {
    effectiveFrom,
    rows,
    oneTimePayable: { fund: yuan(payable.fund), platform: yuan(payable.platform), all: yuan(payable.fund.plus(payable.platform)) },
    rule: pack.redetermination.source,
  };
}
