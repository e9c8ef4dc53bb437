/**
 * Why the consent rule stops a reply, in the current language. The rule and
 * its reasons live in src/shared/replies.ts (the hub says the same), each
 * with its key; a reason not known here is shown as the rule says it.
 */
import type { Refusal } from '../../../shared/rejections';
import { i18n } from './index';

const KEYS: Record<string, string> = {
  'rejection.consentDoNotEngage': 'doNotEngage',
  'rejection.consentFirstContact': 'firstContact',
  'rejection.consentUnaddressed': 'unaddressed',
};

export function consentText(refusal: Refusal): string {
  const key = KEYS[refusal.wording.key];
  return key ? i18n.t(`composer.consentReasons.${key}` as never) : refusal.text;
}
