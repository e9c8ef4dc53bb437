/**
 * The user's own presence at sign-in (src/main/core/presence-order.ts): the
 * hub's answer to /api/me is kept only when it is at least as new as what
 * the console already heard live.
 */
import { describe, expect, it } from 'vitest';
import { isNewerPresence } from '../../src/main/core/presence-order';
import type { PresenceState } from '../../src/shared/protocol';

const state = (presence: PresenceState['presence'], since: string): PresenceState => ({ presence, reason: null, since });

describe('which report of the user’s presence is kept', () => {
  it('keeps the live "available" over an older "offline" answered after it', () => {
    const live = state('available', '2026-12-01T12:00:05.000Z');
    expect(isNewerPresence(state('offline', '2026-11-30T18:00:00.000Z'), live)).toBe(false);
  });

  it('takes the answer when nothing was heard yet, or when it is as new or newer', () => {
    expect(isNewerPresence(state('offline', '2026-11-30T18:00:00.000Z'), null)).toBe(true);
    expect(isNewerPresence(state('away', '2026-12-01T12:00:05.000Z'), state('available', '2026-12-01T12:00:05.000Z'))).toBe(true);
    expect(isNewerPresence(state('busy', '2026-12-01T12:10:00.000Z'), state('available', '2026-12-01T12:00:05.000Z'))).toBe(true);
  });

  it('compares the moments, whatever offset each is written in', () => {
    // 13:30 in Reykjavik (UTC) is later than 14:00 in Berlin (13:00 UTC).
    expect(isNewerPresence(state('away', '2026-12-01T13:30:00Z'), state('available', '2026-12-01T14:00:00+01:00'))).toBe(true);
    expect(isNewerPresence(state('away', '2026-12-01T14:00:00+01:00'), state('available', '2026-12-01T13:30:00Z'))).toBe(false);
  });
});
