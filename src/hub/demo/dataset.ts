/**
 * The demo dataset, generated deterministically from resources/demo/texts.json:
 * queues, users, 48 customers, devices, 200 cases with messages in English,
 * Russian, Indonesian and Icelandic (the demo's device rules are a document: rules/default-rules.yaml).
 */
import { uuidv7 } from 'uuidv7';
import articleTexts from '../../../resources/demo/articles.json';
import texts from '../../../resources/demo/texts.json';
import { type CaseStatus, type Channel, isDone, type Priority } from '../../shared/domain';
import { asciiName } from './ascii';
import { seededRandom } from './random';
import { DEFAULT_SLA_POLICY } from '../../shared/sla';
import { dueTimesOf } from '../sla/due';
import { normaliseIdentity } from '../channels/identity';

export type Lang = 'en' | 'ru' | 'id' | 'is';
const LANGS: Lang[] = ['en', 'ru', 'id', 'is'];
const HOUR = 3_600_000;

export const DEMO_PASSWORD = 'demo';
export const DEMO_CASE_COUNT = 200;
export const DEMO_DEVICE = 'car-0001';
export const demoDeviceToken = (deviceId: string) => `demo-token-${deviceId}`;

export const DEMO_QUEUES = [
  { name: 'Devices', description: 'Alerts from connected cars, thermostats and routers' },
  { name: 'Support', description: 'Phone and email product support' },
  { name: 'Social', description: 'Mentions and messages on X and Facebook' },
  { name: 'Billing', description: 'Invoices, refunds and plans' },
  { name: 'Field Service', description: 'On-site repairs by field technicians' },
  // Where cases of customers without support go (the service routing label, src/shared/entitlements.ts).
  { name: 'Sales', description: 'Questions and cases from customers without support: plans, upgrades, incidents to buy' },
] as const;
type QueueName = (typeof DEMO_QUEUES)[number]['name'];

/** Skills say what a person can take (products, channels, languages); capacity how many open cases at once. */
export const DEMO_USERS: { username: string; name: string; role: 'agent' | 'supervisor' | 'technician' | 'admin'; queues: QueueName[]; skills: string[]; capacity: number; extension?: string }[] = [
  { username: 'ana', name: 'Ana Pereira', role: 'agent', queues: ['Devices', 'Social'], skills: ['devices', 'social', 'en', 'pt'], capacity: 30 },
  { username: 'ivan', name: 'Ivan Petrov', role: 'agent', queues: ['Support', 'Billing'], skills: ['billing', 'support', 'phone', 'en', 'ru'], capacity: 30, extension: '+3545550101' },
  { username: 'dewi', name: 'Dewi Kusuma', role: 'agent', queues: ['Social', 'Support'], skills: ['social', 'support', 'en', 'id'], capacity: 35 },
  { username: 'jon', name: 'Jón Arnarson', role: 'agent', queues: ['Devices', 'Billing', 'Sales'], skills: ['devices', 'billing', 'en', 'is'], capacity: 25 },
  { username: 'sam', name: 'Sam Okafor', role: 'supervisor', queues: [], skills: [], capacity: 10 },
  { username: 'tess', name: 'Tess Lindqvist', role: 'technician', queues: ['Field Service'], skills: ['field', 'devices', 'en'], capacity: 15 },
  { username: 'admin', name: 'Administrator', role: 'admin', queues: [], skills: [], capacity: 10 },
];

export interface DemoData {
  articles: { id: string; title: string; body: string; tags: string[]; deviceModels: string[]; source: string; language: string }[];
  queues: { id: string; name: string; description: string }[];
  users: { id: string; username: string; name: string; role: string; queues: string[]; skills: string[]; capacity: number; extension: string | null }[];
  customers: {
    id: string; name: string; email: string | null; phone: string | null; handles: Record<string, string>;
    plan: string; lifetimeValue: number; influence: number; language: Lang; preferredChannel: Channel; consent: boolean;
  }[];
  devices: { id: string; model: string; serial: string; ownerId: string; health: string }[];
  cases: {
    id: string; subject: string; status: CaseStatus; priority: Priority; channel: Channel; customerId: string; deviceId: string | null;
    queueId: string; assigneeId: string | null; slaDueAt: Date | null; language: Lang; sentiment: number; tags: string[]; createdAt: Date; updatedAt: Date;
  }[];
  messages: { id: string; caseId: string; direction: 'in' | 'out' | 'note'; channel: Channel; author: string; body: string; externalId: string | null; createdAt: Date; updatedAt: Date }[];
  /** Which queue opens the cases of each inbound channel. */
  channelQueues: { channel: Channel; queueId: string }[];
  /** The customers' handles and email addresses, normalised (channels/identity.ts): how inbound messages find them. */
  identities: { channel: Channel; value: string; customerId: string }[];
  /** Which queue answers each of the brand's phone numbers. */
  phoneNumbers: { number: string; queueId: string }[];
}

/** The brand's phone numbers and the queue answering each (ARCHITECTURE.md, "Channels"). */
/** The brand's phone number (ARCHITECTURE.md, "Channels"): the Support queue answers it. */
export const DEMO_PHONE_NUMBER = '+3545550100';
const PHONE_NUMBERS: { number: string; queue: QueueName }[] = [{ number: DEMO_PHONE_NUMBER, queue: 'Support' }];

/** The queue that owns each inbound channel (ARCHITECTURE.md, "Channels"). */
const CHANNEL_QUEUES: Partial<Record<Channel, QueueName>> = { x: 'Social', facebook: 'Social', instagram: 'Social', mastodon: 'Social', bluesky: 'Social', email: 'Support', phone: 'Support', web: 'Support' };

const DEVICE_MODELS = [
  { prefix: 'car', model: 'Volta EV 2026', count: 6 },
  { prefix: 'thermo', model: 'Nest-like T3 thermostat', count: 5 },
  { prefix: 'router', model: 'FiberBox R7', count: 5 },
];

const DEVICE_FOR_THEME: Record<string, string> = { engine: 'car', thermostat: 'thermo', router: 'router' };

/** What each kind of demo device reports (by id prefix), and a healthy value; the demo rules watch these metrics. */
export const DEMO_DEVICE_METRICS: Record<string, { metric: string; normal: number }> = {
  car: { metric: 'engine_temp', normal: 92 },
  thermo: { metric: 'room_temp', normal: 21 },
  router: { metric: 'packet_loss', normal: 0.4 },
};

export function buildDemoData(now = new Date()): DemoData {
  const rnd = seededRandom(4710);
  const queues = DEMO_QUEUES.map((q) => ({ id: uuidv7(), ...q }));
  const queueId = (name: QueueName) => queues.find((q) => q.name === name)!.id;
  const users = DEMO_USERS.map((u) => ({ id: uuidv7(), username: u.username, name: u.name, role: u.role, queues: u.queues.map(queueId), skills: u.skills, capacity: u.capacity, extension: u.extension ?? null }));
  const userByName = (username: string) => users.find((u) => u.username === username)!;

  const customers: DemoData['customers'] = [];
  for (let i = 0; i < 48; i++) {
    const language = LANGS[i % LANGS.length]!;
    const name = texts.names[language][Math.floor(i / LANGS.length) % 12]!;
    const local = asciiName(name) || `customer${i + 1}`;
    const handle = local.replace(/\./g, '_');
    customers.push({
      id: uuidv7(),
      name,
      email: `${local}@example.${language === 'en' ? 'com' : language}`,
      phone: `+${rnd.int(1, 99)} ${rnd.int(100, 999)} ${rnd.int(1000, 9999)}`,
      handles: i % 3 === 0 ? { x: `@${handle}` } : i % 3 === 1 ? { facebook: handle } : {},
      plan: rnd.pick(['basic', 'plus', 'premium', 'enterprise'] as const),
      lifetimeValue: Math.round(rnd.next() * 12_000 * 100) / 100,
      influence: rnd.int(1, 100),
      language,
      preferredChannel: rnd.pick(['phone', 'email', 'x', 'facebook'] as const),
      consent: rnd.next() > 0.2,
    });
  }

  const devices: DemoData['devices'] = [];
  let owner = 0;
  for (const kind of DEVICE_MODELS) {
    for (let n = 1; n <= kind.count; n++) {
      const id = `${kind.prefix}-${String(n).padStart(4, '0')}`;
      devices.push({ id, model: kind.model, serial: `SN-${kind.prefix.toUpperCase()}-${100_000 + owner * 37}`, ownerId: customers[owner++]!.id, health: 'ok' });
    }
  }

  const queueForChannel = (channel: Channel, theme: (typeof texts.themes)[number]): QueueName => {
    if (theme.key === 'field') return 'Field Service';
    if (channel === 'device') return 'Devices';
    if (channel === 'x' || channel === 'facebook') return 'Social';
    return 'queue' in theme && theme.queue === 'Billing' ? 'Billing' : 'Support';
  };
  const statuses: CaseStatus[] = ['new', 'open', 'open', 'pending', 'on_hold', 'solved', 'closed'];
  const priorities: Priority[] = ['urgent', 'high', 'normal', 'normal', 'normal', 'low'];

  const cases: DemoData['cases'] = [];
  const messages: DemoData['messages'] = [];
  const tess = userByName('tess');
  let tessOpen = 0;
  for (let i = 0; i < DEMO_CASE_COUNT; i++) {
    const theme = texts.themes[i % texts.themes.length]!;
    const channel = rnd.pick(theme.channels) as Channel;
    const customer = customers[rnd.int(0, customers.length - 1)]!;
    const language = customer.language;
    // car-0001 stays healthy with no open case so the live demo starts clean.
    const kind = DEVICE_FOR_THEME[theme.key] ?? 'car';
    const fleet = devices.filter((d) => d.id.startsWith(`${kind}-`) && d.id !== DEMO_DEVICE);
    const device = channel === 'device' || theme.key in DEVICE_FOR_THEME ? fleet[i % fleet.length]! : null;
    const queue = queueForChannel(channel, theme);
    const members = users.filter((u) => u.queues.includes(queueId(queue)));
    let status = rnd.pick(statuses);
    let assignee: string | null = status === 'new' || rnd.next() < 0.2 ? null : (rnd.pick(members.length ? members : users)).id;
    if (queue === 'Field Service') {
      assignee = tess.id;
      if (tessOpen < 6 && status !== 'open') status = 'open';
      if (status === 'open') tessOpen++;
    }
    const priority = rnd.pick(priorities);
    const createdAt = new Date(now.getTime() - rnd.int(5, 240) * HOUR - rnd.int(0, 59) * 60_000);
    const caseId = uuidv7();
    const active = !isDone(status);
    cases.push({
      id: caseId,
      subject: theme.subject[language],
      status,
      priority,
      channel,
      customerId: customer.id,
      deviceId: device?.id ?? null,
      queueId: queueId(queue),
      assigneeId: assignee,
      slaDueAt: active ? dueTimesOf({ policy: DEFAULT_SLA_POLICY, queueCalendar: null }, priority, new Date(Math.max(createdAt.getTime(), now.getTime() - rnd.int(0, 8) * HOUR))).firstResponseDueAt : null,
      language,
      sentiment: Math.round((rnd.next() * 2 - 1) * 100) / 100,
      tags: [theme.key],
      createdAt,
      updatedAt: createdAt,
    });
    const replies = rnd.int(0, 3);
    const agentName = users.find((u) => u.id === assignee)?.name ?? 'Switchboard Support';
    for (let m = 0; m <= replies; m++) {
      const at = new Date(createdAt.getTime() + m * rnd.int(10, 90) * 60_000);
      const inbound = m % 2 === 0;
      messages.push({
        id: uuidv7(),
        caseId,
        direction: m === 3 ? 'note' : inbound ? 'in' : 'out',
        channel,
        author: m === 3 ? agentName : inbound ? customer.name : agentName,
        body: m === 3 ? `Internal: customer on ${customer.plan} plan, lifetime value ${customer.lifetimeValue}. Check entitlement before offering a visit.` : inbound ? theme.in[language] : theme.out[language],
        externalId: inbound && (channel === 'x' || channel === 'facebook') ? `${channel}-${i}-${m}` : null,
        createdAt: at,
        updatedAt: at,
      });
    }
  }
  const articles = articleTexts.map((a) => ({ id: uuidv7(), title: a.title, body: a.body, tags: a.tags, deviceModels: a.deviceModels, source: a.source, language: 'en' }));
  const channelQueues = Object.entries(CHANNEL_QUEUES).map(([channel, queue]) => ({ channel: channel as Channel, queueId: queueId(queue) }));
  const identities = customers.flatMap((c) => [
    ...Object.entries(c.handles).map(([network, handle]) => ({ channel: network as Channel, value: normaliseIdentity(network as Channel, handle), customerId: c.id })),
    ...(c.email ? [{ channel: 'email' as const, value: normaliseIdentity('email', c.email), customerId: c.id }] : []),
    ...(c.phone ? [{ channel: 'phone' as const, value: normaliseIdentity('phone', c.phone), customerId: c.id }] : []),
  ]);
  const phoneNumbers = PHONE_NUMBERS.map((p) => ({ number: normaliseIdentity('phone', p.number), queueId: queueId(p.queue) }));
  return { queues, users, customers, devices, cases, messages, articles, channelQueues, identities, phoneNumbers };
}
