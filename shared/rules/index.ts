// The rule engine's public surface: everything consumers (UI, core services, CLI) import.
export { RuleError, type RuleErrorCode } from './errors';
export * from './dates';
export * from './rule-pack-schema';
export { parseRulePack, selectRulePack } from './rule-pack-select';
export * from './benefit-facts';
export * from './benefit-result';
export { computeBenefits, totalsOf, type ComputeOptions } from './benefits';
export { statisticsYear, type ResolvedFigure, type FigureKey } from './figures';
export { shareDependantPensions, dependantRate, type DependantPensionResult } from './dependants';
export { livingPeriod, prorate, treatmentLimitEnd } from './living-allowance';
export * from './calendar';
export * from './deadlines';
export * from './eligibility';
export * from './grading';
export * from './nursing';
export { yuanToFen, fenToYuan } from './money';
export { entitlementsFor, type Entitlement } from './entitlements';
export {
  dependantEligibility,
  birthdayAt,
  extraLabel,
  RELATION_LABELS,
  END_REASON_LABELS,
  type Eligibility,
} from './dependants';
export { deathBasis, type DeathBasis, type DeathCaseFacts } from './death-basis';
export * from './injury-items';
export { compareDeterminations, type Comparison, type ComparisonRow } from './redetermination';
