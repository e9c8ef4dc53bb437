/**
 * A synced row's change as JSON built by the database, for the sync pull: the
 * page's bulk (100,000 cases on a bootstrap) costs the hub's thread one string
 * per row instead of drizzle's decoding of every column, a domain mapper and
 * JSON.stringify — once two thirds of its work during a big pull.
 *
 * Each entity's wire fields name the columns rows.ts maps, in its order, and
 * are checked against the domain type (every key, no other); the values follow
 * rows.ts: times as toISOString writes them (UTC, milliseconds, Z), json as
 * json, a bigint rev as a number. The text is compact JSON as JSON.stringify
 * writes it, but for the spaces Postgres keeps inside a jsonb value.
 * tests/hub/change-json.test.ts holds each entity to its mapper on real rows
 * of both backends.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Article, Case, Customer, Device, Mention, Message, Queue, User } from '../../shared/domain';
import { articles, cases, customers, devices, mentions, messages, queues, users } from './schema';

type Wire<T> = Record<keyof T, PgColumn>;

const meta = <T extends { version: PgColumn; rev: PgColumn; createdAt: PgColumn; updatedAt: PgColumn }>(t: T) => ({
  version: t.version,
  rev: t.rev,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});

export const wireFields = {
  case: {
    id: cases.id,
    number: cases.number,
    subject: cases.subject,
    status: cases.status,
    priority: cases.priority,
    channel: cases.channel,
    customerId: cases.customerId,
    deviceId: cases.deviceId,
    queueId: cases.queueId,
    assigneeId: cases.assigneeId,
    slaDueAt: cases.slaDueAt,
    resolutionDueAt: cases.resolutionDueAt,
    language: cases.language,
    sentiment: cases.sentiment,
    tags: cases.tags,
    resolution: cases.resolution,
    parts: cases.parts,
    ...meta(cases),
  } satisfies Wire<Case>,
  message: {
    id: messages.id,
    caseId: messages.caseId,
    direction: messages.direction,
    channel: messages.channel,
    author: messages.author,
    body: messages.body,
    externalId: messages.externalId,
    attachments: messages.attachments,
    addressed: messages.addressed,
    delivery: messages.delivery,
    ...meta(messages),
  } satisfies Wire<Message>,
  customer: {
    id: customers.id,
    name: customers.name,
    email: customers.email,
    phone: customers.phone,
    handles: customers.handles,
    plan: customers.plan,
    lifetimeValue: customers.lifetimeValue,
    influence: customers.influence,
    language: customers.language,
    preferredChannel: customers.preferredChannel,
    consent: customers.consent,
    doNotEngage: customers.doNotEngage,
    ...meta(customers),
  } satisfies Wire<Customer>,
  device: {
    id: devices.id,
    model: devices.model,
    serial: devices.serial,
    ownerId: devices.ownerId,
    health: devices.health,
    lastTelemetryAt: devices.lastTelemetryAt,
    ...meta(devices),
  } satisfies Wire<Device>,
  article: {
    id: articles.id,
    title: articles.title,
    body: articles.body,
    tags: articles.tags,
    deviceModels: articles.deviceModels,
    source: articles.source,
    language: articles.language,
    ...meta(articles),
  } satisfies Wire<Article>,
  queue: { id: queues.id, name: queues.name, description: queues.description, routing: queues.routing, ...meta(queues) } satisfies Wire<Queue>,
  /** Public fields only, as toUser: never the password hash. */
  user: { id: users.id, username: users.username, name: users.name, role: users.role } satisfies Wire<User>,
  mention: {
    id: mentions.id,
    channel: mentions.channel,
    author: mentions.author,
    body: mentions.body,
    externalId: mentions.externalId,
    language: mentions.language,
    at: mentions.at,
    status: mentions.status,
    customerId: mentions.customerId,
    url: mentions.url,
    inReplyTo: mentions.inReplyTo,
    addressed: mentions.addressed,
    sentiment: mentions.sentiment,
    queueId: mentions.queueId,
    caseId: mentions.caseId,
    ...meta(mentions),
  } satisfies Wire<Mention>,
} as const;

export type WireEntity = keyof typeof wireFields;

/** A time as toISOString writes it (Postgres keeps microseconds; JavaScript's Date, and so the mappers, drop them). */
export function isoTime(column: PgColumn): SQL {
  return sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** A column's value as rows.ts puts it on the wire. */
function wireValue(column: PgColumn): SQL {
  return column.columnType === 'PgTimestamp' ? isoTime(column) : sql`${column}`;
}

/** Named fields as one compact JSON object (row_to_json of a row of them; json_build_object would write spaces around every colon and comma). */
function objectJson(fields: [string, SQL][]): SQL {
  const columns = fields.map(([key, value]) => sql`${value} AS ${sql.raw(`"${key}"`)}`);
  return sql`(SELECT row_to_json(o) FROM (SELECT ${sql.join(columns, sql`, `)}) o)`;
}

/** The row as the domain's JSON object (`json`, not text: for building into a change). Keys are this module's own names, written into the statement. */
export function rowJson(entity: WireEntity): SQL {
  return objectJson(Object.entries(wireFields[entity]).map(([key, column]) => [key, wireValue(column)]));
}

/** The column of the entity's rev (a user's row carries none on the wire, toUser; its change does). */
export function wireRev(entity: WireEntity): PgColumn {
  const fields: Record<string, PgColumn> = wireFields[entity];
  return fields.rev ?? users.rev;
}

/** The upsert change of the row, as the text of `{ op, entity, id, rev, row }` (SyncChange). */
export function upsertJson(entity: WireEntity): SQL<string> {
  return sql<string>`${objectJson([
    ['op', sql`'upsert'::text`],
    ['entity', sql.raw(`'${entity}'::text`)],
    ['id', sql`${wireFields[entity].id}`],
    ['rev', sql`${wireRev(entity)}`],
    ['row', rowJson(entity)],
  ])}::text`;
}
