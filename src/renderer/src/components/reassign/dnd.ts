/**
 * Cases dragged to where they go (native HTML5 drag and drop): a row or the
 * selection onto a queue in the left rail or a person in the drop panel. The
 * ids travel in the drag's data under our own type, so nothing else (a file,
 * a link) is taken for cases; a drop target reads and checks them.
 */
import type { DragEvent } from 'react';
import { z } from 'zod';
import classes from './Reassign.module.css';

export const CASES_MIME = 'application/x-switchboard-cases';

const DraggedCasesSchema = z.array(z.uuid()).min(1);

export const isCaseDrag = (event: DragEvent): boolean => event.dataTransfer.types.includes(CASES_MIME);

/** Puts the ids on the drag, with a small "N cases" label as its image. */
export function startCaseDrag(event: DragEvent, ids: string[]): void {
  event.dataTransfer.setData(CASES_MIME, JSON.stringify(ids));
  event.dataTransfer.effectAllowed = 'move';
  const label = document.createElement('div');
  label.className = classes.dragImage!;
  label.textContent = ids.length === 1 ? '1 case' : `${ids.length.toLocaleString('en')} cases`;
  document.body.append(label);
  event.dataTransfer.setDragImage(label, -8, -8);
  // The browser took its picture of the label during this event.
  setTimeout(() => label.remove(), 0);
}

/** The dropped ids, or null when what was dropped is not cases. */
export function droppedCases(event: DragEvent): string[] | null {
  try {
    const parsed = DraggedCasesSchema.safeParse(JSON.parse(event.dataTransfer.getData(CASES_MIME)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Props that make an element a drop target for cases: it shows `data-drop-over`
 * while cases hover it (styled by `dropTarget`), and hands the dropped ids on.
 */
export function caseDropTarget(onDrop: (ids: string[]) => void) {
  const leave = (el: HTMLElement) => delete el.dataset.dropOver;
  return {
    className: classes.dropTarget,
    onDragOver: (event: DragEvent<HTMLElement>) => {
      if (!isCaseDrag(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      event.currentTarget.dataset.dropOver = '';
    },
    onDragLeave: (event: DragEvent<HTMLElement>) => {
      // Entering a child is not leaving.
      if (event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget)) return;
      leave(event.currentTarget);
    },
    onDrop: (event: DragEvent<HTMLElement>) => {
      leave(event.currentTarget);
      const ids = droppedCases(event);
      if (!ids) return;
      event.preventDefault();
      onDrop(ids);
    },
  };
}
