// The current area and sub-path from the URL fragment (#/intake/case/<id>), so reloads and
// back/forward work without a router library.
import { useEffect, useState } from 'react';

export interface Route {
  area: string;
  /** Path segments after the area, e.g. ['case', '<id>']. */
  rest: string[];
}

function read(): Route {
  const m = /^#\/([a-z-]+)((?:\/[^/?#]+)*)/.exec(window.location.hash);
  return { area: m?.[1] ?? 'home', rest: (m?.[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent) };
}

export function navigate(path: string): void {
  window.location.hash = `#/${path}`;
}

export function useHashRoute(): [Route, (path: string) => void] {
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return [route, navigate];
}
