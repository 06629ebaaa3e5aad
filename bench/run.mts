// `npm run bench`: every benchmark, printing figures (never asserting times). Pick one with
// `npm run bench -- notices` (with the batch action: a hearing's 40 结论书), `-- search`,
// `-- scale` (a year of work: 100,000 cases; BENCH_CASES for fewer), `-- outbox`, `-- sync` or
// `-- security`.
import { benchNotices } from './notices';
import { benchSearch } from './search';
import { benchScale } from './scale';
import { benchBatch } from './batch';
import { benchOutbox } from './outbox';
import { benchSyncCentral } from './sync-central';
import { benchSecurity } from './security';

const only = process.argv[2];
if (!only || only === 'notices') {
  await benchNotices();
  await benchBatch();
}
if (!only || only === 'search') await benchSearch();
if (!only || only === 'scale') await benchScale();
if (!only || only === 'outbox') await benchOutbox();
if (!only || only === 'sync') await benchSyncCentral();
if (!only || only === 'security') await benchSecurity();
