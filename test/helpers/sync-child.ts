// A device process for the sync crash tests: opens a prepared store and dies by SIGKILL at a named
// point — right after a registration commits (its outbox entry with it), just after a push request
// leaves, after the push reply arrives but before its results are recorded, after a pull page is
// fetched but not applied, or after the first pull page is applied (mid-pull).
import { createCore } from '../../electron/core/app-core';
import { TEST_COST } from '../../electron/core/passwords';
import { deviceKey } from '../../electron/core/crypto/device-key';
import { runSyncPass } from '../../electron/core/sync/engine';
import type { FetchLike } from '../../electron/core/sync/centre-client';
import { beijingRider, withCheckDigit } from './intake';

type Point = 'after-outbox-commit' | 'push-sent' | 'push-replied' | 'pull-page-fetched' | 'mid-pull';
const [dir, point] = process.argv.slice(2) as [string, Point];
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

const core = createCore({ dataDir: dir, host: 'test', passwordCost: TEST_COST });
if (point === 'after-outbox-commit') {
  const login = await core.dispatch({ method: 'auth.login', input: { username: 'clerk', password: 'Staff-pass-2026' } });
  const token = login.ok ? (login.result as { sessionToken: string }).sessionToken : null;
  const r = await core.dispatch({
    method: 'cases.register',
    input: beijingRider({ idNumber: withCheckDigit('63010219900101999') }),
    sessionToken: token,
  });
  if (!r.ok) throw new Error(r.error.message);
  die();
}

// The request leaves, and the process dies before any answer can be read.
const sending: FetchLike = async (url, init) => {
  const p = fetch(url, { method: init.method, headers: init.headers, body: init.body as BodyInit | undefined, signal: init.signal });
  if (point === 'push-sent' && url.endsWith('/v1/push')) {
    void p.catch(() => undefined);
    setImmediate(die);
    return new Promise(() => undefined);
  }
  return p as never;
};

await runSyncPass(
  {
    db: core.store.db,
    clock: core.deps.clock,
    key: deviceKey(dir),
    fetch: sending,
    pushBatch: 2,
    pullLimit: 3,
    checkpoint: (name) => {
      if (point === 'push-replied' && name === 'push-replied') die();
      if (point === 'pull-page-fetched' && name === 'pull-page-fetched') die();
      if (point === 'mid-pull' && name === 'pull-page-applied') die();
    },
  },
  'background',
);
console.log('pass ended without reaching its kill point');
process.exit(3);
