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
    // Calls start after the projections' background upkeep has settled (it runs at start and
    // after settings change), so a test comparing the store before and after a call sees only the call.
    async call(method, input, token = null) {
      await core.derived.idle();
      const r = await core.dispatch({ method, input, sessionToken: token });
      if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
      return r.result as never;
    },
    async fail(method, input, token = null) {
      await core.derived.idle();
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

/** A store set aside after a scene was built in it: its folder, and where its clock stood. */
export interface FrozenCore {
  dir: string;
  now: Date;
}

/**
 * Closes a core whose scene is built and keeps its folder as a template, so a file builds its
 * scene once (beforeAll) and gives each test its own copy (`thaw`) instead of building it again.
 * Sign-ins, keys and trust live in the folder and carry over; the clock resumes where it stood.
 */
export async function freeze(t: TestCore): Promise<FrozenCore> {
  const now = t.clock.now();
  await t.derived.idle();
  await t.close();
  return { dir: t.dir, now };
}

/** A fresh core on a copy of a frozen store: each test changes only its own copy. */
export function thaw(frozen: FrozenCore): TestCore {
  const dir = tempDir();
  fs.cpSync(frozen.dir, dir, { recursive: true });
  return openTestCore(dir, frozen.now);
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
