// Test helpers for the central server: a centre node on PGlite (one in-memory instance shared by
// a test file, emptied between tests) or on a real PostgreSQL, devices enrolled through the real
// protocol client, and builders for mutations with a correct audit hash chain.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { v7 } from 'uuid';
import { ManualClock } from '../../electron/core/clock';
import { deviceKey, type DeviceKey } from '../../electron/core/crypto/device-key';
import { CentreClient, type FetchLike } from '../../electron/core/sync/centre-client';
import type { AuditCopy, Mutation, RowChange } from '../../shared/sync/protocol';
import { startCentral, type RunningCentre } from '../../central/start';
import type { Db } from '../../central/db/database';
import { makeEnrolCode } from '../../central/core/enrolment';
import { auditEntryHash, GENESIS_HASH } from '../../central/core/audit-copies';

export const T0 = new Date('2026-11-24T02:00:00Z');

export async function memoryPGlite(): Promise<PGlite> {
  return PGlite.create('memory://');
}

/** Empties every table but the migrations and the centre's key, so one PGlite serves a whole file. */
export async function resetCentral(db: Db): Promise<void> {
  await sql`TRUNCATE offices, devices, enrol_codes, nonces, mutations, audit_copies, blobs, records, case_holders,
    record_offices, changes, document_numbers, conflicts CASCADE`.execute(db);
}

export interface TestCentre {
  url: string;
  db: Db;
  clock: ManualClock;
  logs: string[];
  running: RunningCentre;
  close(): Promise<void>;
}

export async function startTestCentre(o: { pglite?: PGlite; databaseUrl?: string; clock?: ManualClock }): Promise<TestCentre> {
  const clock = o.clock ?? new ManualClock(T0);
  const logs: string[] = [];
  const running = await startCentral({ port: 0, pglite: o.pglite, databaseUrl: o.databaseUrl, clock, log: (l) => logs.push(l) });
  return { url: running.url, db: running.database.db, clock, logs, running, close: () => running.close() };
}

/**
 * One in-memory centre (PGlite) for a whole test file, emptied before each test: the hooks every
 * centre test file needs. `use` receives the centre once it is up.
 */
export function useSharedCentre(use: (centre: TestCentre) => void): void {
  let centre: TestCentre | undefined;
  useFileCentre((c) => use((centre = c)), []);
  beforeEach(async () => {
    if (centre) await resetCentral(centre.db);
  });
}

/**
 * One in-memory centre (PGlite) for a whole test file, kept across its tests (a file that wants it
 * empty resets it itself), and the device cores the file makes: cleaned up after the file, before
 * the centre closes. `use` receives the centre once it is up.
 */
export function useFileCentre(use: (centre: TestCentre) => void, cores: { cleanup(): Promise<void> }[]): void {
  let pglite: PGlite | undefined;
  let centre: TestCentre | undefined;
  beforeAll(async () => {
    pglite = await memoryPGlite();
    centre = await startTestCentre({ pglite });
    use(centre);
  }, 120_000);
  afterAll(async () => {
    for (const c of cores) await c.cleanup();
    await centre?.close();
    await pglite?.close();
  });
}

export function tempDir(prefix = 'oip-central-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A device's audit trail as the dispatcher would write it: seq from 1, each entry hashing the one before. */
export class AuditChain {
  private seq = 0;
  private prev = GENESIS_HASH;
  next(method: string, userId: string | null, summary = `${method} 的审计摘要`): AuditCopy {
    const entry: AuditCopy = {
      seq: ++this.seq,
      at: '2026-11-24T10:00:00.000+08:00',
      actorId: userId,
      actorName: userId ? '测试人员' : null,
      method,
      action: method,
      entity: null,
      entityId: null,
      summary,
      prevHash: this.prev,
      hash: '',
    };
    entry.hash = auditEntryHash(entry);
    this.prev = entry.hash;
    return entry;
  }
  /** An entry that never travels (a sign-in): the chain moves on without it. */
  skip(): void {
    this.next('auth.login', null);
  }
}

export interface TestDevice {
  key: DeviceKey;
  client: CentreClient;
  deviceId: string;
  tag: string;
  officeId: string;
  audit: AuditChain;
  seq: number;
  /** The user mutations are made by (set by seedUsers). */
  userId: string | null;
  centrePublicKey: string;
}

export async function enrolTestDevice(
  centre: { url: string; db: Db; clock: ManualClock },
  office = '西宁市社保经办',
  o: { fetch?: FetchLike; name?: string; timeoutMs?: number } = {},
): Promise<TestDevice> {
  const key = deviceKey(tempDir('oip-device-'));
  const { code } = await makeEnrolCode(centre.db, centre.clock, { office });
  const client = new CentreClient({ baseUrl: centre.url, key, fetch: o.fetch, timeoutMs: o.timeoutMs });
  const reply = await client.enrol({ code, deviceName: o.name ?? '测试笔记本', appVersion: '0.1.0', schemaVersion: 304 });
  return {
    key,
    client,
    deviceId: reply.deviceId,
    tag: reply.deviceTag,
    officeId: reply.office.id,
    audit: new AuditChain(),
    seq: 0,
    userId: null,
    centrePublicKey: reply.centre.publicKey,
  };
}

export function upsert(
  table: string,
  key: Record<string, string | number>,
  row: Record<string, unknown>,
  baseVersion: number | null,
  version: number,
): RowChange {
  return { table, key, op: 'upsert', baseVersion, version, row: { ...key, ...row } as RowChange['row'] };
}

export function remove(table: string, key: Record<string, string | number>, baseVersion: number | null, version: number): RowChange {
  return { table, key, op: 'delete', baseVersion, version, row: null };
}

/** The next mutation of a device: seq, id and audit entry as its outbox would hold them. */
export function mutation(dev: TestDevice, kind: string, rows: RowChange[], o: { userId?: string | null; audit?: boolean } = {}): Mutation {
  const userId = o.userId === undefined ? dev.userId : o.userId;
  return {
    seq: ++dev.seq,
    mutationId: v7(),
    kind,
    entity: null,
    entityId: null,
    userId,
    userName: userId ? '测试人员' : null,
    rulePack: null,
    schemaVersion: 304,
    at: '2026-11-24T10:00:00.000+08:00',
    rows,
    audit: o.audit === false || kind === 'sync.baseline' ? null : dev.audit.next(kind, userId),
  };
}

export interface Staff {
  admin: string;
  clerk: string;
  officer: string;
}

/** Accounts as a device's baseline brings them: an administrator, a hall clerk, a confirmation officer. */
export async function seedUsers(dev: TestDevice): Promise<Staff> {
  const staff: Staff = { admin: v7(), clerk: v7(), officer: v7() };
  const user = (id: string, username: string, role: string): RowChange[] => [
    upsert('users', { id }, { username, display_name: username, active: 1, created_at: 'x', updated_at: 'x', row_version: 1 }, null, 1),
    upsert('user_roles', { user_id: id, role }, {}, null, 1),
  ];
  const r = await dev.client.push([
    mutation(dev, 'sync.baseline', [
      ...user(staff.admin, `admin-${dev.tag}`, 'admin'),
      ...user(staff.clerk, `clerk-${dev.tag}`, 'intake_clerk'),
      ...user(staff.officer, `officer-${dev.tag}`, 'confirmation_officer'),
    ]),
  ]);
  if (r.results[0]?.status !== 'applied') throw new Error(`seedUsers: ${JSON.stringify(r.results[0])}`);
  dev.userId = staff.clerk;
  return staff;
}

/** A registration as cases.register would replicate it: the worker, the case, two materials. */
export function registration(
  dev: TestDevice,
  o: { caseId?: string; workerId?: string } = {},
): { caseId: string; workerId: string; mutation: Mutation } {
  const caseId = o.caseId ?? v7();
  const workerId = o.workerId ?? v7();
  const m = mutation(dev, 'cases.register', [
    upsert('workers', { id: workerId }, { name: '测试伤者', id_number: '630102199001011234', row_version: 1 }, null, 1),
    upsert('cases', { id: caseId }, { worker_id: workerId, case_no: `QH-${caseId.slice(-6)}`, status: 'registered', version: 1 }, null, 1),
    upsert('case_materials', { case_id: caseId, code: 'M01' }, { received: 1, row_version: 1 }, null, 1),
    upsert('case_materials', { case_id: caseId, code: 'M02' }, { received: 0, row_version: 1 }, null, 1),
  ]);
  return { caseId, workerId, mutation: m };
}

export async function count(db: Db, table: string, where = sql`TRUE`): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${where}`.execute(db);
  return r.rows[0]!.n;
}

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** How to start the central server: vitest's run-wide bundle (test/global-setup.ts) when there is one, else tsx. */
function centreCommand(args: string[]): [string, string[]] {
  const bundle = process.env.OIP_CENTRAL_BUNDLE;
  return bundle ? [process.execPath, [bundle, ...args]] : [TSX, ['central/main.ts', ...args]];
}

export interface CentreProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** `npm run central -- …` as a real process (what a province runs); resolves once it prints its address. */
export async function spawnCentre(args: string[], env: Record<string, string> = {}): Promise<CentreProcess> {
  const { spawn } = await import('node:child_process');
  const [command, argv] = centreCommand(args);
  const child = spawn(command, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`中心进程没有启动：${out}`)), 120_000);
    const check = (): void => {
      const m = /已启动：(http:\/\/\S+?)（/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`中心进程退出（${code}）：${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A CLI command of the centre: its exit code, and stdout parsed as the one JSON object it prints. */
export async function centreCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; json: unknown; stdout: string; stderr: string }> {
  const { spawnSync } = await import('node:child_process');
  const [command, argv] = centreCommand(args);
  const r = spawnSync(command, argv, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  let json: unknown = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = null;
  }
  return { code: r.status ?? -1, json, stdout: r.stdout, stderr: r.stderr };
}
