/**
 * A hub fixed by policy, applied to the console core's handlers: both shells
 * wrap the core with it, so the renderer, whatever it sends, signs in only
 * to that hub.
 */
import type { ApiHandlers } from '../../shared/api';
import { CoreError } from '../core/errors';

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

/** The handlers with every login sent to `hubUrl`; a login naming another hub is refused, saying why. */
export function lockHub(handlers: ApiHandlers, hubUrl: string): ApiHandlers {
  return {
    ...handlers,
    async 'session.login'(input) {
      if (input.hubUrl !== undefined && !sameHub(input.hubUrl, hubUrl)) {
        throw new CoreError('invalid_input', `this workstation's policy fixes the hub to ${hubUrl}; leave the hub address empty`);
      }
      // Named explicitly: the core would otherwise reuse the hub of the last session.
      return handlers['session.login']({ ...input, hubUrl });
    },
  };
}

/**
 * A session restored from an earlier run on another hub (signed in before the
 * policy fixed this one) is ended, so the console does not go on working
 * against a hub the policy no longer allows. Returns that hub's address when
 * it ended one.
 */
export async function endSessionOnOtherHub(handlers: Pick<ApiHandlers, 'session.current' | 'session.logout'>, hubUrl: string): Promise<string | null> {
  const current = await handlers['session.current']({});
  if (!current || sameHub(current.hubUrl, hubUrl)) return null;
  await handlers['session.logout']({});
  return current.hubUrl;
}
