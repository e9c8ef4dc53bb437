/**
 * Keyboard for the queue, wherever focus is (except while typing):
 * ↑/↓ move the cursor, Enter opens, / jumps to search, Esc closes the case,
 * n starts a new case; in the mentions inbox also c converts and d dismisses.
 * Where cases can be picked (supervisors): x picks the cursor's row, Shift+↑/↓
 * pick as they move, a opens the reassign dialog for what is picked.
 */
import { useWindowEvent } from '@mantine/hooks';

interface Handlers {
  move(step: 1 | -1): void;
  open(): void;
  focusSearch(): void;
  close(): void;
  newCase(): void;
  /** The mentions inbox: the selected post's actions. */
  convert?(): void;
  dismiss?(): void;
  /** Picking cases: the cursor's row in or out, Shift+↑/↓ (the rows passed join), the reassign dialog. */
  pick?(): void;
  extend?(step: 1 | -1): void;
  reassign?(): void;
}

const POPUPS = '[role="menu"], [role="dialog"], [role="listbox"]';

/** Mantine keeps closed dropdowns mounted but hidden: only a shown one counts. */
const popupShown = (): boolean => [...document.querySelectorAll(POPUPS)].some((el) => el.getClientRects().length > 0);

const isTyping = (el: Element | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

export function useQueueKeys({ move, open, focusSearch, close, newCase, convert, dismiss, pick, extend, reassign }: Handlers, enabled = true): void {
  useWindowEvent('keydown', (event) => {
    if (!enabled) return;
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target instanceof Element ? event.target : null;
    if (isTyping(target)) return;
    // Inside a menu, dialog or the open case, arrows belong to what has focus; Enter also to a focused button.
    // A menu, dialog or dropdown is open (focus may have stayed on the button that opened it).
    const inPopup = target?.closest(POPUPS) != null || popupShown();
    const inPanel = inPopup || target?.closest('[data-testid="case-view"]') != null;
    const onControl = target?.closest('button, a, [role="button"]') != null;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (inPanel) return;
        event.preventDefault();
        if (event.shiftKey && extend) extend(event.key === 'ArrowDown' ? 1 : -1);
        else move(event.key === 'ArrowDown' ? 1 : -1);
        break;
      case 'Enter':
        if (inPanel || onControl) return;
        event.preventDefault();
        open();
        break;
      case '/':
        event.preventDefault();
        focusSearch();
        break;
      case 'Escape':
        // Esc in a menu or dialog closes that, not the case behind it.
        if (inPopup) return;
        close();
        break;
      case 'n':
        // Not in an open menu or dialog (their own letters), anywhere else yes.
        if (inPopup) return;
        event.preventDefault();
        newCase();
        break;
      case 'c':
      case 'd': {
        const act = event.key === 'c' ? convert : dismiss;
        if (inPanel || !act) return;
        event.preventDefault();
        act();
        break;
      }
      case 'x':
      case 'a': {
        const act = event.key === 'x' ? pick : reassign;
        if (inPanel || !act) return;
        event.preventDefault();
        act();
        break;
      }
    }
  });
}

/** Where ↑/↓ (`step`) takes the cursor in a list: from nowhere to the first or the last row, else one row on, stopping at the ends; null in an empty list. */
export function stepSelection(items: readonly { id: string }[], selectedId: string | null, step: 1 | -1): string | null {
  if (items.length === 0) return null;
  const index = items.findIndex((item) => item.id === selectedId);
  const next = index < 0 ? (step === 1 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, index + step));
  return items[next]!.id;
}
