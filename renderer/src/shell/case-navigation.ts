// 下一件 / 上一件: the list a case was opened from is remembered for the tab, so Alt+J and Alt+K
// on a case page move to the next or previous case of that list without going back to it.
import { useEffect } from 'react';
import { navigate } from './useHashRoute';

const KEY = 'oip.caseList';

/** Called by a list when a case is opened from it. */
export function rememberCaseList(ids: string[]): void {
  const area = /^#\/([a-z-]+)/.exec(window.location.hash)?.[1] ?? 'intake';
  sessionStorage.setItem(KEY, JSON.stringify({ ids, area }));
}

export function neighbour(caseId: string, step: 1 | -1): string | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  const { ids, area } = JSON.parse(raw) as { ids: string[]; area: string };
  const i = ids.indexOf(caseId);
  const next = i < 0 ? undefined : ids[i + step];
  return next ? `${area}/case/${next}` : null;
}

export function useCaseNavigation(caseId: string): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const key = e.key.toLowerCase();
      if (key !== 'j' && key !== 'k') return;
      const target = neighbour(caseId, key === 'j' ? 1 : -1);
      if (!target) return;
      e.preventDefault();
      navigate(target);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [caseId]);
}
