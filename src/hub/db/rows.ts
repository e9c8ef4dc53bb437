/** Maps database rows to the domain shapes that travel on the wire. */
import type { Article, Case, Customer, Device, Mention, Message, Queue, User } from '../../shared/domain';
import type * as s from './schema';

type Row<T extends { $inferSelect: unknown }> = T['$inferSelect'];

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
const meta = (r: { version: number; rev: number; createdAt: Date; updatedAt: Date }) => ({
  version: r.version,
  rev: Number(r.rev),
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

export function toCase(r: Row<typeof s.cases>): Case {
  return {
    id: r.id,
    number: r.number,
    subject: r.subject,
    status: r.status as Case['status'],
    priority: r.priority as Case['priority'],
    channel: r.channel as Case['channel'],
    customerId: r.customerId,
    deviceId: r.deviceId,
    queueId: r.queueId,
    assigneeId: r.assigneeId,
    slaDueAt: isoOrNull(r.slaDueAt),
    resolutionDueAt: isoOrNull(r.resolutionDueAt),
    language: r.language,
    sentiment: r.sentiment,
    tags: r.tags,
    resolution: r.resolution,
    parts: r.parts,
    ...meta(r),
  };
}

export function toMessage(r: Row<typeof s.messages>): Message {
  return {
    id: r.id,
    caseId: r.caseId,
    direction: r.direction as Message['direction'],
    channel: r.channel as Message['channel'],
    author: r.author,
    body: r.body,
    externalId: r.externalId,
    attachments: r.attachments,
    addressed: r.addressed,
    delivery: r.delivery ?? null,
    ...meta(r),
  };
}

export function toCustomer(r: Row<typeof s.customers>): Customer {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    handles: r.handles,
    plan: r.plan as Customer['plan'],
    lifetimeValue: r.lifetimeValue,
    influence: r.influence,
    language: r.language,
    preferredChannel: r.preferredChannel as Customer['preferredChannel'],
    consent: r.consent,
    doNotEngage: r.doNotEngage,
    ...meta(r),
  };
}

export function toDevice(r: Row<typeof s.devices>): Device {
  return {
    id: r.id,
    model: r.model,
    serial: r.serial,
    ownerId: r.ownerId,
    health: r.health as Device['health'],
    lastTelemetryAt: isoOrNull(r.lastTelemetryAt),
    ...meta(r),
  };
}

export function toArticle(r: Row<typeof s.articles>): Article {
  return { id: r.id, title: r.title, body: r.body, tags: r.tags, deviceModels: r.deviceModels, source: r.source as Article['source'], language: r.language, ...meta(r) };
}

export function toQueue(r: Row<typeof s.queues>): Queue {
  return { id: r.id, name: r.name, description: r.description, routing: r.routing as Queue['routing'], ...meta(r) };
}

/** Public fields only: never the password hash. */
export function toUser(r: Row<typeof s.users>): User {
  return { id: r.id, username: r.username, name: r.name, role: r.role as User['role'] };
}

export function toMention(r: Row<typeof s.mentions>): Mention {
  return {
    id: r.id,
    channel: r.channel as Mention['channel'],
    author: r.author,
    body: r.body,
    externalId: r.externalId,
    language: r.language,
    at: r.at.toISOString(),
    status: r.status as Mention['status'],
    customerId: r.customerId,
    url: r.url,
    inReplyTo: r.inReplyTo,
    addressed: r.addressed,
    sentiment: r.sentiment,
    queueId: r.queueId,
    caseId: r.caseId,
    ...meta(r),
  };
}
