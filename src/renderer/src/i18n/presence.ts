/** The usual away reasons travel in English (src/shared/protocol.ts AWAY_REASONS); they are shown translated, a reason of the user's own words as typed. */
import type { AWAY_REASONS } from '../../../shared/protocol';
import { i18n } from './index';

const KEYS: Record<(typeof AWAY_REASONS)[number], string> = { Break: 'break', Lunch: 'lunch', Meeting: 'meeting', Training: 'training', 'Admin work': 'adminWork' };

export function awayReasonLabel(reason: string): string {
  const key = KEYS[reason as keyof typeof KEYS];
  return key ? i18n.t(`presence.reasons.${key}` as never) : reason;
}
