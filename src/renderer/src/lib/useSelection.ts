/**
 * A multi-selection of the rows of a list (supervisors pick cases to move):
 * toggle one, add a range from the last one picked, pick all (up to a cap),
 * clear. Rows that leave the list leave the selection, so it survives live
 * updates without ever holding a case no longer shown.
 */
import { useCallback, useMemo, useState } from 'react';
import { EMPTY, pruned, ranged, type State, toggled } from './selection';

export interface Selection {
  ids: ReadonlySet<string>;
  /** The selected ids in list order. */
  ordered: string[];
  toggle(id: string): void;
  range(id: string): void;
  /** Where the next shift-click starts (a plain click or the cursor sets it). */
  setAnchor(id: string): void;
  /** The first `cap` rows of the list. */
  selectAll(): void;
  clear(): void;
  /** Adds these ids (Shift+↑/↓: the rows the cursor passes). */
  add(ids: readonly string[]): void;
  /** Drops these ids (e.g. the cases just moved). */
  remove(ids: readonly string[]): void;
}

/** The selection over `items` (in their order), at most `cap` at a time for select-all. */
export function useSelection(items: readonly { id: string }[], cap: number): Selection {
  const [state, setState] = useState<State>(EMPTY);
  const order = useMemo(() => items.map((item) => item.id), [items]);

  // Live updates: ids that left the list drop out (adjusted while rendering, before anything shows the stale selection).
  // (pruned answers the same state when nothing left: no render loop, whatever the list's identity.)
  const kept = pruned(state, order);
  if (kept !== state) setState(kept);

  const toggle = useCallback((id: string) => setState((s) => toggled(s, id)), []);
  const range = useCallback((id: string) => setState((s) => ranged(s, order, id)), [order]);
  const setAnchor = useCallback((id: string) => setState((s) => (s.anchor === id ? s : { ...s, anchor: id })), []);
  const selectAll = useCallback(() => setState({ ids: new Set(order.slice(0, cap)), anchor: null }), [order, cap]);
  const clear = useCallback(() => setState((s) => (s.ids.size === 0 ? s : EMPTY)), []);
  const add = useCallback((ids: readonly string[]) => setState((s) => ({ ids: new Set([...s.ids, ...ids]), anchor: ids.at(-1) ?? s.anchor })), []);
  const remove = useCallback(
    (ids: readonly string[]) =>
      setState((s) => {
        const next = new Set(s.ids);
        for (const id of ids) next.delete(id);
        return { ids: next, anchor: s.anchor };
      }),
    [],
  );
  const ordered = useMemo(() => order.filter((id) => state.ids.has(id)), [order, state.ids]);
  return { ids: state.ids, ordered, toggle, range, setAnchor, selectAll, clear, add, remove };
}
