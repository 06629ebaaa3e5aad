// Starts a real web host on a fresh store for each e2e test file, serving the built renderer.
import { test as base } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { createCore, type Core } from '../../electron/core/app-core';
import { ManualClock } from '../../electron/core/clock';
import { startWebHost, type WebHost } from '../../electron/web-host';
import { TEST_COST } from '../../electron/core/passwords';
import { tempDir } from '../helpers/core';

export const SCREENSHOTS = path.resolve('test/e2e/artifacts');

export const test = base.extend<{ app: { core: Core; host: WebHost } }>({
  // eslint-disable-next-line no-empty-pattern
  app: async ({}, use) => {
    // A fixed clock (Tue 2026-11-24, 10:00 China time) keeps statutory clocks and
    // "not in the future" checks the same whenever the suite runs.
    const dataDir = tempDir('oip-e2e-');
    // The test host: the dispatcher checks every result against the contract while the UI drives it.
    const core = createCore({ dataDir, host: 'test', clock: new ManualClock(new Date('2026-11-24T02:00:00Z')), passwordCost: TEST_COST });
    const host = await startWebHost({ core, rendererDir: path.resolve('out/renderer') });
    await use({ core, host });
    await host.close();
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
