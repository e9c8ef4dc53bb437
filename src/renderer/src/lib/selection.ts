/** The pure steps of a list's multi-selection (useSelection.ts holds it in React state): toggle, range, prune. */

export interface State {
  ids: ReadonlySet<string>;
  /** Where a shift-click's range starts: the row last clicked or toggled. */
  anchor: string | null;
}

export const EMPTY: State = { ids: new Set(), anchor: null };

export function toggled(state: State, id: string): State {
  const ids = new Set(state.ids);
  if (!ids.delete(id)) ids.add(id);
  return { ids, anchor: id };
}

/** Adds every row from the anchor to `id` (inclusive, in list order); without an anchor in the list, just `id`. */
export function ranged(state: State, order: readonly string[], id: string): State {
  const to = order.indexOf(id);
  if (to < 0) return state;
  const fromIndex = state.anchor === null ? -1 : order.indexOf(state.anchor);
  const from = fromIndex < 0 ? to : fromIndex;
  const ids = new Set(state.ids);
  for (let i = Math.min(from, to); i <= Math.max(from, to); i++) ids.add(order[i]!);
  return { ids, anchor: state.anchor ?? id };
}

/** Only the ids still listed; the same object when nothing left, so an update of the list does not re-render for nothing. */
export function pruned(state: State, order: readonly string[]): State {
  if (state.ids.size === 0) return state;
  const listed = new Set(order);
  const ids = new Set([...state.ids].filter((id) => listed.has(id)));
  if (ids.size === state.ids.size) return state;
  return { ids, anchor: state.anchor !== null && listed.has(state.anchor) ? state.anchor : null };
}
