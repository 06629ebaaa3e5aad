// How an RPC method is declared: once, with its input schema, output schema and who may
// call it. The hosts and the dispatcher read these declarations; nothing else lists methods.
import { z } from 'zod';
import type { Role } from '../roles';
import { plainChineseError } from './zh-errors';

// Anything a schema does not word itself reads as a plain Chinese sentence naming the field.
z.config({ localeError: plainChineseError });

/**
 * `public`: callable without a session (setup, login).
 * `authenticated`: any signed-in user.
 * A role list: the user must hold at least one of them.
 */
export type Access = 'public' | 'authenticated' | readonly Role[];

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  access: Access;
  /** Mutating methods run in one write transaction and always leave an audit entry. */
  mutates: boolean;
  /** Chinese name of the action, used in the audit log. */
  label: string;
  /** Callable while the session is idle-locked (unlock, logout, status). */
  allowWhenLocked?: boolean;
  /**
   * A read that must leave an audit entry (personal data opened or taken off the machine) but
   * must not hold the write lock while it runs (a backup of the whole store): the handler runs
   * outside any transaction and the dispatcher appends the entry once it has succeeded.
   */
  auditedRead?: boolean;
  /**
   * Mutating, but the handler decides which audit entries the call leaves (none, one, or
   * several via repeated notes): sign-in summarises repeated failures instead of one entry each.
   */
  auditOnlyNotes?: boolean;
}

export function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec;
}

export type InputOf<M> = M extends MethodSpec<infer I, z.ZodType> ? z.input<I> : never;
export type ParsedInputOf<M> = M extends MethodSpec<infer I, z.ZodType> ? z.output<I> : never;
export type OutputOf<M> = M extends MethodSpec<z.ZodType, infer O> ? z.output<O> : never;
