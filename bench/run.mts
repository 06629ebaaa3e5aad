// `npm run bench`: every benchmark, printing figures (never asserting times). Pick one with
// `npm run bench -- notices`, `-- search`, `-- outbox` or `-- sync`.
import { benchNotices } from './notices';
import { benchSearch } from './search';
import { benchOutbox } from './outbox';
import { benchSyncCentral } from './sync-central';

const only = process.argv[2];
if (!only || only === 'notices') await benchNotices();
if (!only || only === 'search') await benchSearch();
if (!only || only === 'outbox') await benchOutbox();
if (!only || only === 'sync') await benchSyncCentral();
