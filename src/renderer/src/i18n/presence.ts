/**
 * The usual away reasons travel and are stored as stable keys — their English
 * words (src/shared/protocol.ts AWAY_REASONS), what the hub has always kept,
 * so stored reasons, old consoles and API clients keep working — and are shown
 * translated wherever a reason is shown (the presence menu, the agents board,
 * the Users tab, the audit log). A reason in the user's own words is kept and
 * shown as typed.
 */
import { AWAY_REASONS } from '../../../shared/protocol';
import { i18n } from './index';

type AwayReason = (typeof AWAY_REASONS)[number];
const KEYS: Record<AwayReason, string> = { Break: 'break', Lunch: 'lunch', Meeting: 'meeting', Training: 'training', 'Admin work': 'adminWork' };

/** A stored reason as the user reads it: a usual one in the current language, any other as typed. */
export function awayReasonLabel(reason: string): string {
  const key = KEYS[reason as AwayReason];
  return key ? i18n.t(`presence.reasons.${key}` as never) : reason;
}

/** The usual reasons to offer, in the current language: the stored key and its words. */
export const awayReasonOptions = (): { value: AwayReason; label: string }[] => AWAY_REASONS.map((value) => ({ value, label: awayReasonLabel(value) }));

/**
 * What to store for what the user typed or picked: a usual reason's stable key
 * when the words are one of them (in the current language or as the key
 * itself, whatever the case and spaces), else the text as typed.
 */
export function awayReasonToStore(text: string): string {
  const typed = text.trim();
  const folded = typed.toLocaleLowerCase();
  const usual = AWAY_REASONS.find((key) => key.toLocaleLowerCase() === folded || awayReasonLabel(key).toLocaleLowerCase() === folded);
  return usual ?? typed;
}
