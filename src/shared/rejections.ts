/**
 * The hub's refusals, each written once: its name (the console words it as
 * `rejection.<name>`, or `refusal.<name>` for the domain policy's), the facts
 * it takes, and the English the hub sends (logs, scripts and the API's
 * `reason` / `message` keep it word for word). The hub throws what
 * `rejectionOf` / `refusalOf` give, so the key travels with the refusal and
 * the console never has to recognise the English.
 */
import type { Channel } from './domain';
import { REFUSALS, type RefusalName } from './policy';
import { wording, type Wording, type WordingParams } from './wording';

/** A refusal as the hub says it: the English, and the same as a key and parameters. */
export interface Refusal {
  text: string;
  wording: Wording;
}

/** A consent refusal says whether an override was tried (by someone who may not): `yes` or `no`. */
const consent =
  (reason: string) =>
  ({ override }: { override: 'yes' | 'no' }): string =>
    override === 'yes' ? `${reason}; only a supervisor may override it` : reason;

/** Each rejection's English from its facts (counts and versions as numbers, for plurals). */
const REJECTIONS = {
  takenMeanwhile: () => 'the case was taken meanwhile',
  offerGone: () => 'no such offer: it lapsed or went to someone else',
  // Worded alike: the id is taken, by someone else's change or by a message.
  mutationIdUsed: ({ by }: { by: 'someoneElse' | 'message' }) =>
    by === 'message' ? 'this mutation id is already the id of a message; send it again under a new id' : 'this mutation id was already used by someone else',
  notInScope: ({ what }: { what: 'case' | 'customer' | 'mention' | 'device' | 'reply' }) => `no such ${what} in your scope`,
  noSuch: ({ what }: { what: 'user' | 'assignee' | 'queue' }) => `no such ${what}`,
  casesMissing: ({ count }: { count: number }) => `${count} of the cases do not exist`,
  mentionConverted: () => 'the mention was already converted into a case',
  presenceSelf: () => 'presence can only be set for yourself',
  versionAhead: ({ base, version }: { base: number; version: number }) => `baseVersion ${base} is ahead of the hub's version ${version}`,
  badEntity: () => 'entityId must be the new case id',
  caseExists: () => 'a case with this id already exists',
  deviceOwner: () => 'the device must belong to the case’s customer',
  /** `status`: the reply's delivery status, or `not a reply`. */
  retryNotFailed: ({ status }: { status: string }) => `only a failed reply can be sent again (this one is ${status})`,
  mentionCaseClosed: () => 'the case is closed: convert the mention into a new case',
  noQueueForChannel: () => 'no queue owns this channel: an admin must set one',
  noIdentity: ({ channel }: { channel: Channel }) => `the customer has no ${channel} identity to reply to, and the case has no ${channel} message to answer`,
  notReplyChannel: ({ channel }: { channel: Channel }) => `a reply cannot be sent on ${channel}`,
  replyTooLong: ({ channel, limit }: { channel: Channel; limit: number }) => `a reply on ${channel} takes at most ${limit} characters`,
  // The consent rule's reasons (src/shared/replies.ts).
  consentDoNotEngage: consent('the customer is marked do-not-engage'),
  consentFirstContact: consent('the customer has not opted in to being contacted first on this network'),
  consentUnaddressed: consent('the post was not addressed to the brand and its author has not opted in'),
  /** A change the hub's schema refused: zod's issues (one a line), which stay English. */
  invalidInput: ({ detail }: { detail: string }) => detail,
} satisfies Record<string, (facts: never) => string>;

export type RejectionName = keyof typeof REJECTIONS;
/** Every rejection's name: each has its message in every locale (tests/shared/wording.test.ts). */
export const REJECTION_NAMES = Object.keys(REJECTIONS) as RejectionName[];

/** A wording parameter is at most 2,000 characters (WordingSchema): a longer fact is cut there, its English stays whole. */
const clipped = (facts: WordingParams): WordingParams =>
  Object.fromEntries(Object.entries(facts).map(([name, value]) => [name, typeof value === 'string' ? value.slice(0, 2000) : value]));

/** `rejectionOf('notInScope', { what: 'case' })`: the English and `rejection.notInScope` with the same facts. */
export function rejectionOf<N extends RejectionName>(name: N, ...facts: Parameters<(typeof REJECTIONS)[N]>): Refusal {
  const [given] = facts as [WordingParams?];
  const text = (REJECTIONS[name] as (facts?: WordingParams) => string)(given);
  return { text, wording: wording(`rejection.${name}`, given && clipped(given)) };
}

/** One of the domain policy's refusals (src/shared/policy.ts, `REFUSALS`), worded `refusal.<name>`. */
export const refusalOf = (name: RefusalName): Refusal => ({ text: REFUSALS[name], wording: wording(`refusal.${name}`) });
