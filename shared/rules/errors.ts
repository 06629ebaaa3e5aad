// RuleError: the one refusal the rule engine, identity checks and money formatting raise.
// The message is Chinese, says what is wrong and what to do; `field` points at the input.

export type RuleErrorCode =
  | 'INVALID_FACTS'
  | 'INVALID_PACK'
  | 'NO_PACK'
  | 'MISSING_FIGURE'
  | 'INVALID_CALENDAR'
  | 'INVALID_AMOUNT'
  | 'INVALID_ID_NUMBER'
  | 'INVALID_CREDIT_CODE'
  | 'INVALID_INPUT';

export class RuleError extends Error {
  constructor(
    readonly code: RuleErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RuleError';
  }
}
