import { useEffect, useState } from 'preact/hooks';

/**
 * History-API navigation in a dozen lines: every step is a URL, pushed so the back button walks
 * the flow backwards and a refresh lands on the same step.
 */
const CHANGE = 'kairos:navigate';

export interface Place {
  path: string;
  search: string;
  hash: string;
  /** Bumped on every navigation, so a view can tell a new visit of the same URL. */
  serial: number;
}

let serial = 0;
const current = (): Place => ({ path: location.pathname, search: location.search, hash: location.hash, serial });

export function navigate(url: string, options: { replace?: boolean } = {}) {
  serial++;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

export function usePlace(): Place {
  const [place, setPlace] = useState(current);
  useEffect(() => {
    const update = () => {
      serial++;
      setPlace(current());
    };
    const onChange = () => setPlace(current());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, onChange);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, onChange);
    };
  }, []);
  return place;
}

/** `#token=…&x=…` → its parameters (the manage token travels in the fragment, never to a server). */
export const fragment = (hash: string) => new URLSearchParams(hash.replace(/^#/, ''));
