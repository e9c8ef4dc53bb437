/**
 * Simulated live traffic for demos, through the hub's real entrances: each
 * tick either sends a social post, a mail or a phone call the way its
 * provider would (signed webhooks, SMTP, Twilio callbacks: traffic.ts;
 * Mastodon statuses and Bluesky posts published on the provider simulator's
 * networks, which reach the hub over its own streams), or a
 * burst of telemetry over the real MQTT path from a demo device (never
 * car-0001, which is kept for the hands-on demo) that trips its rule and so
 * opens a case. Devices that already have an open rule case get healthy
 * readings instead, so the feed never stalls on them. Each burst signs in as
 * its device, with the demo device token, as a device would.
 */
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import texts from '../../../resources/demo/texts.json';
import type { TelemetryReading } from '../../shared/domain';
import type { ChannelConfigs } from '../channels/channels';
import type { Db } from '../db/connect';
import { splitMqttUrl } from '../devices/credentials';
import { telemetryTopic } from '../devices/topics';
import { listDeviceIds } from '../repos/devices';
import { devicesWithOpenRuleCase } from '../repos/rules';
import type { RuleSet } from '../rules';
import { customerPhones } from '../repos/demo';
import { asciiName } from './ascii';
import { DEMO_DEVICE, DEMO_DEVICE_METRICS, DEMO_PHONE_NUMBER, demoDeviceToken } from './dataset';
import { seededRandom } from './random';
import type { ProviderSimulator } from './provider-simulator';
import { type Author, postBlueskyPost, postMastodonStatus, sendCall, sendMail, sendMetaComment, sendXTweet } from './traffic';

const LANGS = ['en', 'ru', 'id', 'is'] as const;

export interface DemoFeed {
  stop(): Promise<void>;
}

export interface DemoFeedOptions {
  db: Db;
  /** The rules in force: the feed trips the threshold and consecutive ones of each device's metric. */
  rules: () => Promise<RuleSet>;
  mqttUrl: string;
  /** The hub's own URL and SMTP listener, where the traffic goes in. */
  hubUrl: string;
  smtpUrl: string | null;
  channels: ChannelConfigs;
  /** The demo's provider simulator: Mastodon and Bluesky traffic is posted there when the hub's streams listen to it. */
  simulator: ProviderSimulator | null;
  log: Logger;
  intervalMs: number;
}

export function startDemoFeed(opts: DemoFeedOptions): DemoFeed {
  const rnd = seededRandom(Date.now() & 0xffff);
  // The URL may name the hub's own user (an external broker): the feed signs in as each device instead.
  const broker = splitMqttUrl(opts.mqttUrl).url;
  let tick = 0;
  let turn = 0;
  let running: Promise<void> | null = null;
  let stopped = false;
  const calls = new Set<Promise<void>>();
  /** The kinds still to send this round: each round sends every kind once, in a shuffled order. */
  let deck: string[] = [];
  const sim = opts.simulator;
  const mastodon = sim && opts.channels.mastodon?.url === sim.url ? sim : null;
  const bluesky = sim && opts.channels.bluesky?.jetstreamUrl === sim.jetstreamUrl ? sim : null;

  const timer = setInterval(() => {
    // A slow tick (busy database) is skipped, not stacked.
    if (running) return;
    tick++;
    running = (tick % 3 === 0 ? publishTelemetry() : sendTraffic())
      .catch((error: unknown) => opts.log.warn({ err: error }, 'demo feed tick failed'))
      .finally(() => {
        running = null;
      });
  }, opts.intervalMs);

  function author(language: (typeof LANGS)[number]): Author & { language: string } {
    const name = rnd.pick(texts.names[language]);
    const handle = `${asciiName(name.split(' ')[0] ?? 'user') || 'user'}${rnd.int(1, 99)}`;
    return { id: handle, name, language };
  }

  /** One post, mail or call, on a channel that is on. */
  async function sendTraffic() {
    const language = rnd.pick(LANGS);
    const who = author(language);
    const { x, meta, email, voice } = opts.channels;
    if (deck.length === 0) {
      deck = [
        ...(x ? ['x-mention', 'x-mention', 'x-reply'] : []),
        ...(meta?.pageId ? ['meta'] : []),
        ...(email && opts.smtpUrl ? ['email'] : []),
        ...(mastodon ? ['mastodon-mention', 'mastodon-reply'] : []),
        ...(bluesky ? ['bluesky-mention', 'bluesky-reply', 'bluesky-keyword'] : []),
      ];
      shuffle(deck);
    }
    // Now and then a call instead (it keeps an agent busy for a while).
    const kind = voice && tick % 8 === 1 && (deck.length === 0 || rnd.next() < 0.3) ? 'call' : deck.pop();
    if (kind === undefined) return;
    const theme = rnd.pick(texts.themes);
    switch (kind) {
      case 'x-mention':
        return sendXTweet(opts.hubUrl, { consumerSecret: x!.consumerSecret, userId: x!.userId ?? '0' }, who, rnd.pick(texts.mentions[language]), false);
      case 'x-reply':
        return sendXTweet(opts.hubUrl, { consumerSecret: x!.consumerSecret, userId: x!.userId ?? '0' }, who, `@switchboard ${theme.subject[language]}`, true);
      case 'meta':
        return sendMetaComment(opts.hubUrl, { appSecret: meta!.appSecret, pageId: meta!.pageId! }, who, theme.in[language]);
      case 'mastodon-mention':
        return void postMastodonStatus(mastodon!, who, mentionText(language, '@switchboard'));
      case 'mastodon-reply': {
        // Half the time a customer the brand answered lately writes back in that thread (the same case); else a new conversation.
        const threads = mastodon!.mastodonThreads();
        const open = threads.filter((t) => t.to !== null);
        const thread = open.length > 0 && rnd.next() < 0.5 ? rnd.pick(open.slice(0, 5)) : null;
        if (thread?.to) return void postMastodonStatus(mastodon!, { id: thread.to.acct, name: thread.to.displayName, language }, theme.subject[language], { inReplyToId: thread.statusId, visibility: thread.to.visibility });
        // A new one answers the brand's pinned status, or now and then writes it a direct message.
        const direct = rnd.next() < 0.3;
        return void postMastodonStatus(mastodon!, who, theme.in[language], direct ? { visibility: 'direct' } : { inReplyToId: threads.at(-1)!.statusId });
      }
      case 'bluesky-mention':
        return void postBlueskyPost(bluesky!, who, mentionText(language, '@switchboard.bsky.social'));
      case 'bluesky-reply': {
        const threads = bluesky!.blueskyThreads();
        const open = threads.filter((t) => t.to !== null);
        const thread = open.length > 0 && rnd.next() < 0.5 ? rnd.pick(open.slice(0, 5)) : null;
        if (thread?.to) return void postBlueskyPost(bluesky!, { id: thread.to.handle, name: thread.to.handle, language }, theme.subject[language], { replyTo: thread.post, did: thread.to.did });
        return void postBlueskyPost(bluesky!, who, theme.in[language], { replyTo: threads.at(-1)!.post });
      }
      case 'bluesky-keyword':
        // Names the brand only by a keyword (the X handle the demo texts use): found, but not addressed to the brand.
        return void postBlueskyPost(bluesky!, who, rnd.pick(texts.mentions[language]));
      case 'email':
        return sendMail(opts.smtpUrl!, email!.addresses[0]!, { id: `${who.id.toLowerCase()}@example.com`, name: who.name }, theme.subject[language], theme.in[language]);
      case 'call': {
        // A known customer's number, so the screen pop has someone to show; now and then a stranger.
        const phones = await customerPhones(opts.db, 20);
        const from = phones.length > 0 && rnd.next() < 0.8 ? rnd.pick(phones) : `+3546${String(rnd.int(100000, 999999))}`;
        // The call rings while the feed goes on; it ends (and is logged) a little later.
        const call = sendCall(opts.hubUrl, { authToken: voice!.authToken, publicUrl: voice!.publicUrl }, { from, to: DEMO_PHONE_NUMBER, seconds: rnd.int(20, 90) }, wait)
          .catch((error: unknown) => opts.log.warn({ err: error }, 'demo call failed'))
          .finally(() => calls.delete(call));
        calls.add(call);
        return;
      }
    }
  }

  /** A demo mention with the brand's handle on another network in place of its X handle. */
  function mentionText(language: (typeof LANGS)[number], handle: string): string {
    const text = rnd.pick(texts.mentions[language]);
    return text.includes('@switchboard_help') ? text.replaceAll('@switchboard_help', handle) : `${handle} ${text}`;
  }

  function shuffle<T>(items: T[]): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = rnd.int(0, i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
  }

  /** A call's time on the line; cut short when the feed stops. */
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const until = Date.now() + ms;
      const check = setInterval(() => {
        if (stopped || Date.now() >= until) {
          clearInterval(check);
          resolve();
        }
      }, 200);
    });

  async function publishTelemetry() {
    const [deviceIds, rules, busy] = await Promise.all([listDeviceIds(opts.db), opts.rules(), devicesWithOpenRuleCase(opts.db)]);
    const candidates = deviceIds.flatMap((id) => {
      const metric = DEMO_DEVICE_METRICS[id.split('-')[0] ?? ''];
      const rule = metric && trippable(rules, metric.metric);
      return id !== DEMO_DEVICE && metric && rule ? [{ id, rule, normal: metric.normal }] : [];
    });
    // Interleave the kinds (car-0002, router-0002, thermo-0002, car-0003 …) so the demo shows each sort of alert early.
    const serial = (id: string) => id.slice(id.lastIndexOf('-') + 1);
    candidates.sort((a, b) => serial(a.id).localeCompare(serial(b.id)) || a.id.localeCompare(b.id));
    if (candidates.length === 0) return;
    const fresh = candidates.filter((c) => !busy.has(c.id));
    const now = Date.now();
    if (fresh.length > 0) {
      const device = fresh[0]!;
      const readings = Array.from({ length: device.rule.count }, (_, i) => hotReading(device.rule, now + i));
      await publishAs(device.id, readings);
    } else {
      const device = candidates[turn++ % candidates.length]!;
      const reading: TelemetryReading = { metric: device.rule.metric, value: device.normal, ts: new Date(now).toISOString() };
      await publishAs(device.id, reading);
    }
  }

  async function publishAs(deviceId: string, payload: TelemetryReading | TelemetryReading[]) {
    const clientId = `switchboard-demo-feed-${process.pid}-${uuidv7().slice(-8)}`;
    const client = await mqtt.connectAsync(broker, { clientId, username: deviceId, password: demoDeviceToken(deviceId), reconnectPeriod: 0 });
    try {
      await client.publishAsync(telemetryTopic(deviceId), JSON.stringify(payload), { qos: 1 });
    } finally {
      await client.endAsync();
    }
  }

  function hotReading(rule: Trippable, at: number): TelemetryReading {
    const margin = 1 + rnd.next() * Math.max(2, Math.abs(rule.threshold) * 0.1);
    const value = rule.operator.startsWith('>') ? rule.threshold + margin : rule.threshold - margin;
    return { metric: rule.metric, value: Math.round(value * 10) / 10, ts: new Date(at).toISOString() };
  }

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await Promise.all(calls);
    },
  };
}

interface Trippable {
  metric: string;
  operator: '>' | '>=' | '<' | '<=';
  threshold: number;
  /** Readings beyond the threshold it takes to fire. */
  count: number;
}

/** The first rule of a metric that readings beyond a threshold trip (threshold or consecutive). */
function trippable(rules: RuleSet, metric: string): Trippable | null {
  for (const rule of rules.byMetric.get(metric) ?? []) {
    const when = rule.when;
    if (when.kind === 'threshold') return { metric, operator: when.operator, threshold: when.threshold, count: 1 };
    if (when.kind === 'consecutive') return { metric, operator: when.operator, threshold: when.threshold, count: when.count };
  }
  return null;
}
