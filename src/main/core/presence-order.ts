/**
 * Which of two reports of the user's own presence to keep. At sign-in the
 * console asks the hub who it is (`/api/me`, with the presence stored then)
 * while its socket connects, and connecting is what makes the user
 * available: on a busy machine the live "available" can arrive before the
 * answer read just before it, and the older "offline" would then stay.
 */
import type { PresenceState } from '../../shared/protocol';

/** Whether `heard` is at least as new as what is `known` (each says since when it holds). */
export function isNewerPresence(heard: PresenceState, known: PresenceState | null): boolean {
  return known === null || Date.parse(heard.since) >= Date.parse(known.since);
}
