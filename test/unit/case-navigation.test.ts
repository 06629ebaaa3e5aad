import { describe, expect, it } from 'vitest';
import { stepTarget } from '../../renderer/src/shell/case-navigation';

// CI once saw Alt+K do nothing: pressed right after Alt+J, it stepped from the case the page had
// last rendered (the first one, which has no previous) instead of the case Alt+J had gone to.
describe('stepTarget (Alt+J / Alt+K)', () => {
  const list = { ids: ['a', 'b', 'c'], area: 'intake' };
  it('steps from the case in the address', () => {
    expect(stepTarget(list, '#/intake/case/b', 1)).toBe('intake/case/c');
    expect(stepTarget(list, '#/intake/case/b', -1)).toBe('intake/case/a');
  });
  it('stops at either end of the list', () => {
    expect(stepTarget(list, '#/intake/case/a', -1)).toBeNull();
    expect(stepTarget(list, '#/intake/case/c', 1)).toBeNull();
  });
  it('keeps to the area the list was opened in', () =>
    expect(stepTarget({ ids: ['a', 'b'], area: 'confirmation' }, '#/intake/case/a', 1)).toBe('confirmation/case/b'));
  it('does nothing off a case page, for a case not in the list, or with no list', () => {
    expect(stepTarget(list, '#/intake', 1)).toBeNull();
    expect(stepTarget(list, '#/intake/case/z', 1)).toBeNull();
    expect(stepTarget(null, '#/intake/case/a', 1)).toBeNull();
  });
});
