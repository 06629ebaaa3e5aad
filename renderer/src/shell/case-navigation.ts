// 下一件 / 上一件: the list a case was opened from is remembered for the tab, so Alt+J and Alt+K
// on a case page move to the next or previous case of that list without going back to it.
import { useEffect } from 'react';
import { navigate } from './useHashRoute';

const KEY = 'oip.caseList';

export interface RememberedList {
  ids: string[];
  area: string;
}

/** Called by a list when a case is opened from it. */
export function rememberCaseList(ids: string[]): void {
  const area = /^#\/([a-z-]+)/.exec(window.location.hash)?.[1] ?? 'intake';
  sessionStorage.setItem(KEY, JSON.stringify({ ids, area } satisfies RememberedList));
}

/**
 * Where a step through the list lands, counted from the case in the address (#/<area>/case/<id>),
 * not from the case the page last rendered: a second Alt+J pressed before the page has caught up
 * with the first must step on from where the first one went, not repeat it.
 */
export function stepTarget(list: RememberedList | null, hash: string, step: 1 | -1): string | null {
  const current = /^#\/[a-z-]+\/case\/([^/?#]+)/.exec(hash)?.[1];
  if (!list || !current) return null;
  const i = list.ids.indexOf(decodeURIComponent(current));
  const next = i < 0 ? undefined : list.ids[i + step];
  return next ? `${list.area}/case/${next}` : null;
}

function rememberedList(): RememberedList | null {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as RememberedList) : null;
}

/** Alt+J / Alt+K while a case page is open. */
export function useCaseNavigation(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const key = e.key.toLowerCase();
      if (key !== 'j' && key !== 'k') return;
      const target = stepTarget(rememberedList(), window.location.hash, key === 'j' ? 1 : -1);
      if (!target) return;
      e.preventDefault();
      navigate(target);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
