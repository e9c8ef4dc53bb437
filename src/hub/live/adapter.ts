/**
 * Scale-out: the socket.io Redis Streams adapter, so an event emitted on one
 * hub reaches consoles connected to any other (and connection state recovery
 * keeps working). Never a home-made cluster protocol.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import { redactCredentials } from '../ops/redact';
import { type LiveServer, useAdapter } from './io';

export interface RedisAdapter {
  ready(): boolean;
  close(): Promise<void>;
}

export async function attachRedisAdapter(io: LiveServer, url: string, cluster: string, log: Logger): Promise<RedisAdapter> {
  const client = createClient({ url });
  client.on('error', (error: Error) => log.warn({ err: error }, 'redis error'));
  await client.connect().catch((error: unknown) => {
    throw new Error(`cannot reach Redis at ${redactCredentials(url)}: ${error instanceof Error ? error.message : String(error)}`);
  });
  useAdapter(io, createAdapter(client, { streamName: `${cluster}:socket.io`, channelPrefix: `${cluster}:socket.io` }));
  return {
    ready: () => client.isReady,
    async close() {
      await client.quit().catch(() => undefined);
    },
  };
}
