/** The embedded MQTT 3.1.1 broker (aedes) used when no external broker is configured. */
import { createServer } from 'node:net';
import { Aedes } from 'aedes';
import { listenWithFallback } from '../net/listen';

export interface EmbeddedBroker {
  url: string;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(opts: {
  port: number;
  host: string;
  explicit: boolean;
  warn: (message: string) => void;
}): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  let port: number;
  try {
    port = await listenWithFallback(server, { ...opts, label: 'mqtt' });
  } catch (error) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw error;
  }
  return {
    url: `mqtt://${opts.host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
