/**
 * The channel settings document (src/shared/channel-settings.ts): one JSON
 * value in the settings table under `channel-settings`. Until an admin saves
 * one, the hub's options are the settings (`defaultChannelSettings`), so a
 * hub upgraded in place keeps behaving as it did.
 */
import { cachedRead } from '../ops/cached-read';
import type { z } from 'zod';
import {
  BrandHandlesSchema,
  type ChannelSettings,
  ChannelSettingsSchema,
  type ConsentPolicy,
  DEFAULT_CONSENT_POLICY,
  KeywordsSchema,
  MAX_KEYWORDS,
  NO_HANDLES,
} from '../../shared/channel-settings';
import type { Db } from '../db/connect';
import { settings } from '../db/schema';
import { recordAudit } from './audit';
import { readSettingsDocument } from './settings';

export const CHANNEL_SETTINGS_KEY = 'channel-settings';

/** The options the defaults are made of: what the hub was started with. */
export interface ChannelSettingsOptions {
  blueskyHandle?: string;
  blueskyKeywords?: string[];
  surgeKeywords?: string[];
  /** With `--demo`, the demo's X account is the brand's. */
  demoXHandle?: string;
}

/** Never throws: an option the settings' stricter rules refuse (a handle without a dot, a 51st keyword) is left out, not fatal. */
export function defaultChannelSettings(opts: ChannelSettingsOptions): ChannelSettings {
  const handle = (schema: z.ZodType<string | null, string | null>, value: string | undefined) => schema.safeParse(value ?? null).data ?? null;
  const keywords = (list: string[] = []) => KeywordsSchema.parse(list.filter((k) => KeywordsSchema.safeParse([k]).success).slice(0, MAX_KEYWORDS));
  return {
    handles: { ...NO_HANDLES, x: handle(BrandHandlesSchema.shape.x, opts.demoXHandle), bluesky: handle(BrandHandlesSchema.shape.bluesky, opts.blueskyHandle) },
    listeningKeywords: keywords(opts.blueskyKeywords),
    surgeKeywords: keywords(opts.surgeKeywords),
    consent: DEFAULT_CONSENT_POLICY,
  };
}

/** The stored document, or null when none is stored (or it no longer passes today's schema: the defaults then apply). */
const readStored = (db: Db, forUpdate = false): Promise<ChannelSettings | null> => readSettingsDocument(db, CHANNEL_SETTINGS_KEY, ChannelSettingsSchema, forUpdate);

export async function readChannelSettings(db: Db, defaults: ChannelSettings): Promise<ChannelSettings> {
  return (await readStored(db)) ?? defaults;
}

/** The consent policy alone: the push validation reads it in its own transaction, so every hub applies the one saved last. */
export async function readConsentPolicy(db: Db): Promise<ConsentPolicy> {
  return (await readStored(db))?.consent ?? DEFAULT_CONSENT_POLICY;
}

/** The document as flat fields (`handles.x`, `consent.firstContact`, `surgeKeywords`): what the audit log compares. */
function flatten(settings: ChannelSettings): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) for (const [inner, v] of Object.entries(value)) flat[`${key}.${inner}`] = v;
    else flat[key] = value;
  }
  return flat;
}

/** Only the fields that changed, before and after, as an update of a queue records only what it patched. */
export function settingsChange(before: ChannelSettings, after: ChannelSettings): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const [was, is] = [flatten(before), flatten(after)];
  const changed = Object.keys(is).filter((key) => JSON.stringify(was[key]) !== JSON.stringify(is[key]));
  return { before: Object.fromEntries(changed.map((key) => [key, was[key]])), after: Object.fromEntries(changed.map((key) => [key, is[key]])) };
}

/** Replaces the document, audited (`settings.channels`: the changed fields before and after) in the same transaction. */
export async function writeChannelSettings(db: Db, next: ChannelSettings, defaults: ChannelSettings, actorId: string | null): Promise<{ before: ChannelSettings; after: ChannelSettings }> {
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const before = (await readStored(tx, true)) ?? defaults;
    const value = JSON.stringify(next);
    await tx.insert(settings).values({ key: CHANNEL_SETTINGS_KEY, value }).onConflictDoUpdate({ target: settings.key, set: { value } });
    await recordAudit(tx, [{ actorId, action: 'settings.channels', entity: 'settings', entityId: 'channels', ...settingsChange(before, next) }]);
    return { before, after: next };
  });
}

/** How long a hub trusts its copy: another hub's save reaches the keyword filters within this time. */
export const CHANNEL_SETTINGS_TTL_MS = 3_000;

/**
 * The current settings for the hot paths (the Bluesky keyword filter reads
 * it for every post, the surge detector at each look): read from the
 * database at most every few seconds, and at once after this hub saved.
 */
export interface ChannelSettingsSource {
  current(): Promise<ChannelSettings>;
  /** Forgets the copy: the next `current()` reads the database. */
  invalidate(): void;
  readonly defaults: ChannelSettings;
}

export function channelSettingsSource(db: Db, defaults: ChannelSettings, ttlMs = CHANNEL_SETTINGS_TTL_MS): ChannelSettingsSource {
  return { defaults, ...cachedRead(() => readChannelSettings(db, defaults), ttlMs) };
}
