-- The centre's first schema: offices, enrolled devices and their one-time codes, request nonces,
-- the centre's own signing key, the exactly-once mutation log with its stored results, audit
-- copies, blobs, the replicated records (one generic table keyed by catalogue table and row key),
-- who holds which case, the commit-ordered change log that pull serves, document numbers, and
-- conflicts. Runs unchanged on PostgreSQL 15+ and PGlite.

CREATE TABLE offices (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);

CREATE TABLE devices (
  id uuid PRIMARY KEY,
  tag text NOT NULL UNIQUE,
  office_id uuid NOT NULL REFERENCES offices(id),
  name text NOT NULL,
  public_key text NOT NULL,
  key_id text NOT NULL,
  app_version text NOT NULL,
  schema_version integer NOT NULL,
  catalogue_version integer NOT NULL,
  -- The highest seq recorded for this device (applied, rejected or conflict); the row is locked
  -- by every push transaction of the device, which serialises them across nodes.
  last_seq integer NOT NULL DEFAULT 0,
  enrolled_at timestamptz NOT NULL,
  last_seen_at timestamptz,
  revoked_at timestamptz
);
-- One live enrolment per key: a document's signer key names one device.
CREATE UNIQUE INDEX devices_live_key ON devices(public_key) WHERE revoked_at IS NULL;

CREATE TABLE enrol_codes (
  id uuid PRIMARY KEY,
  -- The code's first group, stored plain to find it; the whole code only as a SHA-256.
  lookup text NOT NULL,
  secret_hash text NOT NULL,
  office_id uuid NOT NULL REFERENCES offices(id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  used_at timestamptz,
  device_id uuid REFERENCES devices(id)
);
CREATE UNIQUE INDEX enrol_codes_live_lookup ON enrol_codes(lookup) WHERE used_at IS NULL AND failed_attempts < 5;

CREATE TABLE nonces (
  nonce text PRIMARY KEY,
  device_id uuid NOT NULL REFERENCES devices(id),
  expires_at timestamptz NOT NULL
);
CREATE INDEX nonces_device ON nonces(device_id, expires_at);

CREATE TABLE centre_key (
  id integer PRIMARY KEY CHECK (id = 1),
  private_key text NOT NULL,
  public_key text NOT NULL,
  key_id text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE mutations (
  device_id uuid NOT NULL REFERENCES devices(id),
  seq integer NOT NULL,
  mutation_id uuid NOT NULL,
  kind text NOT NULL,
  entity text,
  entity_id text,
  user_id text,
  rule_pack text,
  schema_version integer NOT NULL,
  at text NOT NULL,
  row_count integer NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'rejected', 'conflict')),
  code text,
  message text,
  conflict_id uuid,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (device_id, seq)
);
CREATE INDEX mutations_status ON mutations(status);
-- One business effect per mutation id; a second sending under another seq is recorded as refused.
CREATE UNIQUE INDEX mutations_once ON mutations(mutation_id) WHERE code IS DISTINCT FROM 'DUPLICATE_MUTATION';

CREATE TABLE audit_copies (
  device_id uuid NOT NULL REFERENCES devices(id),
  seq integer NOT NULL,
  at text NOT NULL,
  actor_id text,
  actor_name text,
  method text NOT NULL,
  action text NOT NULL,
  entity text,
  entity_id text,
  summary text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  mutation_seq integer NOT NULL,
  PRIMARY KEY (device_id, seq)
);

CREATE TABLE blobs (
  sha256 text PRIMARY KEY,
  bytes bytea NOT NULL,
  size integer NOT NULL,
  created_at timestamptz NOT NULL
);

-- Every replicated row, whatever its table: the catalogue (shared/sync/tables.ts) is the schema.
CREATE TABLE records (
  table_name text NOT NULL,
  -- rowKeyString(): the key values in key order, JSON-encoded.
  key text NOT NULL,
  key_json jsonb NOT NULL,
  version integer NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  row jsonb,
  -- The case the row belongs to (link self or column), for office scoping.
  case_id text,
  -- The device whose write made the current state (it is not sent that state back).
  last_device uuid REFERENCES devices(id),
  last_mutation uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (table_name, key)
);
CREATE INDEX records_case ON records(case_id) WHERE case_id IS NOT NULL;
CREATE INDEX records_cases_by_worker ON records ((row ->> 'worker_id')) WHERE table_name = 'cases';
CREATE INDEX records_roles_by_user ON records ((row ->> 'user_id')) WHERE table_name = 'user_roles';
CREATE INDEX records_hearing_cases_by_case ON records ((row ->> 'case_id')) WHERE table_name = 'hearing_cases';

-- Which offices hold a case: the office of the device that first pushed it, and offices the
-- centre assigns it to. A holder office receives every row of the case.
CREATE TABLE case_holders (
  case_id text NOT NULL,
  office_id uuid NOT NULL REFERENCES offices(id),
  since timestamptz NOT NULL,
  PRIMARY KEY (case_id, office_id)
);
CREATE INDEX case_holders_office ON case_holders(office_id);

-- Offices that see a row not keyed by one case (workers, hearings, office-wide records).
CREATE TABLE record_offices (
  table_name text NOT NULL,
  key text NOT NULL,
  office_id uuid NOT NULL REFERENCES offices(id),
  PRIMARY KEY (table_name, key, office_id)
);

-- The change log pull serves, one entry per (write, office that sees it), each with the row as
-- written. Ordered by the writing transaction's id, then id: pull serves only entries whose
-- transaction id is below the oldest running transaction, so a late commit is never skipped.
CREATE TABLE changes (
  id bigserial PRIMARY KEY,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  office_id uuid NOT NULL,
  origin_device uuid,
  table_name text NOT NULL,
  key text NOT NULL,
  key_json jsonb NOT NULL,
  version integer NOT NULL,
  deleted boolean NOT NULL,
  row jsonb
);
CREATE INDEX changes_office_order ON changes(office_id, xid, id);

-- 文号 are unique across the province: other bytes under a known number are refused.
CREATE TABLE document_numbers (
  document_no text PRIMARY KEY,
  document_id text NOT NULL,
  pdf_sha256 text NOT NULL,
  device_id uuid NOT NULL REFERENCES devices(id),
  signer_key_id text NOT NULL
);

-- A change made on top of a version the centre no longer holds: both rows, for a person.
CREATE TABLE conflicts (
  id uuid PRIMARY KEY,
  device_id uuid NOT NULL REFERENCES devices(id),
  seq integer NOT NULL,
  mutation_id uuid NOT NULL,
  kind text NOT NULL,
  table_name text NOT NULL,
  key_json jsonb NOT NULL,
  device_op text NOT NULL,
  base_version integer,
  device_version integer NOT NULL,
  device_row jsonb,
  centre_version integer,
  centre_deleted boolean,
  centre_row jsonb,
  created_at timestamptz NOT NULL,
  resolved_at timestamptz
);
CREATE INDEX conflicts_open ON conflicts(created_at) WHERE resolved_at IS NULL;
