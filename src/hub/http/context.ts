/** What the routes share: the database, token service, ingest and the live publisher. */
import type { Db } from '../db/connect';
import type { TokenService } from '../auth/tokens';
import type { TelemetryIngest } from '../devices/ingest';
import type { Publisher } from '../live/publish';
import type { HubMetrics } from '../ops/metrics';

export interface HubHealth {
  db: { backend: string; ok: boolean };
  mqtt: { url: string; connected: boolean };
  adapter: { kind: string; ok: boolean };
  sockets: number;
}

export interface HubContext {
  db: Db;
  tokens: TokenService;
  ingest: TelemetryIngest;
  publish: Publisher;
  metrics: HubMetrics;
  health(): Promise<HubHealth>;
  /** Closes the live sockets opened with a token that was just revoked. */
  disconnectToken(jti: string): Promise<void>;
  /** Moves connected agents' sockets in or out of a queue's room. */
  syncQueueRoom(queueId: string, memberIds: string[]): Promise<void>;
}
