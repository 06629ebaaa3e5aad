// The administrator's way into a running PGlite centre. PGlite is one process's database: a
// second process opening the same folder would damage it, so while the centre runs, the command
// line (`enrol-code`, `stats`, `revoke`, `assign-case`, `publish`, `reference`, `admin-add` …) sends its command over a Unix socket in
// the data folder (owner-only, never reachable through the network or the TLS proxy) and the
// running centre carries it out. With PostgreSQL the commands open the database themselves.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Db } from './db/database';
import type { Clock } from './core/clock';
import { CentralError } from './core/errors';
import { makeEnrolCode } from './core/enrolment';
import { assignCase, revokeDevice, stats } from './core/admin';
import { publishReference, referenceSummary } from './core/reference';
import { defineSeries, listLeases, type SeriesInput } from './core/leases';
import { handOver } from './core/holders';
import { addAdmin, disableAdmin } from './core/admin-accounts';

export type AdminCommand =
  | { command: 'enrol-code'; office?: string | undefined; hours?: number | undefined }
  | { command: 'stats' }
  | { command: 'revoke'; device: string }
  | { command: 'assign-case'; caseId: string; office: string }
  | { command: 'publish'; kind: string; body: unknown; office?: string | undefined }
  | { command: 'reference' }
  | ({ command: 'number-series' } & SeriesInput)
  | { command: 'leases' }
  | { command: 'hand-over'; caseId: string; office: string }
  | { command: 'admin-add'; username: string; displayName?: string | undefined; role: string; verifier: unknown }
  | { command: 'admin-disable'; username: string };

export async function runAdmin(db: Db, clock: Clock, c: AdminCommand): Promise<unknown> {
  switch (c.command) {
    case 'enrol-code': {
      const r = await makeEnrolCode(db, clock, { office: c.office, hours: c.hours });
      return { code: r.code, expiresAt: r.expiresAt, office: r.office };
    }
    case 'stats':
      return stats(db);
    case 'revoke':
      return revokeDevice(db, clock, c.device);
    case 'assign-case':
      return assignCase(db, clock, c.caseId, c.office);
    case 'publish':
      return publishReference(db, clock, { kind: c.kind, body: c.body, office: c.office });
    case 'reference':
      return referenceSummary(db);
    case 'number-series':
      return defineSeries(db, clock, c);
    case 'leases':
      return listLeases(db);
    case 'hand-over':
      return handOver(db, clock, c.caseId, c.office);
    case 'admin-add':
      return addAdmin(db, clock, c);
    case 'admin-disable':
      return disableAdmin(db, clock, c.username);
  }
}

export function socketPath(dataDir: string): string {
  return path.join(dataDir, 'admin.sock');
}

export async function listenAdmin(dataDir: string, db: Db, clock: Clock): Promise<() => Promise<void>> {
  const file = socketPath(dataDir);
  fs.rmSync(file, { force: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let status = 200;
        let body: unknown;
        try {
          body = await runAdmin(db, clock, JSON.parse(Buffer.concat(chunks).toString('utf8')) as AdminCommand);
        } catch (e) {
          status = e instanceof CentralError ? e.status : 500;
          body = {
            ok: false,
            error: { code: e instanceof CentralError ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) },
          };
        }
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => resolve());
  });
  fs.chmodSync(file, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        fs.rmSync(file, { force: true });
        resolve();
      });
    });
}

/** Sends a command to a running centre; null when none listens on the folder's socket. */
export async function sendAdmin(dataDir: string, c: AdminCommand): Promise<{ status: number; body: unknown } | null> {
  const file = socketPath(dataDir);
  if (!fs.existsSync(file)) return null;
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: file, method: 'POST', path: '/', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 500, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      // A socket left by a centre that was killed: nobody listens, so the folder is free.
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT') {
        fs.rmSync(file, { force: true });
        resolve(null);
      } else reject(e);
    });
    req.end(JSON.stringify(c));
  });
}
