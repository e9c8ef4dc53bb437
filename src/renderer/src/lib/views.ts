/** The queue views the left nav offers, and the case filter each one means. */
import type { CaseFilter } from '../api/queries';

export type View =
  | { kind: 'mine' }
  | { kind: 'unassigned' }
  | { kind: 'all' }
  | { kind: 'briefcase' }
  | { kind: 'mentions' }
  | { kind: 'queue'; queueId: string }
  // Every case with an open conflict, opened from the top bar's "N conflicts".
  | { kind: 'conflicts' }
  // Supervisors' and admins' screens, which list no cases.
  | { kind: 'board' }
  | { kind: 'agents' }
  | { kind: 'audit' }
  | { kind: 'admin' };

/** The views that are a screen of their own rather than a list of cases. */
export const SCREEN_VIEWS = ['board', 'agents', 'audit', 'admin'] as const;
export type ScreenView = (typeof SCREEN_VIEWS)[number];
export const isScreenView = (kind: View['kind']): kind is ScreenView => (SCREEN_VIEWS as readonly string[]).includes(kind);

export const sameView = (a: View, b: View): boolean =>
  a.kind === b.kind && (a.kind !== 'queue' || (b.kind === 'queue' && a.queueId === b.queueId));

/**
 * Every view lists active work only — solved and closed cases leave the queue —
 * except the briefcase: everything this console holds offline, whatever its status
 * (a case with an open conflict counts as active: it waits for the user).
 */
export function filterFor(view: View, search = ''): CaseFilter {
  if (view.kind === 'briefcase') return search ? { search } : {};
  // Whatever their status: a case solved here can still wait for a decision.
  if (view.kind === 'conflicts') return { conflicts: true, ...(search ? { search } : {}) };
  const base: CaseFilter = { status: 'active', ...(search ? { search } : {}) };
  switch (view.kind) {
    case 'mine':
      return { ...base, assignee: 'me' };
    case 'unassigned':
      return { ...base, assignee: 'unassigned' };
    case 'queue':
      return { ...base, queueId: view.queueId };
    // The mentions inbox lists posts, not cases; what a case list there would show is "all active".
    case 'mentions':
    case 'board':
    case 'agents':
    case 'audit':
    case 'admin':
    case 'all':
      return base;
  }
}
