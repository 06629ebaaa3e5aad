-- Reference data the centre owns (issue #13): every published version of every item, signed by
-- the centre's key, in publication order (the feed devices pull), and the accounts of each office
-- as last published (the push path's role check consults them before the replicated users rows).

CREATE TABLE reference_items (
  -- The feed's cursor. Publications take LOCK_REFERENCE (an advisory transaction lock) before
  -- their insert, so they commit in seq order and a reader never sees seq n+1 before n.
  seq bigserial PRIMARY KEY,
  kind text NOT NULL,
  item_id text NOT NULL,
  version text NOT NULL,
  -- Per (kind, item): 1, 2, … A device refuses a revision at or below the one it holds.
  revision integer NOT NULL,
  -- Accounts go to one office; everything else to every device.
  office_id uuid REFERENCES offices(id),
  published_at timestamptz NOT NULL,
  -- The body as signed (JSON text: jsonb would reformat what the signature covers).
  body text NOT NULL,
  key_id text NOT NULL,
  signature text NOT NULL,
  UNIQUE (kind, item_id, revision)
);
CREATE INDEX reference_items_office ON reference_items(office_id, seq);

CREATE TABLE central_accounts (
  user_id text PRIMARY KEY,
  office_id uuid NOT NULL REFERENCES offices(id),
  username text NOT NULL,
  display_name text NOT NULL,
  roles text[] NOT NULL,
  active boolean NOT NULL,
  revision integer NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX central_accounts_office ON central_accounts(office_id);
