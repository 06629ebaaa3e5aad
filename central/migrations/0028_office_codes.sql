-- Offices from the reference data (issue #13, central/core/offices.ts): once an `offices` list is
-- published, an office named by a command (enrolment code, hand-over, assignment, accounts) must be
-- in it, by code or name; the centre's office then carries the list's code, and its shown name is
-- the list's current name for that code.
ALTER TABLE offices ADD COLUMN code text UNIQUE;
