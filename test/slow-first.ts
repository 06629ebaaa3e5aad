// The order vitest starts test files in: the few long files first, so that on two cores one
// worker is not left finishing a minute-long file after the other has run out of work. Vitest
// learns durations from its cache, but CI starts from a fresh clone with none.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first, as measured in CI (the crash test kills a child process fifty times). */
const LONG = [
  'integration/crash-recovery',
  'central/cli',
  'integration/sync-faults',
  'integration/sync-crash',
  'central/reference-cli',
  'central/postgres',
  'integration/hearing-package',
  'integration/pull',
  'integration/outbox',
  'integration/notices',
  'integration/demo',
  'integration/sync-postgres',
  'integration/batch-issue',
  'integration/backup-restore',
  'integration/appraisal-hearing',
  'integration/sync-engine',
  'integration/intake',
  'integration/auth-and-audit',
  'integration/sync-cli',
  'central/leases',
];

function rank(spec: TestSpecification): number {
  const i = LONG.findIndex((name) => spec.moduleId.includes(`/test/${name}.test.ts`));
  return i < 0 ? LONG.length : i;
}

export default class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    return base
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i)
      .map((x) => x.spec);
  }
}
