// The current area from the URL fragment (#/intake), so reloads and back/forward work
// without a router library. The web host's launch key also travels in the fragment once.
import { useEffect, useState } from 'react';

function read(): string {
  const m = /^#\/([a-z-]+)/.exec(window.location.hash);
  return m?.[1] ?? 'home';
}

export function useHashRoute(): [string, (area: string) => void] {
  const [area, setArea] = useState(read);
  useEffect(() => {
    const on = () => setArea(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return [area, (a) => (window.location.hash = `#/${a}`)];
}
