/** What the routes share: the database, token service, ingest and the live publisher. */
import type { SlaSettingsSource } from '../sla/policies';
import type { CurrentRules } from '../automation/current-rules';
import type { RoutingLoop } from '../routing/loop';
import type { Db } from '../db/connect';
import type { Sessions } from '../auth/sessions';
import type { TokenService } from '../auth/tokens';
import type { TelemetryIngest } from '../devices/ingest';
import type { Publisher } from '../live/publish';
import type { HubMetrics } from '../ops/metrics';
import type { ChannelSettings } from '../../shared/channel-settings';
import type { ChannelSettingsSource } from '../repos/channel-settings';

export interface HubHealth {
  db: { backend: string; ok: boolean };
  mqtt: { url: string; connected: boolean };
  adapter: { kind: string; ok: boolean };
  sockets: number;
  /** Each inbound channel: on when configured (channels/channels.ts). */
  channels: Record<string, 'on' | 'off'>;
}

export interface HubContext {
  db: Db;
  tokens: TokenService;
  /** Token → user, remembered; told of every revocation and change of role or queues. */
  sessions: Sessions;
  ingest: TelemetryIngest;
  publish: Publisher;
  /** A reply was queued: the delivery worker looks at once. */
  kickDeliveries(): void;
  metrics: HubMetrics;
  /** The static bearer token a metrics scraper may use, if one is set. */
  metricsToken?: string;
  health(): Promise<HubHealth>;
  /** Closes the live sockets opened with a token that was just revoked. */
  disconnectToken(jti: string): Promise<void>;
  /** Closes every live socket of a user, on every hub. */
  disconnectUser(userId: string): Promise<void>;
  /** Moves connected agents' sockets in or out of a queue's room. */
  syncQueueRoom(queueId: string, memberIds: string[]): Promise<void>;
  /** Moves a user's connected sockets to the rooms of their (new) role. */
  syncUserRooms(userId: string): Promise<void>;
  /** The channel settings (repos/channel-settings.ts); `announce` tells every console, on every hub, they changed. */
  channelSettings: ChannelSettingsSource & { announce(settings: ChannelSettings): void };
  /** The rules document in force (automation/current-rules.ts). */
  rules: CurrentRules;
  /** How long a refresh token lives unused (auth/refresh-tokens.ts; default 30 days). */
  refreshIdleSeconds?: number;
  /** Push routing's rounds (routing/loop.ts), kicked when an offer is answered. */
  routing?: RoutingLoop;
  /** The SLA policies' cached copy (sla/policies.ts): the admin route forgets it after a save. Optional: absent, nothing is cached. */
  slaSettings?: Pick<SlaSettingsSource, 'invalidate'>;
}
