// The RPC contract: every method the renderer (or any host) can call, declared once.
// Add a feature's methods as a new group in shared/api/methods/ and spread it in here.
import type { z } from 'zod';
import type { InputOf, MethodSpec, OutputOf } from './define';
import { authMethods } from './methods/auth';
import { adminMethods } from './methods/admin';
import { systemMethods } from './methods/system';
import { caseMethods } from './methods/cases';
import { ruleMethods } from './methods/rules';
import { noticeMethods } from './methods/notices';
import { appraisalMethods } from './methods/appraisal';
import { hearingPackageMethods } from './methods/hearing-package';
import { syncMethods, type SyncProgress } from './methods/sync';
import { deskMethods } from './methods/desk';
import { documentMethods } from './methods/documents';
import { backupMethods } from './methods/backup';
import { conflictMethods } from './methods/conflicts';
import { caseRequestMethods } from './methods/case-requests';
import type { PrintJobState } from '../notices/schemas';

export const api = {
  ...systemMethods,
  ...authMethods,
  ...adminMethods,
  ...caseMethods,
  ...ruleMethods,
  ...noticeMethods,
  ...appraisalMethods,
  ...hearingPackageMethods,
  ...syncMethods,
  ...deskMethods,
  ...documentMethods,
  ...backupMethods,
  ...conflictMethods,
  ...caseRequestMethods,
} satisfies Record<string, MethodSpec<z.ZodType, z.ZodType>>;

export type Api = typeof api;
export type MethodName = keyof Api;
export type ApiInput<N extends MethodName> = InputOf<Api[N]>;
export type ApiOutput<N extends MethodName> = OutputOf<Api[N]>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

/** Topics a renderer can subscribe to; payloads are small hints to refetch, never records. */
export const TOPICS = ['data.changed', 'session.locked', 'print.progress', 'batch.progress', 'sync.progress'] as const;
export type Topic = (typeof TOPICS)[number];
export interface TopicPayload {
  'data.changed': { entity: string | null; method: string };
  'session.locked': { reason: string };
  'print.progress': { jobId: string; done: number; total: number; state: PrintJobState; message: string };
  'batch.progress': {
    jobId: string;
    kind: string;
    done: number;
    total: number;
    failed: number;
    state: 'running' | 'done' | 'cancelled';
    current: string | null;
  };
  'sync.progress': SyncProgress;
}
