// Reference data owned by the centre (versions 540–549; issue #13): the items in force on this
// device (rule packs, calendar, GB/T 16180 catalogue, expert pool, platform list, offices and
// committees, this office's accounts), each with its version and where it came from — bundled
// with the release (seeded from resources/ on first start) or published and signed by the
// centre — the cursor of the centre's reference feed, the items refused whole with the reason
// shown on the 同步 page, and which accounts the centre manages. docs/rule-packs.md.
import type { Migration } from './migration';

export const referenceMigrations: Migration[] = [
  {
    version: 540,
    name: 'reference data in the store, signed centre items, centrally managed accounts',
    sql: `
      CREATE TABLE reference_items (
        kind TEXT NOT NULL,
        item_id TEXT NOT NULL,
        version TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('bundled', 'centre')),
        -- The centre's publication count of the item (0 for bundled): older or replayed items are refused.
        revision INTEGER NOT NULL,
        body TEXT NOT NULL,
        -- The centre's signature over referenceSigningBytes (null for bundled), kept to re-check.
        signature TEXT,
        published_at TEXT,
        installed_at TEXT NOT NULL,
        PRIMARY KEY (kind, item_id)
      ) STRICT, WITHOUT ROWID;

      -- One row: the centre feed's cursor and a token that changes with every install, so
      -- readers (rule data caches) notice a new version without a restart.
      CREATE TABLE reference_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        cursor INTEGER NOT NULL DEFAULT 0,
        generation TEXT NOT NULL DEFAULT ''
      ) STRICT;
      INSERT INTO reference_state (id) VALUES (1);

      CREATE TABLE reference_rejections (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        item_id TEXT NOT NULL,
        version TEXT NOT NULL,
        message TEXT NOT NULL
      ) STRICT;

      -- Accounts that come down from the centre: the centre decides their roles, password
      -- verifier and whether they are active; local edits of them are refused.
      CREATE TABLE centre_accounts (
        user_id TEXT PRIMARY KEY REFERENCES users(id),
        revision INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
];
