/**
 * The channel settings an admin keeps on the Admin screen: none of them a
 * secret. The brand's public handles (shown to agents, never used to sign in
 * anywhere: tokens, app passwords and the ids that pair with them stay hub
 * options), the keywords that make a Bluesky post about the brand besides its
 * handle, the keywords the surge detector watches, and the consent policy
 * the reply rules (src/shared/replies.ts) apply. Do-not-engage is always
 * honoured: no choice here lifts it.
 */
import { z } from 'zod';
import { freeText } from './domain';

/** A public network's reply rule: only with the author's opt-in (the safe default), or allowed. */
export const CONSENT_CHOICES = ['opt-in', 'allowed'] as const;
export type ConsentChoice = (typeof CONSENT_CHOICES)[number];
const ConsentChoiceSchema = z.enum(CONSENT_CHOICES, { error: 'must be "opt-in" or "allowed"' });

export const ConsentPolicySchema = z
  .object({
    /** Answering a public post that names the brand without being addressed to it (a keyword match, a mention in passing). */
    unaddressed: ConsentChoiceSchema,
    /** Writing first on a public network, where the customer has posted nothing the reply answers. */
    firstContact: ConsentChoiceSchema,
  })
  .strict();
export type ConsentPolicy = z.infer<typeof ConsentPolicySchema>;

/** Today's rule: only with the author's opt-in, both ways. */
export const DEFAULT_CONSENT_POLICY: ConsentPolicy = { unaddressed: 'opt-in', firstContact: 'opt-in' };

/** One handle: empty means none; otherwise it must look like the network's and is kept in its usual spelling. */
function handle(pattern: RegExp, message: string, normalise: (value: string) => string) {
  return z
    .string()
    .trim()
    .max(300, 'is too long')
    .nullable()
    .transform((value) => (value ? value : null))
    .pipe(z.string().regex(pattern, message).transform(normalise).nullable());
}
const at = (value: string) => `@${value.replace(/^@/, '')}`;

export const BrandHandlesSchema = z
  .object({
    x: handle(/^@?[A-Za-z0-9_]{1,15}$/, 'must be an X handle such as @brand (1–15 letters, digits or _)', at),
    mastodon: handle(/^@?[A-Za-z0-9_]{1,30}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, 'must be a Mastodon address such as @brand@mastodon.social', (v) => at(v).toLowerCase()),
    bluesky: handle(/^@?[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$/, 'must be a Bluesky handle such as brand.bsky.social', (v) => v.replace(/^@/, '').toLowerCase()),
    /** The Facebook page's name as people see it (its id pairs with the page token: a hub option). */
    facebook: z
      .string()
      .trim()
      .nullable()
      .transform((value) => (value ? value : null))
      .pipe(freeText(100, z.string()).nullable()),
    instagram: handle(/^@?[A-Za-z0-9._]{1,30}$/, 'must be an Instagram handle such as @brand (1–30 letters, digits, . or _)', (v) => at(v).toLowerCase()),
  })
  .strict();
export type BrandHandles = z.infer<typeof BrandHandlesSchema>;

export const MAX_KEYWORDS = 50;
/** Lower case, trimmed, each once: matching ignores case. */
export const KeywordsSchema = z
  .array(freeText(100, z.string().trim().toLowerCase().min(2, 'a keyword takes at least 2 characters')).refine((k) => !k.includes(','), 'a keyword cannot contain a comma'), 'must be a list of keywords')
  .max(MAX_KEYWORDS, `at most ${MAX_KEYWORDS} keywords`)
  .transform((list) => [...new Set(list)]);

export const ChannelSettingsSchema = z
  .object({
    handles: BrandHandlesSchema,
    /** What makes a Bluesky post about the brand besides naming its handle. */
    listeningKeywords: KeywordsSchema,
    /** Watched by the surge detector besides the channels. */
    surgeKeywords: KeywordsSchema,
    consent: ConsentPolicySchema,
  })
  .strict();
export type ChannelSettings = z.output<typeof ChannelSettingsSchema>;
export type ChannelSettingsInput = z.input<typeof ChannelSettingsSchema>;

export const NO_HANDLES: BrandHandles = { x: null, mastodon: null, bluesky: null, facebook: null, instagram: null };

/** What the hub answers on GET /api/settings/channels and PUT /api/admin/settings/channels, and sends with `settings:changed`. */
export const ChannelSettingsAnswerSchema = z.object({ channels: ChannelSettingsSchema });
export type ChannelSettingsAnswer = z.infer<typeof ChannelSettingsAnswerSchema>;
