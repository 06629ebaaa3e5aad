-- Push speed (issue #12): a run of mutations applied set-based. oip_apply_batch (0002) applies a
-- batch row by row in PL/pgSQL: some twenty statements per registration, each with its own
-- executor start-up, index probes and foreign-key checks; at 10,000 registrations that was 8.6 s
-- of PostgreSQL's CPU. oip_apply_set does the common case, a run of mutations whose rows are all
-- new rows or edits on top of the centre's version (a row changed again within the run only as
-- an edit of the run's own last version of it: a case registered, then accepted, then billed),
-- in a handful of statements over the whole run: insert the new rows, update the edited ones, hold the new cases,
-- list the office-wide rows, show workers and hearings to new holders, log every row for every
-- office that sees it, in the run's order. Anything else (a row the centre already has, a stale
-- edit, a delete, a case someone else held before it arrived) is not guessed at: the function
-- undoes what it did and answers false, and the caller applies that run with oip_apply_batch,
-- whose rules (docs/sync-protocol.md §5) stay the one statement of what a row change means.
--
-- The duplicate-case and first-custody triggers (0021, 0022) fired once per new case row, each
-- a PL/pgSQL call that planned its lookups anew (0030): they now run once per INSERT statement
-- over its new rows (a transition table), which is what a set-based insert needs.

-- The run being applied, one row per row change in apply order (o). Temporary, per connection;
-- emptied at commit and at the start of every call.
CREATE FUNCTION oip_set_table() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF to_regclass('pg_temp.oip_set_rows') IS NOT NULL THEN
    RETURN;
  END IF;
  CREATE TEMP TABLE oip_set_rows (
    o integer PRIMARY KEY,
    mid uuid NOT NULL,
    tbl text NOT NULL,
    k text NOT NULL,
    kj jsonb NOT NULL,
    base integer,
    ver integer NOT NULL,
    rw jsonb NOT NULL,
    is_new boolean NOT NULL,
    self boolean NOT NULL,
    case_id text,
    show_table text,
    show_key text,
    -- The key's first and last change in the run, and the version the one before it made.
    first boolean NOT NULL,
    last boolean NOT NULL,
    prev_ver integer
  ) ON COMMIT DELETE ROWS;
  CREATE INDEX oip_set_rows_key ON oip_set_rows (tbl, k);
  CREATE INDEX oip_set_rows_case ON oip_set_rows (case_id);
  -- Who a run's rows showed a worker or hearing to, and at which row.
  CREATE TEMP TABLE oip_set_shown (
    table_name text NOT NULL,
    key text NOT NULL,
    office_id uuid NOT NULL,
    o integer NOT NULL,
    PRIMARY KEY (table_name, key, office_id)
  ) ON COMMIT DELETE ROWS;
END $$;

-- p_muts: [{n, mid, rows: [RowSpec]}] in seq order, as oip_apply_batch takes them (decided ones
-- never come here). True: every row applied and logged. False: nothing of the run is left.
-- Every lookup here is by key (records, holders, offices for each row of the run); the run's
-- table has no statistics, so the planner is held to index probes rather than left to guess a
-- hash join over all of records. Plans are cached per connection like any PL/pgSQL statement.
CREATE FUNCTION oip_apply_set(p_muts jsonb, p_device uuid, p_office uuid, p_at timestamptz, p_links jsonb) RETURNS boolean
LANGUAGE plpgsql SET jit = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
  v_want integer;
  v_got integer;
BEGIN
  PERFORM oip_set_table();
  BEGIN
    DELETE FROM oip_set_rows;
    INSERT INTO oip_set_rows (o, mid, tbl, k, kj, base, ver, rw, is_new, self, case_id, show_table, show_key, first, last, prev_ver)
    SELECT y.o, y.mid, y.tbl, y.k, y.kj, y.base, y.ver, y.rw, y.is_new, y.self, y.case_id, y.show_table, y.show_key,
      row_number() OVER (PARTITION BY y.tbl, y.k ORDER BY y.o) = 1,
      row_number() OVER (PARTITION BY y.tbl, y.k ORDER BY y.o DESC) = 1,
      lag(y.ver) OVER (PARTITION BY y.tbl, y.k ORDER BY y.o)
    FROM (
      SELECT row_number() OVER (ORDER BY m.n, x.i) AS o, m.mid, x.tbl, x.k, x.kj, x.base, x.ver, x.rw,
        x.merge <> 'versioned' OR x.base IS NULL AS is_new, x.self, x.case_id, x.show_table, x.show_key
      FROM jsonb_to_recordset(p_muts) AS m(n integer, mid uuid, rows jsonb)
      CROSS JOIN LATERAL jsonb_to_recordset(m.rows) AS x(i integer, tbl text, k text, kj jsonb, op text, base integer, ver integer,
        rw jsonb, merge text, self boolean, case_id text, show_table text, show_key text)
      WHERE x.op = 'upsert' AND x.rw IS NOT NULL) y;
    GET DIAGNOSTICS v_got = ROW_COUNT;
    SELECT COALESCE(sum(jsonb_array_length(m.rows)), 0) INTO v_want FROM jsonb_to_recordset(p_muts) AS m(rows jsonb);
    -- A delete (not taken above); a key changed again other than as an edit of the run's own last
    -- version of it: not this function's case.
    IF v_got <> v_want OR EXISTS (SELECT 1 FROM oip_set_rows WHERE NOT first AND (is_new OR base IS DISTINCT FROM prev_ver)) THEN
      RAISE EXCEPTION 'fallback' USING ERRCODE = 'OIPFB';
    END IF;

    -- New rows: every one must be new to the centre. Stored as the run leaves them (its last change).
    INSERT INTO records (table_name, key, key_json, version, deleted, row, case_id, last_device, last_mutation, created_at, updated_at)
    SELECT f.tbl, f.k, f.kj, l.ver, false, l.rw, COALESCE(l.case_id, f.case_id), p_device, l.mid, p_at, p_at
    FROM oip_set_rows f JOIN oip_set_rows l ON l.tbl = f.tbl AND l.k = f.k AND l.last
    WHERE f.first AND f.is_new ORDER BY f.o
    ON CONFLICT (table_name, key) DO NOTHING;
    GET DIAGNOSTICS v_got = ROW_COUNT;
    SELECT count(*) INTO v_want FROM oip_set_rows WHERE first AND is_new;
    IF v_got <> v_want THEN
      RAISE EXCEPTION 'fallback' USING ERRCODE = 'OIPFB';
    END IF;

    -- Edits: every one on top of the version the centre holds. The row's case is the centre's
    -- when the edit does not name one.
    WITH edited AS (
      UPDATE records r SET version = l.ver, deleted = false, row = l.rw, case_id = COALESCE(l.case_id, r.case_id),
        last_device = p_device, last_mutation = l.mid, updated_at = p_at
      FROM oip_set_rows f JOIN oip_set_rows l ON l.tbl = f.tbl AND l.k = f.k AND l.last
      WHERE f.first AND NOT f.is_new AND r.table_name = f.tbl AND r.key = f.k AND r.version = f.base
      RETURNING r.table_name)
    SELECT count(*) INTO v_got FROM edited;
    SELECT count(*) INTO v_want FROM oip_set_rows WHERE first AND NOT is_new;
    IF v_got <> v_want THEN
      RAISE EXCEPTION 'fallback' USING ERRCODE = 'OIPFB';
    END IF;
    -- Each change of a row belongs to the row's case (as the row-by-row path reads it back).
    UPDATE oip_set_rows s SET case_id = r.case_id FROM records r
    WHERE s.case_id IS NULL AND r.table_name = s.tbl AND r.key = s.k AND r.case_id IS NOT NULL;

    -- A case new to the centre is held by the pushing office. oip_add_holder would also back-fill
    -- what the centre held of it already and send it to earlier holders: when there is any such
    -- thing (a case assigned before it arrived, rows of it that came first), the row-by-row path.
    IF EXISTS (
      SELECT 1 FROM oip_set_rows s
      WHERE s.self AND s.is_new AND s.first AND s.case_id IS NOT NULL
        AND (EXISTS (SELECT 1 FROM case_holders h WHERE h.case_id = s.case_id)
          OR EXISTS (SELECT 1 FROM records r WHERE r.case_id = s.case_id
            AND NOT EXISTS (SELECT 1 FROM oip_set_rows w WHERE w.tbl = r.table_name AND w.k = r.key))
          OR EXISTS (SELECT 1 FROM oip_set_rows w WHERE w.case_id = s.case_id AND w.o < s.o))) THEN
      RAISE EXCEPTION 'fallback' USING ERRCODE = 'OIPFB';
    END IF;
    INSERT INTO case_holders (case_id, office_id, since)
    SELECT DISTINCT s.case_id, p_office, p_at FROM oip_set_rows s WHERE s.self AND s.is_new AND s.first AND s.case_id IS NOT NULL;

    -- Rows of no case are seen by the writer's office (and by those that saw them already).
    INSERT INTO record_offices (table_name, key, office_id)
    SELECT DISTINCT s.tbl, s.k, p_office FROM oip_set_rows s WHERE s.case_id IS NULL
    ON CONFLICT DO NOTHING;

    -- A case's worker, a hearing link's hearing: shown to every holder of the case that did not
    -- see it yet, logged just before the row that showed it (a parent first), as its current row.
    DELETE FROM oip_set_shown;
    INSERT INTO oip_set_shown (table_name, key, office_id, o)
    SELECT s.show_table, s.show_key, h.office_id, min(s.o)
    FROM oip_set_rows s JOIN case_holders h ON h.case_id = s.case_id
    WHERE s.show_table IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM record_offices ro WHERE ro.table_name = s.show_table AND ro.key = s.show_key AND ro.office_id = h.office_id)
    GROUP BY 1, 2, 3;
    INSERT INTO record_offices (table_name, key, office_id) SELECT table_name, key, office_id FROM oip_set_shown ON CONFLICT DO NOTHING;

    -- Every row, in the run's order, for every office that sees it when its turn comes (an office
    -- a later row shows it to gets it from that show).
    INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
    SELECT e.office_id, e.origin_device, e.table_name, e.key, e.key_json, e.version, e.deleted, e.row
    FROM (
      SELECT sh.o, 0 AS part, sh.office_id, r.last_device AS origin_device, r.table_name, r.key, r.key_json, r.version, r.deleted, r.row
      FROM oip_set_shown sh JOIN records r ON r.table_name = sh.table_name AND r.key = sh.key
      UNION ALL
      SELECT s.o, 1, v.office_id, p_device, s.tbl, s.k, s.kj, s.ver, false, s.rw
      FROM oip_set_rows s
      CROSS JOIN LATERAL (
        SELECT h.office_id FROM case_holders h WHERE s.case_id IS NOT NULL AND h.case_id = s.case_id
        UNION ALL
        SELECT ro.office_id FROM record_offices ro
        WHERE s.case_id IS NULL AND ro.table_name = s.tbl AND ro.key = s.k
          AND NOT EXISTS (SELECT 1 FROM oip_set_shown sh WHERE sh.table_name = s.tbl AND sh.key = s.k AND sh.office_id = ro.office_id AND sh.o > s.o)) v
    ) e
    ORDER BY e.o, e.part, e.office_id;
    RETURN true;
  EXCEPTION
    WHEN SQLSTATE 'OIPFB' OR data_exception OR integrity_constraint_violation THEN
      RETURN false;
  END;
END $$;

-- ---- The triggers on new case rows, once per statement -------------------------------------------

DROP TRIGGER records_first_custody ON records;
DROP TRIGGER records_duplicate_case ON records;
DROP FUNCTION oip_first_custody();
DROP FUNCTION oip_detect_duplicate();

-- It fires for every insert into records (a statement trigger cannot filter rows), so it returns
-- at once unless the statement made a case. Its lookups are index probes per new case (the worker
-- by key, workers by 身份证号, cases by worker): a hash join would read every worker and case the
-- centre holds on each statement, a cost that grows with the centre, so for these statements
-- (and only while they run) only nested loops are planned.
CREATE FUNCTION oip_new_cases() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_hash text := current_setting('enable_hashjoin');
  v_merge text := current_setting('enable_mergejoin');
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_records n WHERE n.table_name = 'cases' AND NOT n.deleted) THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true);
  -- First custody: the office of the device that first pushed the case (0022).
  INSERT INTO case_custody (case_id, office_id, since)
  SELECT DISTINCT ON (n.case_id) n.case_id, d.office_id, now()
  FROM new_records n JOIN devices d ON d.id = n.last_device
  WHERE n.table_name = 'cases' AND NOT n.deleted AND n.case_id IS NOT NULL
  ORDER BY n.case_id
  ON CONFLICT (case_id) DO NOTHING;

  -- Possible duplicates (0021): another live case whose worker has the same 身份证号, with the same
  -- accident date, offered to every office involved. Two new cases of one statement that match
  -- each other are one pair, offered once (from the later key's side, as if it came second).
  WITH mine AS (
    SELECT n.key, n.key_json, n.version, n.row, n.last_device, n.last_mutation, w.row AS worker
    FROM new_records n
    JOIN records w ON w.table_name = 'workers' AND w.key = json_build_array(n.row ->> 'worker_id')::text AND NOT w.deleted
    WHERE n.table_name = 'cases' AND NOT n.deleted AND coalesce(w.row ->> 'id_number', '') <> ''
      -- Without an accident date nothing matches (NULL equals nothing): no need to look.
      AND n.row ->> 'accident_date' IS NOT NULL),
  pairs AS MATERIALIZED (
    SELECT m.*, oc.key AS other_key, oc.key_json AS other_key_json, oc.version AS other_version, oc.row AS other_row,
      oc.case_id AS other_case, oc.last_device AS other_device, ow.row AS other_worker, gen_random_uuid() AS grp
    FROM mine m
    JOIN records ow ON ow.table_name = 'workers' AND NOT ow.deleted AND ow.row ->> 'id_number' = m.worker ->> 'id_number'
    JOIN records oc ON oc.table_name = 'cases' AND NOT oc.deleted AND oc.row ->> 'worker_id' = ow.row ->> 'id'
    WHERE oc.key <> m.key AND oc.row ->> 'accident_date' = m.row ->> 'accident_date'
      AND NOT (oc.key > m.key AND EXISTS (SELECT 1 FROM new_records x WHERE x.table_name = 'cases' AND x.key = oc.key)))
  INSERT INTO conflicts (id, device_id, seq, mutation_id, kind, table_name, key_json, device_op, base_version, device_version,
    device_row, centre_version, centre_deleted, centre_row, created_at, office_id, conflict_kind, group_id, detail)
  SELECT gen_random_uuid(), p.last_device, NULL, p.last_mutation, 'cases.register', 'cases', p.key_json, 'upsert', NULL,
    p.version, p.row, p.other_version, false, p.other_row, now(), o.office_id, 'duplicate', p.grp,
    jsonb_build_object('mineWorker', p.worker, 'otherWorker', p.other_worker, 'otherKey', p.other_key_json)
  FROM pairs p
  CROSS JOIN LATERAL (
    SELECT DISTINCT x AS office_id FROM (
      SELECT office_id AS x FROM devices WHERE id = p.last_device
      UNION SELECT office_id FROM devices WHERE id = p.other_device
      UNION SELECT office_id FROM case_holders WHERE case_id = p.other_case) s
    WHERE x IS NOT NULL) o;
  PERFORM set_config('enable_hashjoin', v_hash, true), set_config('enable_mergejoin', v_merge, true);
  RETURN NULL;
END $$;
CREATE TRIGGER records_new_cases AFTER INSERT ON records REFERENCING NEW TABLE AS new_records
  FOR EACH STATEMENT EXECUTE FUNCTION oip_new_cases();
