-- Push speed (issue #12): the duplicate check on every new case (0021's oip_detect_duplicate) ran
-- on a plan cached by PL/pgSQL when `records` was near empty: two sequential scans of `records` per
-- case, so a push's cost grew with everything the centre held (a quadratic first load; ~95% of
-- PostgreSQL's push time at 2,000 cases). Planned for each call instead, its lookups use the
-- primary key and the id-number and worker indexes of 0021 whatever the table's size was when the
-- connection first ran it. PGlite never autovacuums, so it never re-planned at all.
ALTER FUNCTION oip_detect_duplicate() SET plan_cache_mode = force_custom_plan;
