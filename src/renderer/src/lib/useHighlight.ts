/** Rows that just came in live (cases, mentions), highlighted for a moment. */
import { useCallback, useEffect, useRef, useState } from 'react';

/** How long a changed row stays highlighted (the rows' `fresh` animation lasts as long). */
export const FRESH_MS = 4_000;

/** The ids highlighted now, and `highlight(ids)` to light some up for `FRESH_MS`. */
export function useHighlight(): [fresh: ReadonlySet<string>, highlight: (ids: readonly string[]) => void] {
  const [fresh, setFresh] = useState<ReadonlySet<string>>(() => new Set());
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const pending = timers.current;
    return () => {
      pending.forEach(clearTimeout);
      pending.clear();
    };
  }, []);
  const highlight = useCallback((ids: readonly string[]) => {
    if (ids.length === 0) return;
    setFresh((previous) => new Set([...previous, ...ids]));
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setFresh((previous) => new Set([...previous].filter((id) => !ids.includes(id))));
    }, FRESH_MS);
    timers.current.add(timer);
  }, []);
  return [fresh, highlight];
}
