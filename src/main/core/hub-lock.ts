/**
 * A hub fixed by the administrator's policy, enforced here in the core so
 * every shell (Electron, browser, headless) and every caller gets the same
 * rule: a sign-in naming another hub is refused, a session restored from
 * another hub is ended.
 */
import { wording } from '../../shared/wording';
import { CoreError } from './errors';

/** Two spellings of one hub (`https://hub.example/` and `https://HUB.example`) are the same hub. */
export function sameHub(a: string, b: string): boolean {
  const normal = (url: string) => {
    try {
      return new URL(url).href.replace(/\/+$/, '');
    } catch {
      return url;
    }
  };
  return normal(a) === normal(b);
}

/** The refusal of a sign-in to another hub than the policy's, worded for the user too (`policy.hubLocked`). */
export function hubLockedError(lockedHubUrl: string): CoreError {
  return new CoreError(
    'invalid_input',
    `this workstation's policy fixes the hub to ${lockedHubUrl}; leave the hub address empty`,
    undefined,
    wording('policy.hubLocked', { hubUrl: lockedHubUrl }),
  );
}
