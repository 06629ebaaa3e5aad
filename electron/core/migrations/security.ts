// Core tables of the security work (versions 10–19): sign-in failures summarised per account
// and time window, and the link between an 鉴定专家's account and their expert-pool record.
import type { Migration } from './migration';

export const securityMigrations: Migration[] = [
  {
    version: 10,
    name: 'sign-in failures summarised per account and window',
    sql: `
      -- One row per account (or '*' for names that match no account) with failures in an open
      -- window: the first failure is audited at once, the rest as one summary when the window ends.
      CREATE TABLE login_failures (
        subject TEXT PRIMARY KEY,
        user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
        window_start TEXT NOT NULL,
        window_end TEXT NOT NULL,
        failures INTEGER NOT NULL CHECK (failures >= 1),
        audited INTEGER NOT NULL CHECK (audited >= 0)
      ) STRICT;
    `,
  },
  {
    version: 11,
    name: 'an appraisal expert account is linked to its expert-pool record',
    sql: `
      -- Kept beside the pool (not a column of experts) so the pool's rows, which travel in hearing
      -- packages, never carry this device's account ids.
      CREATE TABLE expert_accounts (
        expert_id TEXT PRIMARY KEY REFERENCES experts(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
        linked_at TEXT NOT NULL
      ) STRICT;
    `,
  },
];
