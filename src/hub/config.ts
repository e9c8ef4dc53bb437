/** Hub options from flags and SWITCHBOARD_* variables (flags win), validated with zod. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { WrapKeySchema } from './auth/token-key';

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
const ConfigSchema = z.object({
  port: port.optional(),
  dataDir: z.string().min(1).optional(),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  mqttUrl: z.string().regex(/^mqtts?:\/\//, 'must be an mqtt:// URL').optional(),
  mqttPort: port.optional(),
  smtpPort: port.optional(),
  mailAddresses: z
    .string()
    .transform((list) => list.split(',').map((address) => address.trim().toLowerCase()).filter((address) => address !== ''))
    .pipe(z.array(z.email('must be comma-separated email addresses')).min(1, 'must name at least one address').max(100))
    .optional(),
  redisUrl: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  cluster: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'must be 1–40 of a-z, 0-9, _ or -').optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  tokenWrapKey: WrapKeySchema.optional(),
  metricsToken: z.string().min(16, 'must be at least 16 characters').optional(),
  xConsumerSecret: z.string().min(1).max(200).optional(),
  xUserId: z.string().regex(/^\d{1,25}$/, 'must be a numeric X user id').optional(),
  metaAppSecret: z.string().min(1).max(200).optional(),
  metaVerifyToken: z.string().min(1).max(500).optional(),
  metaPageId: z.string().regex(/^\d{1,30}$/, 'must be a numeric Facebook page id').optional(),
  voiceAuthToken: z.string().min(1).max(200).optional(),
  publicUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  demo: z.boolean(),
  demoFeed: z.boolean(),
});

export function hubOptionsFromCli(argv: string[], env: NodeJS.ProcessEnv): HubOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      'mqtt-url': { type: 'string' },
      'mqtt-port': { type: 'string' },
      'smtp-port': { type: 'string' },
      'mail-addresses': { type: 'string' },
      'redis-url': { type: 'string' },
      cluster: { type: 'string' },
      'log-level': { type: 'string' },
      'token-wrap-key': { type: 'string' },
      'metrics-token': { type: 'string' },
      'x-consumer-secret': { type: 'string' },
      'x-user-id': { type: 'string' },
      'meta-app-secret': { type: 'string' },
      'meta-verify-token': { type: 'string' },
      'meta-page-id': { type: 'string' },
      'voice-auth-token': { type: 'string' },
      'public-url': { type: 'string' },
      demo: { type: 'boolean', default: false },
      'demo-feed': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const raw = {
    port: values.port ?? env.SWITCHBOARD_HUB_PORT,
    dataDir: values['data-dir'] ?? env.SWITCHBOARD_DATA_DIR,
    databaseUrl: values['database-url'] ?? env.SWITCHBOARD_DATABASE_URL,
    mqttUrl: values['mqtt-url'] ?? env.SWITCHBOARD_MQTT_URL,
    mqttPort: values['mqtt-port'] ?? env.SWITCHBOARD_MQTT_PORT,
    smtpPort: values['smtp-port'] ?? env.SWITCHBOARD_SMTP_PORT,
    mailAddresses: values['mail-addresses'] ?? env.SWITCHBOARD_MAIL_ADDRESSES,
    redisUrl: values['redis-url'] ?? env.SWITCHBOARD_REDIS_URL,
    cluster: values.cluster ?? env.SWITCHBOARD_CLUSTER,
    logLevel: values['log-level'] ?? env.SWITCHBOARD_LOG_LEVEL,
    tokenWrapKey: values['token-wrap-key'] ?? env.SWITCHBOARD_TOKEN_WRAP_KEY,
    metricsToken: values['metrics-token'] ?? env.SWITCHBOARD_METRICS_TOKEN,
    xConsumerSecret: values['x-consumer-secret'] ?? env.SWITCHBOARD_X_CONSUMER_SECRET,
    xUserId: values['x-user-id'] ?? env.SWITCHBOARD_X_USER_ID,
    metaAppSecret: values['meta-app-secret'] ?? env.SWITCHBOARD_META_APP_SECRET,
    metaVerifyToken: values['meta-verify-token'] ?? env.SWITCHBOARD_META_VERIFY_TOKEN,
    metaPageId: values['meta-page-id'] ?? env.SWITCHBOARD_META_PAGE_ID,
    voiceAuthToken: values['voice-auth-token'] ?? env.SWITCHBOARD_VOICE_AUTH_TOKEN,
    publicUrl: values['public-url'] ?? env.SWITCHBOARD_PUBLIC_URL,
    demo: values.demo ?? false,
    demoFeed: values['demo-feed'] ?? false,
  };
  const result = ConfigSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== '')));
  if (!result.success) throw new Error(`invalid hub configuration:\n${z.prettifyError(result.error)}`);
  const c = result.data;
  return {
    ...c,
    dataDir: c.dataDir ?? defaultHubDataDir(),
    explicitPorts: { http: c.port !== undefined, mqtt: c.mqttPort !== undefined, smtp: c.smtpPort !== undefined },
  };
}
