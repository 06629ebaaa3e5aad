// Test helpers: a real core on a real SQLite file in a temp folder, and typed calls.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../electron/core/app-core';
import { ManualClock } from '../../electron/core/clock';
import { TEST_COST } from '../../electron/core/passwords';
import type { ApiInput, ApiOutput, MethodName } from '../../shared/api/contract';
import type { ApiErrorBody } from '../../shared/api/errors';
import type { Delivery } from '../../shared/api/methods/documents';
import { hashToken } from '../../electron/core/sessions';

export const ADMIN_PASSWORD = 'Admin-pass-2026';

export interface TestCore extends Core {
  clock: ManualClock;
  dir: string;
  call<N extends MethodName>(method: N, input: ApiInput<N>, token?: string | null): Promise<ApiOutput<N>>;
  fail(method: MethodName, input: unknown, token?: string | null): Promise<ApiErrorBody>;
  cleanup(): Promise<void>;
}

export function tempDir(prefix = 'oip-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function makeTestCore(start = new Date('2026-11-24T02:00:00Z')): TestCore {
  return openTestCore(tempDir(), start);
}

/** A core on an existing data folder (to reopen a store, e.g. after changing it behind the app). */
export function openTestCore(dir: string, start = new Date('2026-11-24T02:00:00Z')): TestCore {
  const clock = new ManualClock(start);
  const core = createCore({ dataDir: dir, host: 'test', clock, passwordCost: TEST_COST });
  return {
    ...core,
    clock,
    dir,
    async call(method, input, token = null) {
      const r = await core.dispatch({ method, input, sessionToken: token });
      if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
      return r.result as never;
    },
    async fail(method, input, token = null) {
      const r = await core.dispatch({ method, input, sessionToken: token });
      if (r.ok) throw new Error(`${method} was expected to fail but succeeded`);
      return r.error;
    },
    async cleanup() {
      await core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The files of a documents.* answer under the test host (downloads), taken from the shelf as
 * the web host would hand them to that session.
 */
export function takeDownloads(t: TestCore, delivery: Delivery, token: string | null): { name: string; bytes: Buffer }[] {
  if (delivery.via !== 'download') throw new Error('expected the test host to answer with downloads');
  return delivery.files.map((f) => t.downloads.take(f.url.replace('/download/', ''), token ? hashToken(token) : null));
}

/** Creates the first administrator and signs in; returns the session token. */
export async function setupAdmin(t: TestCore, username = 'admin'): Promise<string> {
  await t.call('auth.setup', { username, displayName: '系统管理员', password: ADMIN_PASSWORD });
  return signIn(t, username, ADMIN_PASSWORD);
}

export async function signIn(t: TestCore, username: string, password: string): Promise<string> {
  const r = await t.call('auth.login', { username, password });
  if (!r.ok) throw new Error(`login failed: ${r.message}`);
  return r.sessionToken;
}
