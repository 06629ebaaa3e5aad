// `npm run bench`: every benchmark, printing figures (never asserting times). Pick one with
// `npm run bench -- notices` (with the batch action: a hearing's 40 结论书), `npm run bench -- search` or `npm run bench -- scale` (a year of
// work: 100,000 cases; set BENCH_CASES for fewer).
import { benchNotices } from './notices';
import { benchSearch } from './search';
import { benchScale } from './scale';
import { benchBatch } from './batch';

const only = process.argv[2];
if (!only || only === 'notices') {
  await benchNotices();
  await benchBatch();
}
if (!only || only === 'search') await benchSearch();
if (!only || only === 'scale') await benchScale();
