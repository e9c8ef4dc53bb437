/**
 * Everything the console needs to let supervisors and admins move cases: the
 * selection over the listed cases, its bar, the keys (x, Shift+↑/↓, a), the
 * drag (and the panel of people to drop on), drops on queues, and the dialog
 * each of them ends in. Off (all undefined) for agents and technicians.
 */
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { notifications } from '@mantine/notifications';
import type { QueueItem } from '../../../../shared/api';
import { useSelection } from '../../lib/useSelection';
import { stepSelection } from '../../lib/useQueueKeys';
import type { Picking } from '../QueueList';
import { DropPanel } from './DropPanel';
import { ReassignDialog, type ReassignTarget } from './ReassignDialog';
import { SelectionBar } from './SelectionBar';
import { i18n } from '../../i18n';
import { MOVE_CAP } from './people';

interface Options {
  enabled: boolean;
  items: QueueItem[];
  /** A new view starts with nothing selected. */
  viewKey: string;
  /** The keyboard cursor's row, and moving it (Shift+↑/↓ pick as they move). */
  cursorId: string | null;
  setCursor: (id: string) => void;
}

export interface Reassign {
  picking: Picking | undefined;
  /** Cases dropped on a queue in the left rail. */
  onDropOnQueue: ((ids: string[], queueId: string) => void) | undefined;
  keys: { pick?(): void; extend?(step: 1 | -1): void; reassign?(): void };
  /** Esc when no case is open: true if there was a selection to clear. */
  clear(): boolean;
  /** Under the toolbar, while cases are selected. */
  bar: ReactNode;
  /** The dialog and, while dragging, the drop panel. */
  overlays: ReactNode;
}

export function useReassign({ enabled, items, viewKey, cursorId, setCursor }: Options): Reassign {
  const selection = useSelection(items, MOVE_CAP);
  const [dragging, setDragging] = useState<string[] | null>(null);
  const [target, setTarget] = useState<ReassignTarget | null>(null);
  const { clear: clearSelection, remove, add, toggle, ordered, ids } = selection;

  useEffect(() => clearSelection(), [viewKey, clearSelection]);
  // A row can leave the list mid-drag (a live update): its own dragend is then lost, the window still hears the drag end.
  useEffect(() => {
    if (!dragging) return;
    const end = () => setDragging(null);
    window.addEventListener('dragend', end);
    window.addEventListener('drop', end);
    return () => {
      window.removeEventListener('dragend', end);
      window.removeEventListener('drop', end);
    };
  }, [dragging]);

  const reassign = useCallback((next: ReassignTarget) => {
    if (next.caseIds.length > MOVE_CAP) {
      notifications.show({ color: 'orange', title: i18n.t('reassign.tooMany'), message: i18n.t('reassign.tooManyDetail', { cap: MOVE_CAP, count: next.caseIds.length }) });
      return;
    }
    setDragging(null);
    setTarget(next);
  }, []);

  const onMoved = useCallback((moved: string[]) => remove(moved), [remove]);

  if (!enabled) return { picking: undefined, onDropOnQueue: undefined, keys: {}, clear: () => false, bar: null, overlays: null };
  return {
    picking: { selection, onDrag: setDragging },
    onDropOnQueue: (caseIds, queueId) => reassign({ caseIds, queueId }),
    keys: {
      pick: () => cursorId && toggle(cursorId),
      extend(step) {
        const next = stepSelection(items, cursorId, step);
        if (!next) return;
        add(cursorId ? [cursorId, next] : [next]);
        setCursor(next);
      },
      reassign: () => ordered.length > 0 && reassign({ caseIds: ordered }),
    },
    clear() {
      if (ids.size === 0) return false;
      clearSelection();
      return true;
    },
    bar:
      ids.size > 0 ? (
        <SelectionBar selected={ids.size} matching={items.length} onSelectAll={selection.selectAll} onReassign={() => reassign({ caseIds: ordered })} onClear={clearSelection} />
      ) : null,
    overlays: (
      <>
        <ReassignDialog target={target} onClose={() => setTarget(null)} onMoved={onMoved} />
        {dragging && <DropPanel count={dragging.length} onDrop={(caseIds, assigneeId) => reassign({ caseIds, assigneeId })} />}
      </>
    ),
  };
}
