// The one error shape that crosses the RPC boundary. Every message is Chinese and says
// what is wrong and what to do; `fields` points at the offending inputs for forms.

export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'SESSION_LOCKED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RULE_REFUSED',
  'UNKNOWN_METHOD',
  'RATE_LIMITED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  path: string;
  message: string;
}

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  fields?: FieldIssue[];
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldIssue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }

  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.fields);
  }
}

export function isApiErrorBody(x: unknown): x is ApiErrorBody {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as ApiErrorBody).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((x as ApiErrorBody).code) &&
    typeof (x as ApiErrorBody).message === 'string'
  );
}
