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

-- ---- Applying rows -------------------------------------------------------------------------------
-- The merge rules and the change-log fan-out run here, in PL/pgSQL, so one mutation's rows are one
-- round trip whose statements keep their plans. The catalogue stays in TypeScript: each row comes
-- with its rule and links (central/core/merge.ts), and table and column names come in p_links.

-- Logs a write for every office that sees the row: holders of its case, or (no case) the offices
-- listed for it, the writer's office first among them.
CREATE FUNCTION oip_fan_out(p_table text, p_key text, p_key_json jsonb, p_version integer, p_deleted boolean, p_row jsonb,
  p_case text, p_device uuid, p_office uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_case IS NOT NULL THEN
    INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
    SELECT h.office_id, p_device, p_table, p_key, p_key_json, p_version, p_deleted, p_row FROM case_holders h WHERE h.case_id = p_case;
  ELSE
    INSERT INTO record_offices (table_name, key, office_id) VALUES (p_table, p_key, p_office) ON CONFLICT DO NOTHING;
    INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
    SELECT o.office_id, p_device, p_table, p_key, p_key_json, p_version, p_deleted, p_row
    FROM record_offices o WHERE o.table_name = p_table AND o.key = p_key;
  END IF;
END $$;

-- Makes a worker or hearing visible to the given offices and sends it to those that lacked it.
CREATE FUNCTION oip_show_to(p_table text, p_key text, p_offices uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH added AS (
    INSERT INTO record_offices (table_name, key, office_id) SELECT p_table, p_key, o FROM unnest(p_offices) AS o
    ON CONFLICT DO NOTHING RETURNING office_id)
  INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
  SELECT a.office_id, r.last_device, r.table_name, r.key, r.key_json, r.version, r.deleted, r.row
  FROM added a JOIN records r ON r.table_name = p_table AND r.key = p_key;
END $$;

-- Makes an office a holder of a case and back-fills it (worker, hearings, then the case's rows in
-- catalogue order). Returns -1 when the office already held it, else how many other offices do.
CREATE FUNCTION oip_add_holder(p_case text, p_office uuid, p_at timestamptz, p_links jsonb) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_worker text;
  v_hearing text;
BEGIN
  INSERT INTO case_holders (case_id, office_id, since) VALUES (p_case, p_office, p_at) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN -1;
  END IF;
  SELECT r.row ->> (p_links ->> 'worker_column') INTO v_worker
  FROM records r WHERE r.table_name = p_links ->> 'case_table' AND r.case_id = p_case AND NOT r.deleted;
  IF v_worker IS NOT NULL THEN
    PERFORM oip_show_to(p_links ->> 'worker_table', jsonb_build_array(v_worker)::text, ARRAY[p_office]);
  END IF;
  FOR v_hearing IN
    SELECT DISTINCT r.row ->> (p_links ->> 'hearing_column') FROM records r
    WHERE r.table_name = p_links ->> 'hearing_cases_table' AND r.case_id = p_case AND NOT r.deleted
  LOOP
    IF v_hearing IS NOT NULL THEN
      PERFORM oip_show_to(p_links ->> 'hearing_table', jsonb_build_array(v_hearing)::text, ARRAY[p_office]);
    END IF;
  END LOOP;
  INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
  SELECT p_office, r.last_device, r.table_name, r.key, r.key_json, r.version, r.deleted, r.row
  FROM records r JOIN jsonb_array_elements_text(p_links -> 'order') WITH ORDINALITY AS o(t, n) ON o.t = r.table_name
  WHERE r.case_id = p_case
  ORDER BY o.n, r.created_at, r.key;
  RETURN (SELECT count(*)::integer FROM case_holders h WHERE h.case_id = p_case AND h.office_id <> p_office);
END $$;

-- Applies a mutation's rows by their merge rules (docs/sync-protocol.md §5) and logs them. Returns
-- nothing for applied rows, a row per conflict, and stops at the first refusal (returned); the
-- caller undoes the whole transaction after either.
CREATE FUNCTION oip_apply_rows(p_rows jsonb, p_device uuid, p_office uuid, p_mutation uuid, p_at timestamptz, p_links jsonb)
RETURNS TABLE (i integer, outcome text, code text, centre_version integer, centre_deleted boolean, centre_row jsonb)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  r record;
  v_del boolean;
  v_case text;
  v_written boolean;
  v_created boolean;
  v_found boolean;
  v_cv integer;
  v_cd boolean;
  v_cr jsonb;
  v_others integer;
BEGIN
  FOR r IN
    SELECT * FROM jsonb_to_recordset(p_rows) AS x(i integer, tbl text, k text, kj jsonb, op text, base integer, ver integer, rw jsonb,
      merge text, self boolean, case_id text, show_table text, show_key text)
  LOOP
    v_del := r.op = 'delete';
    v_written := false;
    v_created := false;
    v_case := NULL;
    IF r.merge = 'append-only' AND v_del THEN
      RETURN QUERY SELECT r.i, 'refused'::text, 'APPEND_ONLY_DELETE'::text, NULL::integer, NULL::boolean, NULL::jsonb;
      RETURN;
    END IF;
    IF r.op = 'upsert' AND (r.merge <> 'versioned' OR r.base IS NULL) THEN
      INSERT INTO records (table_name, key, key_json, version, deleted, row, case_id, last_device, last_mutation, created_at, updated_at)
      VALUES (r.tbl, r.k, r.kj, r.ver, v_del, r.rw, r.case_id, p_device, p_mutation, p_at, p_at)
      ON CONFLICT (table_name, key) DO NOTHING
      RETURNING records.case_id INTO v_case;
      IF FOUND THEN
        v_written := true;
        v_created := true;
      END IF;
    END IF;
    IF NOT v_written AND ((r.merge = 'versioned' AND r.base IS NOT NULL) OR r.merge = 'set') THEN
      UPDATE records SET version = r.ver, deleted = v_del, row = r.rw, case_id = COALESCE(r.case_id, records.case_id),
        last_device = p_device, last_mutation = p_mutation, updated_at = p_at
      WHERE records.table_name = r.tbl AND records.key = r.k
        AND ((r.merge = 'versioned' AND records.version = r.base) OR (r.merge = 'set' AND records.deleted <> v_del))
      RETURNING records.case_id INTO v_case;
      v_written := FOUND;
    END IF;
    IF NOT v_written THEN
      SELECT c.version, c.deleted, c.row INTO v_cv, v_cd, v_cr FROM records c WHERE c.table_name = r.tbl AND c.key = r.k;
      v_found := FOUND;
      IF r.merge = 'versioned' THEN
        -- The same state again changes nothing; deleting what the centre never had is nothing to protect.
        IF (v_found AND v_cv = r.ver AND v_cd = v_del AND v_cr IS NOT DISTINCT FROM r.rw) OR (NOT v_found AND v_del) THEN
          CONTINUE;
        END IF;
        RETURN QUERY SELECT r.i, 'conflict'::text, 'CONFLICT'::text, v_cv, v_cd, v_cr;
        CONTINUE;
      ELSIF r.merge = 'append-only' THEN
        IF v_found AND NOT v_cd AND v_cr = r.rw THEN
          CONTINUE;
        END IF;
        RETURN QUERY SELECT r.i, 'refused'::text, 'APPEND_ONLY'::text, v_cv, v_cd, v_cr;
        RETURN;
      END IF;
      CONTINUE; -- set: already in that state
    END IF;

    -- A case new to the centre is held by the pushing device's office, which gets the whole case
    -- from the back-fill; other holders (assigned before it arrived) get the row as usual.
    IF r.self AND v_case IS NOT NULL AND v_created THEN
      v_others := oip_add_holder(v_case, p_office, p_at, p_links);
      IF v_others >= 0 THEN
        IF v_others > 0 THEN
          IF r.show_table IS NOT NULL THEN
            PERFORM oip_show_to(r.show_table, r.show_key, ARRAY(SELECT h.office_id FROM case_holders h WHERE h.case_id = v_case));
          END IF;
          INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
          SELECT h.office_id, p_device, r.tbl, r.k, r.kj, r.ver, v_del, r.rw FROM case_holders h
          WHERE h.case_id = v_case AND h.office_id <> p_office;
        END IF;
        CONTINUE;
      END IF;
    END IF;
    -- A case's worker, a hearing_cases row's hearing: shown to the holders before the row itself.
    IF r.show_table IS NOT NULL AND v_case IS NOT NULL AND NOT v_del THEN
      PERFORM oip_show_to(r.show_table, r.show_key, ARRAY(SELECT h.office_id FROM case_holders h WHERE h.case_id = v_case));
    END IF;
    PERFORM oip_fan_out(r.tbl, r.k, r.kj, r.ver, v_del, r.rw, v_case, p_device, p_office);
  END LOOP;
END $$;
