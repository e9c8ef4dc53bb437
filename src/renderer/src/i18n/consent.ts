/**
 * Why the consent rule stops a reply, in the current language. The rule and
 * its English reasons live in src/shared/replies.ts (the hub says the same);
 * a reason not known here is shown as the rule says it.
 */
import { i18n } from './index';

const KEYS: Record<string, string> = {
  'the customer is marked do-not-engage': 'doNotEngage',
  'the customer has not opted in to being contacted first on this network': 'firstContact',
  'the post was not addressed to the brand and its author has not opted in': 'unaddressed',
};

export function consentText(reason: string): string {
  const key = KEYS[reason];
  return key ? i18n.t(`composer.consentReasons.${key}` as never) : reason;
}
