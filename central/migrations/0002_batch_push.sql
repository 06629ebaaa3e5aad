-- A push batch applied in one call (docs/sync-protocol.md §4): oip_apply_batch runs a batch's
-- mutations in order inside the caller's transaction, each mutation's rows by oip_apply_rows. The
-- happy path takes one subtransaction for the whole batch; when a mutation conflicts or is refused,
-- the block is undone, the mutations before it are applied again, and the refused one is recorded
-- with its rows undone (and its keys re-announced), so a refusal rolls back only itself.
-- Also: a baseline row (kind sync.baseline) the centre already holds at the same or a newer
-- version is no change, never a conflict (every device's baseline carries the seeded platforms).

CREATE OR REPLACE FUNCTION oip_apply_rows(p_rows jsonb, p_device uuid, p_office uuid, p_mutation uuid, p_at timestamptz, p_links jsonb)
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
      merge text, self boolean, case_id text, show_table text, show_key text, bl boolean)
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
        -- A baseline row the centre holds at the same or a newer version: the centre's is the row.
        IF COALESCE(r.bl, false) AND v_found AND NOT v_cd AND r.ver <= v_cv THEN
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
    IF r.show_table IS NOT NULL AND v_case IS NOT NULL AND NOT v_del THEN
      PERFORM oip_show_to(r.show_table, r.show_key, ARRAY(SELECT h.office_id FROM case_holders h WHERE h.case_id = v_case));
    END IF;
    PERFORM oip_fan_out(r.tbl, r.k, r.kj, r.ver, v_del, r.rw, v_case, p_device, p_office);
  END LOOP;
END $$;

-- After a refusal or conflict: the centre's current state of every key the mutation named goes
-- into the pushing office's change log again (docs/sync-protocol.md §6, "After a refusal").
CREATE FUNCTION oip_reannounce(p_rows jsonb, p_office uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
  SELECT p_office, r.last_device, r.table_name, r.key, r.key_json, r.version, r.deleted, r.row
  FROM records r
  WHERE (r.table_name, r.key) IN (SELECT DISTINCT x.tbl, x.k FROM jsonb_to_recordset(p_rows) AS x(tbl text, k text))
  ORDER BY r.created_at, r.key;
END $$;

-- p_muts: [{n, mid, decided, rows}] in seq order. `decided` mutations (refused before any row:
-- role, audit chain, duplicate, shape) only re-announce their keys. Returns a row per conflicting
-- or refused row change (n = the mutation's index), nothing for applied mutations; outcome
-- 'invalid' when PostgreSQL could not store a value (the mutation is refused, its rows undone).
CREATE FUNCTION oip_apply_batch(p_muts jsonb, p_device uuid, p_office uuid, p_at timestamptz, p_links jsonb)
RETURNS TABLE (n integer, i integer, outcome text, code text, centre_version integer, centre_deleted boolean, centre_row jsonb)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  m record;
  v_from integer := 0;
  v_stop integer := NULL;
  v_stop_out jsonb;
  v_failed integer;
  v_cur integer;
  v_out jsonb;
  v_last integer;
BEGIN
  SELECT COALESCE(max(x.n), -1) INTO v_last FROM jsonb_to_recordset(p_muts) AS x(n integer);
  WHILE v_from <= v_last LOOP
    v_failed := NULL;
    BEGIN
      FOR m IN
        SELECT * FROM jsonb_to_recordset(p_muts) AS x(n integer, mid uuid, decided boolean, rows jsonb)
        WHERE x.n >= v_from AND (v_stop IS NULL OR x.n < v_stop) ORDER BY x.n
      LOOP
        v_cur := m.n;
        IF m.decided THEN
          PERFORM oip_reannounce(m.rows, p_office);
          CONTINUE;
        END IF;
        SELECT COALESCE(jsonb_agg(to_jsonb(o)), '[]'::jsonb) INTO v_out
        FROM oip_apply_rows(m.rows, p_device, p_office, m.mid, p_at, p_links) o;
        IF jsonb_array_length(v_out) > 0 THEN
          v_failed := m.n;
          RAISE EXCEPTION 'undo' USING ERRCODE = 'OIPUN';
        END IF;
      END LOOP;
    EXCEPTION
      WHEN SQLSTATE 'OIPUN' THEN
        NULL;
      WHEN data_exception OR integrity_constraint_violation THEN
        v_failed := v_cur;
        v_out := jsonb_build_array(jsonb_build_object('i', NULL, 'outcome', 'invalid', 'code', 'INVALID_ROW'));
    END;
    IF v_failed IS NULL AND v_stop IS NULL THEN
      EXIT;
    END IF;
    IF v_failed IS NULL OR v_failed = v_from THEN
      -- The mutations before the refused one are in (or there were none): record it, rows undone.
      IF v_failed IS NULL THEN
        v_failed := v_stop;
        v_out := v_stop_out;
      END IF;
      RETURN QUERY SELECT v_failed, (e ->> 'i')::integer, e ->> 'outcome', e ->> 'code', (e ->> 'centre_version')::integer,
        (e ->> 'centre_deleted')::boolean, NULLIF(e -> 'centre_row', 'null'::jsonb)
        FROM jsonb_array_elements(v_out) AS e WHERE e ->> 'outcome' IS NOT NULL;
      PERFORM oip_reannounce(x.rows, p_office) FROM jsonb_to_recordset(p_muts) AS x(n integer, rows jsonb) WHERE x.n = v_failed;
      v_from := v_failed + 1;
      v_stop := NULL;
    ELSE
      -- Undone from v_from on: apply again up to the refused one, then record it.
      v_stop := v_failed;
      v_stop_out := v_out;
    END IF;
  END LOOP;
END $$;
