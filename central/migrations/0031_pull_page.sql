-- Pull speed (issue #12): one page of an office's change log after a cursor (central/core/pull.ts).
-- Read as a plain query, the planner — with no statistics on `changes` (PGlite never analyzes; a
-- busy PostgreSQL lags) — took the whole rest of the log by a bitmap scan, joined every entry to
-- `records` and sorted it to keep the first thousand: each page cost what remained, so a first
-- sync was quadratic (80,000 entries: 1.6 s a page at the start). Here the page is the first
-- `p_limit` entries of the changes_office_order index in its order (no sort, no bitmap), and only
-- those look up their `records` row (by primary key, one probe each: a join would let a plan
-- cached for an unknown limit hash the whole of `records`) to tell the device's own writes. JIT
-- is off: the disabled plan types price the plan above jit_above_cost, and compiling it took
-- half a second a page on PostgreSQL 15.
CREATE FUNCTION oip_pull_page(p_office uuid, p_device uuid, p_xid xid8, p_id bigint, p_limit integer)
RETURNS TABLE (id bigint, xid xid8, mine boolean, table_name text, key_json jsonb, version integer, deleted boolean, rw jsonb)
LANGUAGE plpgsql STABLE
SET enable_sort = off SET enable_bitmapscan = off SET enable_seqscan = off SET jit = off
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
    (p.origin_device IS NOT DISTINCT FROM p_device
      OR (SELECT r.last_device FROM records r WHERE r.table_name = p.table_name AND r.key = p.key) IS NOT DISTINCT FROM p_device) AS mine,
    p.table_name, p.key_json, p.version, p.deleted, p.row
  FROM page p
  ORDER BY p.xid, p.id;
END $$;
