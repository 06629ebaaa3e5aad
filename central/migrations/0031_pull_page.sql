-- Pull speed (issue #12): one page of an office's change log after a cursor (central/core/pull.ts).
-- Read as a plain query, the planner — with no statistics on `changes` (PGlite never analyzes; a
-- busy PostgreSQL lags) — took the whole rest of the log by a bitmap scan, joined every entry to
-- `records` and sorted it to keep the first thousand: each page cost what remained, so a first
-- sync was quadratic (80,000 entries: 1.6 s a page at the start). Here the page is the first
-- `p_limit` entries of the changes_office_order index in its order (no sort, no bitmap), and only
-- those are joined to `records` to tell the device's own writes.
CREATE FUNCTION oip_pull_page(p_office uuid, p_device uuid, p_xid xid8, p_id bigint, p_limit integer)
RETURNS TABLE (id bigint, xid xid8, mine boolean, table_name text, key_json jsonb, version integer, deleted boolean, rw jsonb)
LANGUAGE plpgsql STABLE
SET enable_sort = off SET enable_bitmapscan = off SET enable_seqscan = off
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH page AS MATERIALIZED (
    SELECT c.id, c.xid, c.origin_device, c.table_name, c.key, c.key_json, c.version, c.deleted, c.row
    FROM changes c
    WHERE c.office_id = p_office AND (c.xid, c.id) > (p_xid, p_id) AND c.xid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY c.office_id, c.xid, c.id
    LIMIT p_limit)
  SELECT p.id, p.xid,
    (p.origin_device IS NOT DISTINCT FROM p_device OR r.last_device IS NOT DISTINCT FROM p_device) AS mine,
    p.table_name, p.key_json, p.version, p.deleted, p.row
  FROM page p LEFT JOIN records r ON r.table_name = p.table_name AND r.key = p.key
  ORDER BY p.xid, p.id;
END $$;
