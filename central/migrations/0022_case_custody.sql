-- Who holds a case (issue #13, central/core/holders.ts): one office at a time, the one whose
-- devices may change it. First the office of the device that first pushed it; then wherever the
-- centre hands it over (hall → committee → benefits office), explicitly, on record.
CREATE TABLE case_custody (
  case_id text PRIMARY KEY,
  office_id uuid NOT NULL REFERENCES offices(id),
  since timestamptz NOT NULL
);
CREATE TABLE case_custody_moves (
  id bigserial PRIMARY KEY,
  case_id text NOT NULL,
  from_office uuid REFERENCES offices(id),
  to_office uuid NOT NULL REFERENCES offices(id),
  at timestamptz NOT NULL
);
CREATE INDEX case_custody_moves_case ON case_custody_moves(case_id, id);

CREATE FUNCTION oip_first_custody() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  office uuid;
BEGIN
  SELECT office_id INTO office FROM devices WHERE id = NEW.last_device;
  IF office IS NULL OR NEW.case_id IS NULL THEN RETURN NULL; END IF;
  INSERT INTO case_custody (case_id, office_id, since) VALUES (NEW.case_id, office, now()) ON CONFLICT (case_id) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER records_first_custody AFTER INSERT ON records FOR EACH ROW
  WHEN (NEW.table_name = 'cases' AND NOT NEW.deleted) EXECUTE FUNCTION oip_first_custody();
INSERT INTO case_custody (case_id, office_id, since)
  SELECT DISTINCT ON (r.case_id) r.case_id, d.office_id, r.created_at FROM records r JOIN devices d ON d.id = r.last_device
  WHERE r.table_name = 'cases' AND r.case_id IS NOT NULL ORDER BY r.case_id, r.created_at
  ON CONFLICT DO NOTHING;
