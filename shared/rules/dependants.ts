// 供养亲属抚恤金: a monthly share of the base per dependant (spouse, others, +extra for 孤寡老人
// or 孤儿), the total capped. A capped total is shared in proportion to each dependant's
// uncapped amount; fen are given out by largest remainder so the shares add up to the cap exactly.
import type { RulePack } from './rule-pack-schema';
import { D, toFen, type Dec } from './money';

export interface DependantInput {
  relation: string;
  orphanOrSolitaryElder: boolean;
}

export interface DependantShare {
  index: number;
  rate: Dec;
  uncapped: Dec;
  amount: Dec;
}

export interface DependantPensionResult {
  shares: DependantShare[];
  cap: Dec;
  capped: boolean;
  uncappedTotal: Dec;
}

export function dependantRate(pack: RulePack, d: DependantInput): Dec {
  const p = pack.parameters.dependantPension;
  const rate = new D(d.relation === 'spouse' ? p.spouseRate : p.otherRate);
  return d.orphanOrSolitaryElder ? rate.plus(p.orphanOrSolitaryElderExtra) : rate;
}

export function shareDependantPensions(pack: RulePack, base: Dec, dependants: readonly DependantInput[]): DependantPensionResult {
  const cap = toFen(base.times(pack.parameters.dependantPension.capShareOfBase));
  const uncappedShares = dependants.map((d, index) => {
    const rate = dependantRate(pack, d);
    return { index, rate, uncapped: toFen(base.times(rate)) };
  });
  const uncappedTotal = uncappedShares.reduce((s, x) => s.plus(x.uncapped), new D(0));
  if (uncappedTotal.lte(cap)) {
    return { shares: uncappedShares.map((s) => ({ ...s, amount: s.uncapped })), cap, capped: false, uncappedTotal };
  }
  const capFen = cap.times(100);
  const exact = uncappedShares.map((s) => capFen.times(s.uncapped).dividedBy(uncappedTotal));
  const floors = exact.map((x) => x.floor());
  let left = capFen.minus(floors.reduce((s, x) => s.plus(x), new D(0))).toNumber();
  // Largest remainder first; ties go to the earlier dependant so the result is deterministic.
  const order = exact.map((x, i) => ({ i, rem: x.minus(floors[i]!) })).sort((a, b) => b.rem.comparedTo(a.rem) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = floors[i]!.plus(1);
    left--;
  }
  return {
    shares: uncappedShares.map((s, i) => ({ ...s, amount: floors[i]!.dividedBy(100) })),
    cap,
    capped: true,
    uncappedTotal,
  };
}
