// A device enrolled at a test centre: a fresh test core, its administrator, and the enrolment an
// administrator makes on the 同步 page with a code the centre issued for an office. The core is
// added to `cores`, which the file cleans up (useFileCentre / its own afterAll).
import { makeEnrolCode } from '../../central/core/enrolment';
import type { TestCentre } from './central';
import { makeTestCore, setupAdmin, type TestCore } from './core';

export async function enrolledDevice(
  centre: TestCentre,
  cores: TestCore[],
  office: string,
  name: string,
): Promise<{ t: TestCore; admin: string }> {
  const t = makeTestCore();
  cores.push(t);
  const admin = await setupAdmin(t);
  const { code } = await makeEnrolCode(centre.db, centre.clock, { office });
  await t.call('sync.enrol', { url: centre.url, code, deviceName: name }, admin);
  return { t, admin };
}
