/** Hub options from flags and SWITCHBOARD_* variables (flags win), validated with zod. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { WrapKeySchema } from './auth/token-key';
import { ImapUrlTextSchema } from './channels/email/imap-url';

export const DEFAULT_HUB_PORT = 4710;
export const DEFAULT_MQTT_PORT = 1883;
export const DEFAULT_SMTP_PORT = 2525;
export const DEFAULT_MAIL_ADDRESSES = ['support@switchboard.test'];

export interface HubOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  mqttUrl?: string;
  mqttPort?: number;
  /** Inbound SMTP (channels/email); 0 = any free port. */
  smtpPort?: number;
  /** The support addresses the SMTP listener accepts mail for (others: 550), in lower case. */
  mailAddresses?: string[];
  /** With Redis, several hubs share one Postgres, one MQTT 5 broker and live events. */
  redisUrl?: string;
  /** Names this deployment's Redis streams and MQTT share group (default `switchboard`). */
  cluster?: string;
  explicitPorts?: { http?: boolean; mqtt?: boolean; smtp?: boolean };
  demo?: boolean;
  demoFeed?: boolean;
  demoFeedIntervalMs?: number;
  logLevel?: string;
  /** Where log lines go (default stdout); tests read them. */
  logStream?: { write(line: string): void };
  /** Session token lifetime; default 12 h. */
  tokenTtlSeconds?: number;
  /** A session's absolute lifetime from its sign-in, refreshes included; default 7 days. */
  sessionMaxAgeSeconds?: number;
  /** Base64 of the 32-byte key that wraps the token-signing key in the database; default: `token-wrap.key` in the data dir. */
  tokenWrapKey?: string;
  /** A static bearer token for a metrics scraper; supervisors' and admins' session tokens also read /metrics. */
  metricsToken?: string;
  /** X's consumer secret: signs the webhooks (channels/x); without it the X channel is off (with `--demo`, the demo secret). */
  xConsumerSecret?: string;
  /** The brand's X user id; events for other accounts are ignored. */
  xUserId?: string;
  /** The Meta app's secret: signs the webhooks (channels/meta); without it the Meta channel is off (with `--demo`, the demo secret). */
  metaAppSecret?: string;
  /** The token Meta's webhook handshake must present. */
  metaVerifyToken?: string;
  /** The brand's Facebook page id; page events for other pages are ignored. */
  metaPageId?: string;
  /** Twilio's auth token: signs the voice status callbacks (channels/voice); without it the phone channel is off (with `--demo`, the demo token). */
  voiceAuthToken?: string;
  /** The hub's URL as the providers see it (behind a proxy or tunnel): Twilio signs it; default the URL a request reached the hub by. */
  publicUrl?: string;
  /** How long one call to a provider may take before it is cut off and retried (default 30 s); a hub that stops mid-call holds its reply about twice as long. */
  deliveryTimeoutMs?: number;
  /** How often `queue:stats` goes to supervisors besides on change (default 5 s; tests shorten it). */
  queueStatsIntervalMs?: number;
  /** The delivery worker's other timing (tests shorten it); defaults in delivery/worker.ts. */
  delivery?: { pollMs?: number; maxAttempts?: number; backoffMs?: number };
  /** Outbound mail relay (`smtp://host:port`); without it, email replies stay queued (with `--demo`, the provider simulator). */
  smtpRelayUrl?: string;
  /** X API v2 base URL and the brand's user token for replies. */
  xApiUrl?: string;
  xToken?: string;
  /** Graph API base URL and the page access token for replies. */
  metaApiUrl?: string;
  metaPageToken?: string;
  /** An existing mailbox read over IMAP (`imaps://user:password@host/INBOX`): email's second way in, beside SMTP. */
  imapUrl?: string;
  /** How often that mailbox is looked at besides IMAP IDLE's news (default 60 s; tests shorten it). */
  imapPollMs?: number;
  /** The brand's Mastodon instance and access token: the notifications stream in, statuses out. */
  mastodonUrl?: string;
  mastodonToken?: string;
  /** The Jetstream to listen to, and the brand's keywords besides its handle. */
  blueskyJetstreamUrl?: string;
  blueskyKeywords?: string[];
  /** The brand's Bluesky account (its PDS, handle and app password) for replies. */
  blueskyPdsUrl?: string;
  blueskyHandle?: string;
  blueskyAppPassword?: string;
  /** Surge alerts (live/surge.ts): how often each hub looks (default 30 s; tests set it long and call `surges.check`). */
  surgeIntervalMs?: number;
  /** The window arrivals are counted over (default 10). */
  surgeWindowMinutes?: number;
  /** A window surges at this many times the usual rate (default 3)… */
  surgeFactor?: number;
  /** …and at least this many arrivals (default 20). */
  surgeMinimum?: number;
  /** Keywords watched besides the channels, lower case (default none). */
  surgeKeywords?: string[];
  /** No second alert for the same channel or keyword within this time (default 30). */
  surgeCooldownMinutes?: number;
  /** SLA breach watcher (sla/watch.ts): how often each hub looks (default 30 s; tests set it long and call `sla.check`). */
  slaIntervalMs?: number;
  /** How long before an SLA due time the warning goes out, in minutes, for every policy alike (default: each policy's own warning lead, as the console's countdown turns). */
  slaWarnMinutes?: number;
  /**
   * The brand's rules document (YAML or JSON, rules/README.md): stored at first start and watched, an edit
   * that loads is saved as a new version. Without it the database's document stands (at first start: the
   * demo's rules with `--demo`, none otherwise).
   */
  rulesFile?: string;
  /** How often the silence rules are judged (default 30 s). */
  silenceIntervalMs?: number;
  /** How long a console may go without refreshing its sign-in before its refresh token lapses (default 30 days). */
  refreshIdleSeconds?: number;
  /** How often push routing looks for offers to make and lapsed ones (default 1 s; it also runs when work arrives). */
  routingIntervalMs?: number;
}

/** The per-user application data folder of this platform. */
export function defaultDataDir(app = 'switchboard'): string {
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), app);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', app);
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), app);
}

/** Where the hub keeps its embedded database unless told otherwise. */
export const defaultHubDataDir = (): string => join(defaultDataDir(), 'hub');

const port = z.coerce.number().int().min(0).max(65535);
const secret = (max = 200) => z.string().min(1).max(max);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const commaList = (item: z.ZodType<string, string>, what: string) =>
  z
    .string()
    .transform((list) => list.split(',').map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== ''))
    .pipe(z.array(item, `must be comma-separated ${what}`).min(1, `must name at least one of ${what}`).max(100));

/**
 * Every option once: its flag (kebab-case of the key), its variable and its
 * rule. Booleans are flags only (`--demo`).
 */
const OPTIONS = {
  port: { env: 'SWITCHBOARD_HUB_PORT', schema: port },
  dataDir: { env: 'SWITCHBOARD_DATA_DIR', schema: z.string().min(1) },
  databaseUrl: { env: 'SWITCHBOARD_DATABASE_URL', schema: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL') },
  mqttUrl: { env: 'SWITCHBOARD_MQTT_URL', schema: z.string().regex(/^mqtts?:\/\//, 'must be an mqtt:// URL') },
  mqttPort: { env: 'SWITCHBOARD_MQTT_PORT', schema: port },
  smtpPort: { env: 'SWITCHBOARD_SMTP_PORT', schema: port },
  mailAddresses: { env: 'SWITCHBOARD_MAIL_ADDRESSES', schema: commaList(z.email(), 'email addresses') },
  smtpRelayUrl: { env: 'SWITCHBOARD_SMTP_RELAY_URL', schema: z.string().regex(/^smtps?:\/\/[^/]+\/?$/, 'must be an smtp://host:port or smtps://host:port URL') },
  imapUrl: { env: 'SWITCHBOARD_IMAP_URL', schema: ImapUrlTextSchema },
  imapPollMs: { env: 'SWITCHBOARD_IMAP_POLL_MS', schema: z.coerce.number().int().min(1000).max(3_600_000) },
  redisUrl: { env: 'SWITCHBOARD_REDIS_URL', schema: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL') },
  cluster: { env: 'SWITCHBOARD_CLUSTER', schema: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'must be 1–40 of a-z, 0-9, _ or -') },
  logLevel: { env: 'SWITCHBOARD_LOG_LEVEL', schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) },
  tokenWrapKey: { env: 'SWITCHBOARD_TOKEN_WRAP_KEY', schema: WrapKeySchema },
  metricsToken: { env: 'SWITCHBOARD_METRICS_TOKEN', schema: z.string().min(16, 'must be at least 16 characters') },
  xConsumerSecret: { env: 'SWITCHBOARD_X_CONSUMER_SECRET', schema: secret() },
  xUserId: { env: 'SWITCHBOARD_X_USER_ID', schema: z.string().regex(/^\d{1,25}$/, 'must be a numeric X user id') },
  xApiUrl: { env: 'SWITCHBOARD_X_API_URL', schema: httpUrl },
  xToken: { env: 'SWITCHBOARD_X_TOKEN', schema: secret(2000) },
  metaAppSecret: { env: 'SWITCHBOARD_META_APP_SECRET', schema: secret() },
  metaVerifyToken: { env: 'SWITCHBOARD_META_VERIFY_TOKEN', schema: secret(500) },
  metaPageId: { env: 'SWITCHBOARD_META_PAGE_ID', schema: z.string().regex(/^\d{1,30}$/, 'must be a numeric Facebook page id') },
  metaApiUrl: { env: 'SWITCHBOARD_META_API_URL', schema: httpUrl },
  metaPageToken: { env: 'SWITCHBOARD_META_PAGE_TOKEN', schema: secret(2000) },
  mastodonUrl: { env: 'SWITCHBOARD_MASTODON_URL', schema: httpUrl },
  mastodonToken: { env: 'SWITCHBOARD_MASTODON_TOKEN', schema: secret(2000) },
  blueskyJetstreamUrl: { env: 'SWITCHBOARD_BLUESKY_JETSTREAM_URL', schema: z.url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' }) },
  blueskyPdsUrl: { env: 'SWITCHBOARD_BLUESKY_PDS_URL', schema: httpUrl },
  blueskyHandle: { env: 'SWITCHBOARD_BLUESKY_HANDLE', schema: z.string().regex(/^@?[a-z0-9.-]{3,253}$/i, 'must be a handle such as brand.bsky.social').transform((h) => h.replace(/^@/, '').toLowerCase()) },
  blueskyAppPassword: { env: 'SWITCHBOARD_BLUESKY_APP_PASSWORD', schema: secret() },
  blueskyKeywords: { env: 'SWITCHBOARD_BLUESKY_KEYWORDS', schema: commaList(z.string().min(2).max(100), 'keywords') },
  voiceAuthToken: { env: 'SWITCHBOARD_VOICE_AUTH_TOKEN', schema: secret() },
  deliveryTimeoutMs: { env: 'SWITCHBOARD_DELIVERY_TIMEOUT_MS', schema: z.coerce.number().int().min(500).max(300_000) },
  publicUrl: { env: 'SWITCHBOARD_PUBLIC_URL', schema: httpUrl },
  surgeIntervalMs: { env: 'SWITCHBOARD_SURGE_INTERVAL_MS', schema: z.coerce.number().int().min(1000).max(3_600_000) },
  surgeWindowMinutes: { env: 'SWITCHBOARD_SURGE_WINDOW_MINUTES', schema: z.coerce.number().int().min(1).max(1440) },
  surgeFactor: { env: 'SWITCHBOARD_SURGE_FACTOR', schema: z.coerce.number().min(1).max(1000) },
  surgeMinimum: { env: 'SWITCHBOARD_SURGE_MINIMUM', schema: z.coerce.number().int().min(1).max(1_000_000) },
  surgeKeywords: { env: 'SWITCHBOARD_SURGE_KEYWORDS', schema: commaList(z.string().min(2).max(100), 'keywords') },
  surgeCooldownMinutes: { env: 'SWITCHBOARD_SURGE_COOLDOWN_MINUTES', schema: z.coerce.number().int().min(1).max(10_080) },
  slaIntervalMs: { env: 'SWITCHBOARD_SLA_INTERVAL_MS', schema: z.coerce.number().int().min(1000).max(3_600_000) },
  slaWarnMinutes: { env: 'SWITCHBOARD_SLA_WARN_MINUTES', schema: z.coerce.number().int().min(0).max(10_080) },
  rulesFile: { env: 'SWITCHBOARD_RULES_FILE', schema: z.string().min(1).max(4096) },
  silenceIntervalMs: { env: 'SWITCHBOARD_SILENCE_INTERVAL_MS', schema: z.coerce.number().int().min(1000).max(3_600_000) },
  refreshIdleSeconds: { env: 'SWITCHBOARD_REFRESH_IDLE_SECONDS', schema: z.coerce.number().int().min(60).max(365 * 24 * 3600) },
  routingIntervalMs: { env: 'SWITCHBOARD_ROUTING_INTERVAL_MS', schema: z.coerce.number().int().min(100).max(60_000) },
} as const satisfies Record<string, { env: string; schema: z.ZodType }>;
type OptionKey = keyof typeof OPTIONS;

const ConfigSchema = z.object({
  ...(Object.fromEntries(Object.entries(OPTIONS).map(([key, o]) => [key, o.schema.optional()])) as { [K in OptionKey]: z.ZodOptional<(typeof OPTIONS)[K]['schema']> }),
  demo: z.boolean(),
  demoFeed: z.boolean(),
});

const flagOf = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function hubOptionsFromCli(argv: string[], env: NodeJS.ProcessEnv): HubOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(Object.keys(OPTIONS).map((key) => [flagOf(key), { type: 'string' as const }])),
      demo: { type: 'boolean', default: false },
      'demo-feed': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const raw: Record<string, unknown> = { demo: values.demo ?? false, demoFeed: values['demo-feed'] ?? false };
  for (const [key, option] of Object.entries(OPTIONS)) raw[key] = (values as Record<string, unknown>)[flagOf(key)] ?? env[option.env];
  const result = ConfigSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== '')));
  if (!result.success) throw new Error(`invalid hub configuration:\n${z.prettifyError(result.error)}`);
  const c = result.data;
  return {
    ...c,
    dataDir: c.dataDir ?? defaultHubDataDir(),
    explicitPorts: { http: c.port !== undefined, mqtt: c.mqttPort !== undefined, smtp: c.smtpPort !== undefined },
  };
}
