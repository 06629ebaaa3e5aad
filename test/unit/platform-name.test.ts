import { describe, expect, it } from 'vitest';
import { platformName } from '../../renderer/src/pages/cases/platformName';

// The screen walk once caught 'kuaigou' on a case page: the case rendered before the platform list
// arrived and the name fell back to the code.
describe('platformName', () => {
  const list = [{ code: 'kuaigou', name: '快狗打车' }];
  it('names a known platform', () => expect(platformName(list, 'kuaigou')).toBe('快狗打车'));
  it('never shows the code while the list is loading', () => expect(platformName(undefined, 'kuaigou')).toBe('…'));
  it('never shows the code of a platform this computer does not know', () => expect(platformName(list, 'huolala')).toBe('未登记的平台'));
  it('shows a dash when there is no platform', () => expect(platformName(list, null)).toBe('—'));
});
