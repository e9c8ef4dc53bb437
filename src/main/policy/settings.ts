/**
 * The settings a console starts with, each from the first of: the
 * administrator's policy, the user's setting (environment, a shell's flag),
 * the default. Pure: the shells pass in what they read.
 */
import { z } from 'zod';
import { ALLOW_INSECURE_HUB_VARIABLE, parseAllowInsecureHub } from '../../shared/hub-address';
import { type Policy, UpdateFeedUrlSchema } from './policy';

export const HUB_URL_VARIABLE = 'SWITCHBOARD_HUB_URL';
export const AUTO_UPDATE_VARIABLE = 'SWITCHBOARD_AUTO_UPDATE';
export const UPDATE_FEED_URL_VARIABLE = 'SWITCHBOARD_UPDATE_FEED_URL';

export type SettingSource = 'policy' | 'user' | 'default';

/** What the user chose, where the user may choose. */
export interface UserSettings {
  hubUrl?: string;
  allowInsecureHub?: boolean;
  autoUpdate?: boolean;
  updateFeedUrl?: string;
}

const AutoUpdateVariableSchema = z.enum(['0', '1'], { error: `${AUTO_UPDATE_VARIABLE} must be 0 (no automatic updates) or 1` });

/** The user's settings from the environment; a malformed value is an error that names the variable. */
export function userSettingsFromEnv(env: Record<string, string | undefined>): UserSettings {
  const settings: UserSettings = {};
  const hubUrl = env[HUB_URL_VARIABLE]?.trim();
  if (hubUrl) settings.hubUrl = hubUrl;
  const insecure = env[ALLOW_INSECURE_HUB_VARIABLE];
  if (insecure !== undefined && insecure !== '') settings.allowInsecureHub = parseAllowInsecureHub(insecure);
  const autoUpdate = env[AUTO_UPDATE_VARIABLE]?.trim();
  if (autoUpdate) {
    const parsed = AutoUpdateVariableSchema.safeParse(autoUpdate);
    if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? `${AUTO_UPDATE_VARIABLE} must be 0 or 1`);
    settings.autoUpdate = parsed.data === '1';
  }
  const feed = env[UPDATE_FEED_URL_VARIABLE]?.trim();
  if (feed) {
    const parsed = UpdateFeedUrlSchema.safeParse(feed);
    if (!parsed.success) throw new Error(`${UPDATE_FEED_URL_VARIABLE} ${parsed.error.issues[0]?.message ?? 'is not a valid feed URL'}: ${feed}`);
    settings.updateFeedUrl = parsed.data;
  }
  return settings;
}

export interface HubSettings {
  /** The hub a login uses when it names none. */
  hubUrl: string;
  /** Fixed by policy: a login may not name another hub, and a session on another hub is ended. */
  locked: boolean;
  allowInsecureHub: boolean;
  source: SettingSource;
}

export function resolveHub(policy: Policy | null, user: UserSettings, defaultHubUrl: string): HubSettings {
  const allowInsecureHub = policy?.allowInsecureHub ?? user.allowInsecureHub ?? false;
  if (policy?.hubUrl) return { hubUrl: policy.hubUrl, locked: true, allowInsecureHub, source: 'policy' };
  if (user.hubUrl) return { hubUrl: user.hubUrl, locked: false, allowInsecureHub, source: 'user' };
  return { hubUrl: defaultHubUrl, locked: false, allowInsecureHub, source: 'default' };
}

export type AutoUpdate =
  | { enabled: false; reason: string }
  /** feedUrl null: the feed built into the installer (electron-builder's `publish`, app-update.yml). */
  | { enabled: true; feedUrl: string | null; source: SettingSource };

/**
 * Whether, and from where, the Electron shell updates itself. Only a packaged
 * app updates (a development run has no installer to replace); the browser
 * shell never asks.
 */
export function resolveAutoUpdate(
  policy: Policy | null,
  user: UserSettings,
  app: { packaged: boolean; builtInFeed: boolean },
): AutoUpdate {
  if (!app.packaged) return { enabled: false, reason: 'not a packaged app' };
  const byPolicy = policy?.autoUpdate;
  if (byPolicy) {
    if (!byPolicy.enabled) return { enabled: false, reason: "turned off by the administrator's policy" };
    if (byPolicy.feedUrl) return { enabled: true, feedUrl: byPolicy.feedUrl, source: 'policy' };
    // Updates stay on (the user cannot turn them off); the feed is still the user's or the build's.
    const feedUrl = user.updateFeedUrl ?? null;
    if (feedUrl === null && !app.builtInFeed) return { enabled: false, reason: 'the policy turns updates on but neither a setting nor this build names a feed' };
    return { enabled: true, feedUrl, source: 'policy' };
  }
  if (user.autoUpdate === false) return { enabled: false, reason: `turned off by ${AUTO_UPDATE_VARIABLE}=0` };
  if (user.updateFeedUrl) return { enabled: true, feedUrl: user.updateFeedUrl, source: 'user' };
  if (!app.builtInFeed) return { enabled: false, reason: 'this build has no update feed' };
  return { enabled: true, feedUrl: null, source: 'default' };
}
