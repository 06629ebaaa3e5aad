-- Push speed (issue #12): indexes no query uses, each a write on every new case or hearing link.
-- Cases by worker: 0021's records_case_worker (live cases only) is the one the duplicate check
-- reads; hearing links are found by records.case_id (records_case), not by their row's case_id.
DROP INDEX records_cases_by_worker;
DROP INDEX records_hearing_cases_by_case;
