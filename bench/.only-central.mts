import { benchSyncCentral } from './sync-central';
await benchSyncCentral();
