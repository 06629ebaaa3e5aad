// Decimal helpers for the rule engine: one configured Decimal, rounding to the fen, and the
// two written forms (plain '3060.00' for data, grouped '3,060.00' for formulas people read).
import Decimal from 'decimal.js';

export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof D>;

export function toFen(x: Dec): Dec {
  return x.toDecimalPlaces(2, D.ROUND_HALF_UP);
}

export function yuan(x: Dec): string {
  return x.toFixed(2, D.ROUND_HALF_UP);
}

export function grouped(x: Dec): string {
  const [int, frac] = yuan(x).split('.');
  return `${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** A rate as a percentage for formulas: 0.85 → '85%'. */
export function percent(x: Dec): string {
  return `${x.times(100).toString()}%`;
}

export function yuanToFen(amount: string): number {
  return new D(amount).times(100).toDecimalPlaces(0, D.ROUND_HALF_UP).toNumber();
}

export function fenToYuan(fen: number): string {
  return yuan(new D(fen).dividedBy(100));
}
