// Keyboard shortcuts for the frequent actions, one list shown in the help panel (F1) and handled
// here. 签发 presses the page's own button marked data-shortcut="sign" (so the page's checks and
// confirmations still apply); 检索 focuses the page's search box or opens the search dialog.
import { useEffect } from 'react';

export interface Shortcut {
  keys: string;
  label: string;
  where: string;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: 'F1', label: '打开帮助（快捷键、使用指南、大字号）', where: '任何页面' },
  { keys: 'Alt + N', label: '新登记待遇给付申请', where: '受理专员' },
  { keys: 'Ctrl + K 或 /', label: '检索案件（姓名、身份证号、手机号、登记号或订单号）', where: '任何页面' },
  { keys: 'Alt + J / Alt + K', label: '下一件 / 上一件案件（按打开案件时的列表顺序）', where: '案件页面' },
  { keys: '↑ / ↓ 或 J / K', label: '在鉴定专场的案件之间切换', where: '鉴定专场' },
  { keys: 'Ctrl + Enter', label: '签发（鉴定结论签发、待遇复核通过），与点击该按钮相同', where: '评定表、待遇复核' },
  { keys: 'Esc', label: '关闭对话框或帮助', where: '任何页面' },
];

const typing = (t: EventTarget | null) =>
  t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || (t instanceof HTMLElement && t.isContentEditable);

/** Clicks the first visible, enabled element marked for a shortcut; false when there is none. */
export function pressMarked(name: string): boolean {
  const el = [...document.querySelectorAll<HTMLElement>(`[data-shortcut="${name}"]`)].find(
    (e) => e.offsetParent !== null && !(e as HTMLButtonElement).disabled,
  );
  if (!el) return false;
  el.click();
  return true;
}

export function useGlobalShortcuts(actions: { help(): void; search(): void; newClaim(): void }): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F1') {
        e.preventDefault();
        actions.help();
        return;
      }
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        actions.search();
        return;
      }
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        if (pressMarked('sign')) e.preventDefault();
        return;
      }
      if (e.altKey && !e.ctrlKey && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        actions.newClaim();
        return;
      }
      if (e.key === '/' && !typing(e.target) && !e.ctrlKey && !e.altKey) {
        e.preventDefault();
        actions.search();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);
}
