// One id per issue request: made when a button is first pressed and kept until the request
// succeeds, so a second click or a retry after a lost reply asks for the same document and the
// core answers with the one already issued instead of issuing another.
import { useCallback, useRef } from 'react';

function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** `current(key)` gives the pending request's id for that button; `done(key)` starts a new one. */
export function useRequestIds() {
  const ids = useRef(new Map<string, string>());
  const current = useCallback((key: string) => {
    let id = ids.current.get(key);
    if (!id) ids.current.set(key, (id = uuid()));
    return id;
  }, []);
  const done = useCallback((key: string) => {
    ids.current.delete(key);
  }, []);
  return { current, done };
}
