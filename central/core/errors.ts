// The centre's refusals: a protocol error code, an HTTP status and a Chinese message for the
// person at the device. The server turns them into `syncErrorSchema` bodies.
import type { SyncErrorCode } from '../../shared/sync/protocol';

export class CentralError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    readonly status: number,
    message: string,
    readonly expectedSeq?: number,
  ) {
    super(message);
  }
}

export const invalid = (message: string): CentralError => new CentralError('INVALID_INPUT', 400, message);

/** PostgreSQL's unique_violation, from pg and PGlite alike. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}
