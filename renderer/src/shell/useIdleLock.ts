// Locks the screen after the configured idle period, and tells the server the person is
// still there (at most once a minute) so the server-side idle lock does not fire early.
import { useEffect, useRef } from 'react';
import { invoke } from '../transport';

const ACTIVITY_EVENTS = ['mousemove', 'mousedown', 'keydown', 'wheel', 'touchstart'] as const;

export function useIdleLock(idleMinutes: number | null, lock: () => void): void {
  const lastActivity = useRef(Date.now());
  const lastTouch = useRef(Date.now());

  useEffect(() => {
    if (idleMinutes === null) return;
    lastActivity.current = Date.now();
    const mark = () => {
      lastActivity.current = Date.now();
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, mark, { passive: true });
    const timer = window.setInterval(() => {
      const now = Date.now();
      if (now - lastActivity.current >= idleMinutes * 60_000) {
        lock();
        return;
      }
      if (lastActivity.current > lastTouch.current && now - lastTouch.current >= 60_000) {
        lastTouch.current = now;
        void invoke('auth.touch', {}).catch(() => undefined);
      }
    }, 5_000);
    return () => {
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, mark);
      window.clearInterval(timer);
    };
  }, [idleMinutes, lock]);
}
