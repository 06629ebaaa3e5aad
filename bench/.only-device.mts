import { benchSyncDevice } from './sync-device';
await benchSyncDevice();
