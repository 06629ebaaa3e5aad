-- The 同步冲突 inbox (issue #13, central/core/conflicts.ts): each conflict names the office that must
-- decide it; a registration that looks like one made elsewhere (same 身份证号, same accident date)
-- is recorded as a possible duplicate for every office holding either case; a person's decision
-- comes back as a replicated conflict_decisions row and closes the conflict (or the duplicate's
-- whole group).
ALTER TABLE conflicts ADD COLUMN office_id uuid REFERENCES offices(id);
ALTER TABLE conflicts ADD COLUMN conflict_kind text NOT NULL DEFAULT 'stale' CHECK (conflict_kind IN ('stale', 'duplicate'));
ALTER TABLE conflicts ADD COLUMN group_id uuid;
ALTER TABLE conflicts ADD COLUMN detail jsonb;
ALTER TABLE conflicts ADD COLUMN resolution text;
ALTER TABLE conflicts ADD COLUMN resolved_by text;
ALTER TABLE conflicts ADD COLUMN resolved_device uuid REFERENCES devices(id);
-- A duplicate is found from records, not from one push: it has no seq of its own.
ALTER TABLE conflicts ALTER COLUMN seq DROP NOT NULL;
UPDATE conflicts c SET office_id = d.office_id FROM devices d WHERE d.id = c.device_id AND c.office_id IS NULL;
CREATE INDEX conflicts_office ON conflicts(office_id, created_at);
CREATE INDEX records_worker_id_number ON records ((row ->> 'id_number')) WHERE table_name = 'workers' AND NOT deleted;
CREATE INDEX records_case_worker ON records ((row ->> 'worker_id')) WHERE table_name = 'cases' AND NOT deleted;

-- A stale edit is decided by the office of the device that made it (push.ts does not name it).
CREATE FUNCTION oip_conflict_office() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.office_id IS NULL THEN
    SELECT office_id INTO NEW.office_id FROM devices WHERE id = NEW.device_id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER conflicts_office BEFORE INSERT ON conflicts FOR EACH ROW EXECUTE FUNCTION oip_conflict_office();

-- A new case whose worker has the 身份证号 of another case's worker, with the same accident date:
-- offered to every office involved as a possible duplicate.
CREATE FUNCTION oip_detect_duplicate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  mine_worker jsonb;
  other record;
  grp uuid;
  offices uuid[];
  o uuid;
BEGIN
  SELECT w.row INTO mine_worker FROM records w
    WHERE w.table_name = 'workers' AND w.key = json_build_array(NEW.row ->> 'worker_id')::text AND NOT w.deleted;
  IF mine_worker IS NULL OR coalesce(mine_worker ->> 'id_number', '') = '' THEN RETURN NULL; END IF;
  FOR other IN
    SELECT oc.key, oc.key_json, oc.version, oc.row, oc.case_id, ow.row AS worker, oc.last_device
    FROM records ow JOIN records oc ON oc.table_name = 'cases' AND NOT oc.deleted AND oc.row ->> 'worker_id' = ow.row ->> 'id'
    WHERE ow.table_name = 'workers' AND NOT ow.deleted AND ow.row ->> 'id_number' = mine_worker ->> 'id_number'
      AND oc.key <> NEW.key AND oc.row ->> 'accident_date' = NEW.row ->> 'accident_date'
  LOOP
    grp := gen_random_uuid();
    SELECT array_agg(DISTINCT x) INTO offices FROM (
      SELECT office_id AS x FROM devices WHERE id = NEW.last_device
      UNION SELECT office_id FROM devices WHERE id = other.last_device
      UNION SELECT office_id FROM case_holders WHERE case_id = other.case_id
    ) s WHERE x IS NOT NULL;
    FOREACH o IN ARRAY coalesce(offices, '{}'::uuid[]) LOOP
      INSERT INTO conflicts (id, device_id, seq, mutation_id, kind, table_name, key_json, device_op, base_version, device_version,
        device_row, centre_version, centre_deleted, centre_row, created_at, office_id, conflict_kind, group_id, detail)
      VALUES (gen_random_uuid(), NEW.last_device, NULL, NEW.last_mutation, 'cases.register', 'cases', NEW.key_json, 'upsert', NULL,
        NEW.version, NEW.row, other.version, false, other.row, now(), o, 'duplicate', grp,
        jsonb_build_object('mineWorker', mine_worker, 'otherWorker', other.worker, 'otherKey', other.key_json));
    END LOOP;
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER records_duplicate_case AFTER INSERT ON records FOR EACH ROW
  WHEN (NEW.table_name = 'cases' AND NOT NEW.deleted) EXECUTE FUNCTION oip_detect_duplicate();

-- A person's decision (a replicated conflict_decisions row) closes its conflict, or every office's
-- copy of a duplicate.
CREATE FUNCTION oip_conflict_decided() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target uuid;
  grp uuid;
BEGIN
  BEGIN
    target := (NEW.row ->> 'conflict_id')::uuid;
  EXCEPTION WHEN others THEN
    RETURN NULL;
  END;
  SELECT group_id INTO grp FROM conflicts WHERE id = target;
  UPDATE conflicts SET resolved_at = now(), resolution = NEW.row ->> 'decision', resolved_by = NEW.row ->> 'decided_by',
    resolved_device = NEW.last_device
  WHERE resolved_at IS NULL AND (id = target OR (grp IS NOT NULL AND group_id = grp));
  RETURN NULL;
END $$;
CREATE TRIGGER records_conflict_decided AFTER INSERT ON records FOR EACH ROW
  WHEN (NEW.table_name = 'conflict_decisions' AND NOT NEW.deleted) EXECUTE FUNCTION oip_conflict_decided();
