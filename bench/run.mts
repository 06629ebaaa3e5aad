// `npm run bench`: every benchmark, printing figures (never asserting times). Pick one with
// `npm run bench -- notices` or `npm run bench -- search`.
import { benchNotices } from './notices';
import { benchSearch } from './search';

const only = process.argv[2];
if (!only || only === 'notices') await benchNotices();
if (!only || only === 'search') await benchSearch();
