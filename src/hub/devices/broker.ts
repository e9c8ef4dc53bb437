/**
 * The embedded MQTT 3.1.1 broker (aedes) used when no external broker is
 * configured. Nobody connects anonymously: a device signs in with its id and
 * device token and may only publish its own telemetry (never retained); the
 * hub signs in with credentials made at start and may only read telemetry.
 * No one else, and nothing else: no `#`, no `$SYS`, no packet over
 * MAX_PACKET_BYTES, and no taking over the session of another identity by
 * connecting with its client id.
 */
import { createServer } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { DeviceIdSchema } from '../../shared/domain';
import { listenWithFallback } from '../net/listen';
import { type MqttCredentials, newHubCredentials, secretMatches } from './credentials';
import { limitPacketSize, MAX_PACKET_BYTES } from './packet-limit';
import { isTelemetrySubscription, telemetryTopic } from './topics';

export interface EmbeddedBroker {
  url: string;
  /** The hub's own user on this broker, made at start and known only to this process. */
  hubCredentials: MqttCredentials;
  close(): Promise<void>;
}

type Identity = { kind: 'hub' } | { kind: 'device'; deviceId: string };
const sameIdentity = (a: Identity, b: Identity) => (a.kind === 'device' ? b.kind === 'device' && a.deviceId === b.deviceId : a.kind === b.kind);
const nameOf = (who: Identity | undefined) => (who?.kind === 'device' ? `device "${who.deviceId}"` : who?.kind === 'hub' ? 'the hub' : 'a client not signed in');

/** CONNACK codes of MQTT 3.1.1 (aedes answers 5, not authorised, to a plain refusal). */
const refusal = (returnCode: 2 | 3, message: string) => Object.assign(new Error(message), { returnCode }) as AuthenticateError;

export async function startEmbeddedBroker(opts: {
  port: number;
  host: string;
  explicit: boolean;
  warn: (message: string) => void;
  /** Whether `token` is the device token of `deviceId` (checked against its stored digest). */
  authenticateDevice: (deviceId: string, token: string) => Promise<boolean>;
}): Promise<EmbeddedBroker> {
  const hubCredentials = newHubCredentials();
  const identities = new WeakMap<Client, Identity>();
  // Connected clients by client id: a new connection with a taken id would end the session holding it.
  const byClientId = new Map<string, Client>();

  const broker = await Aedes.createBroker({
    // A refused sign-in answers CONNACK 5 (not authorised), as Mosquitto does.
    authenticate(client, username, password, done) {
      const name = username ?? '';
      const secret = password?.toString('utf8') ?? '';
      const admit = (who: Identity) => {
        const holder = byClientId.get(client.id);
        const theirs = holder && identities.get(holder);
        if (theirs && !sameIdentity(theirs, who)) {
          opts.warn(`mqtt: ${nameOf(who)} tried the client id of ${nameOf(theirs)}; refused`);
          return done(refusal(2, 'client id in use'), false);
        }
        identities.set(client, who);
        done(null, true);
      };
      if (name === hubCredentials.username) return secretMatches(hubCredentials.password, secret) ? admit({ kind: 'hub' }) : done(null, false);
      if (!DeviceIdSchema.safeParse(name).success) return done(null, false);
      opts.authenticateDevice(name, secret).then(
        (ok) => {
          if (ok) return admit({ kind: 'device', deviceId: name });
          opts.warn(`mqtt sign-in refused for device "${name}"`);
          done(null, false);
        },
        // CONNACK 3, server unavailable: the device may retry, unlike after a refusal.
        (error: unknown) => done(refusal(3, `device sign-in failed: ${error instanceof Error ? error.message : String(error)}`), false),
      );
    },
    // MQTT 3.1.1 cannot refuse one publish: a publish that is not allowed ends the connection.
    authorizePublish(client, packet, done) {
      const who = client ? identities.get(client) : undefined;
      if (who?.kind === 'device' && packet.topic === telemetryTopic(who.deviceId)) {
        // A retained reading would be replayed to every new subscriber, and ingested again by a reconnecting hub.
        packet.retain = false;
        return done(null);
      }
      opts.warn(`mqtt: ${nameOf(who)} may not publish on "${packet.topic}"; disconnected`);
      done(new Error(`not allowed to publish on ${packet.topic}`));
    },
    // A refused subscription is answered 0x80 in the SUBACK; the connection stays.
    authorizeSubscribe(client, subscription, done) {
      const allowed = identities.get(client)?.kind === 'hub' && isTelemetrySubscription(subscription.topic);
      done(null, allowed ? subscription : null);
    },
  });

  broker.on('client', (client) => byClientId.set(client.id, client));
  broker.on('clientDisconnect', (client) => {
    if (byClientId.get(client.id) === client) byClientId.delete(client.id);
  });

  const server = createServer((socket) => {
    const client = broker.handle(socket);
    limitPacketSize(socket, MAX_PACKET_BYTES, (size) => {
      opts.warn(`mqtt: ${nameOf(identities.get(client))} sent a packet of ${size} bytes, over the ${MAX_PACKET_BYTES}-byte limit; disconnected`);
    });
  });
  let port: number;
  try {
    port = await listenWithFallback(server, { ...opts, label: 'mqtt' });
  } catch (error) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw error;
  }
  return {
    url: `mqtt://${opts.host}:${port}`,
    hubCredentials,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
