// Worklists (versions 160–179): indexes for 我最近办理的案件 (cases.recent), which reads the
// transitions a person made and the cases they registered, newest first.
import type { Migration } from './migration';

export const formsMigrations: Migration[] = [
  {
    version: 160,
    name: 'indexes for a person’s recent cases',
    sql: `
      CREATE INDEX IF NOT EXISTS case_transitions_by_user ON case_transitions(by_user, at);
      CREATE INDEX IF NOT EXISTS cases_registered_by ON cases(registered_by, registered_at);
    `,
  },
];
