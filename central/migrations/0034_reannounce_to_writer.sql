-- After a refusal the centre writes its current state of the refused rows into the office's change
-- log again (oip_reannounce, 0002) so that the refusing device takes it back. But pull skips an
-- entry whose row the device itself last wrote at the centre (0031: it holds that state already),
-- and that is the common case: a device's edit of its own case is refused, and the centre's state
-- is the device's previous write. The device then kept its refused edit for good. A re-announced
-- entry is now marked and always served: the device that sent the refused change takes it (its
-- sync_yield note lets it replace a higher local version); others already hold it and skip it.
ALTER TABLE changes ADD COLUMN reannounced boolean NOT NULL DEFAULT false;

CREATE OR REPLACE FUNCTION oip_reannounce(p_rows jsonb, p_office uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row, reannounced)
  SELECT p_office, r.last_device, r.table_name, r.key, r.key_json, r.version, r.deleted, r.row, true
  FROM records r
  WHERE (r.table_name, r.key) IN (SELECT DISTINCT x.tbl, x.k FROM jsonb_to_recordset(p_rows) AS x(tbl text, k text))
  ORDER BY r.created_at, r.key;
END $$;

CREATE OR REPLACE FUNCTION oip_pull_page(p_office uuid, p_device uuid, p_xid xid8, p_id bigint, p_limit integer)
RETURNS TABLE (id bigint, xid xid8, mine boolean, table_name text, key_json jsonb, version integer, deleted boolean, rw jsonb)
LANGUAGE plpgsql STABLE
SET enable_sort = off SET enable_bitmapscan = off SET enable_seqscan = off SET jit = off
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH page AS MATERIALIZED (
    SELECT c.id, c.xid, c.origin_device, c.table_name, c.key, c.key_json, c.version, c.deleted, c.row, c.reannounced
    FROM changes c
    WHERE c.office_id = p_office AND (c.xid, c.id) > (p_xid, p_id) AND c.xid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY c.office_id, c.xid, c.id
    LIMIT p_limit)
  SELECT p.id, p.xid,
    (NOT p.reannounced AND (p.origin_device IS NOT DISTINCT FROM p_device
      OR (SELECT r.last_device FROM records r WHERE r.table_name = p.table_name AND r.key = p.key) IS NOT DISTINCT FROM p_device)) AS mine,
    p.table_name, p.key_json, p.version, p.deleted, p.row
  FROM page p
  ORDER BY p.xid, p.id;
END $$;
