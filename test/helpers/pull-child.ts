// A device process for the pull crash test: applies a pull page to a store in its own
// transaction, then dies by SIGKILL either just before the commit or just after it.
import fs from 'node:fs';
import { openStore } from '../../electron/core/db';
import { applyPullPage } from '../../electron/core/replication/pull';

const [dir, pageFile, when] = process.argv.slice(2) as [string, string, 'before-commit' | 'after-commit'];
const store = openStore(dir);
const page = JSON.parse(fs.readFileSync(pageFile, 'utf8')) as unknown;
const clock = { now: () => new Date('2026-11-25T02:00:00Z') };
if (when === 'before-commit') {
  await store.db.transaction().execute(async (trx) => {
    await applyPullPage(trx, clock, page);
    process.kill(process.pid, 'SIGKILL');
  });
} else {
  await applyPullPage(store.db, clock, page);
  process.kill(process.pid, 'SIGKILL');
}
