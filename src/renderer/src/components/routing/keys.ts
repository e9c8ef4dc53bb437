/**
 * Routing's keys (the offer card's y / Shift+D, "Next case"'s Shift+N):
 * anywhere but while typing or with a menu or dialog open, where letters
 * belong to what has focus. The same rule as the queue's keys (lib/useQueueKeys).
 */
import { useWindowEvent } from '@mantine/hooks';

const POPUPS = '[role="menu"], [role="dialog"], [role="listbox"]';

/** Mantine keeps closed dropdowns mounted but hidden: only a shown one counts. */
const popupShown = (): boolean => [...document.querySelectorAll(POPUPS)].some((el) => el.getClientRects().length > 0);

const isTyping = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

export interface RoutingKey {
  /** `event.key`: a lower-case letter, or the upper-case one with `shift`. */
  key: string;
  shift?: boolean;
}

export const keyLabel = ({ key, shift }: RoutingKey): string => (shift ? `Shift+${key.toUpperCase()}` : key);

/** Calls `act` on the key while `enabled`. */
export function useRoutingKey({ key, shift = false }: RoutingKey, act: () => void, enabled: boolean): void {
  useWindowEvent('keydown', (event) => {
    if (!enabled || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    // Caps Lock gives 'D' without Shift: the shifted keys need Shift itself.
    if (event.key !== key || event.shiftKey !== shift) return;
    if (isTyping(event.target) || (event.target instanceof Element && event.target.closest(POPUPS)) || popupShown()) return;
    event.preventDefault();
    act();
  });
}

export const ACCEPT_KEY: RoutingKey = { key: 'y' };
export const DECLINE_KEY: RoutingKey = { key: 'D', shift: true };
export const NEXT_CASE_KEY: RoutingKey = { key: 'N', shift: true };
