import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router';

/** How long a new page may take to show its heading (its data loading) before focus goes to main. */
const headingWaitMs = 3000;

/**
 * After each move to another page (not the first load, nor a change of the query alone, like a
 * filter), focus goes to the new page's heading, so a keyboard or screen reader user starts there
 * and hears where they are; the page's title is announced too.
 */
export function RouteFocus() {
  const { pathname } = useLocation();
  const shown = useRef(pathname);
  const [announced, setAnnounced] = useState('');
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout>;
    const focusHeading = () => {
      const heading = document.querySelector<HTMLElement>('main h1');
      if (heading || Date.now() - started > headingWaitMs) {
        const target = heading ?? document.querySelector<HTMLElement>('main');
        if (heading) heading.tabIndex = -1;
        target?.focus();
        setAnnounced(document.title);
        return;
      }
      timer = setTimeout(focusHeading, 50);
    };
    focusHeading();
    return () => clearTimeout(timer);
  }, [pathname]);
  return (
    <p className="visually-hidden" aria-live="polite">
      {announced}
    </p>
  );
}
