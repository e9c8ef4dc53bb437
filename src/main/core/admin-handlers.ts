/**
 * The admin screen's and the audit log's calls (src/shared/api.ts): each goes
 * to the hub's admin or audit API at once and answers with the hub's word.
 * Never queued and never from the cache — a user created or an agent moved
 * offline would be a promise the hub may refuse later — so offline they fail
 * as `unavailable`. The hub decides who may (403 → `unauthorized`). The
 * channel settings are read from the cache (the last known, offline too) and
 * replaced through the hub (admins).
 */
import { z } from 'zod';
import { AdminUserSchema } from '../../shared/admin';
import type { ApiHandlers, ApiParsedInput } from '../../shared/api';
import { type AuditEntry, AuditEntrySchema, type AuditFilter, auditCsv } from '../../shared/audit';
import { IdSchema, QueueSchema } from '../../shared/domain';
import { PlansSettingsSchema } from '../../shared/entitlements';
import { PresenceUpdateSchema, QueueRoutingViewSchema, SlaSettingsSchema } from '../../shared/protocol';
import { QueueRoutingSchema } from '../../shared/routing';
import { RuleFiringSchema, RulesCheckSchema, type RulesDocumentInput, RulesDocumentViewSchema, type RulesSaveResult } from '../../shared/rules';
import type { Cache } from './cache';
import { ChannelSettingsAnswerSchema } from '../../shared/channel-settings';
import { keepChannelSettings, storedChannelSettings } from './channel-settings';
import type { Connection } from './connection';
import { CoreError } from './errors';
import type { HubClient } from './hub-client';
import type { Session } from './session';

export interface AdminDeps {
  cache: Cache;
  hub: HubClient;
  session: Session;
  connection: Connection;
}

type AdminMethod =
  | 'admin.users.list'
  | 'admin.users.create'
  | 'admin.users.update'
  | 'admin.users.signOut'
  | 'admin.users.setPresence'
  | 'admin.queues.create'
  | 'admin.queues.update'
  | 'admin.queues.setMembers'
  | 'admin.queues.routing'
  | 'admin.queues.setRouting'
  | 'admin.sla.get'
  | 'admin.sla.save'
  | 'admin.plans.get'
  | 'admin.plans.save'
  | 'audit.list'
  | 'audit.export'
  | 'settings.channels'
  | 'admin.settings.channels.update'
  | 'admin.rules.get'
  | 'admin.rules.check'
  | 'admin.rules.save'
  | 'cases.firings';

const UserAnswer = z.object({ user: AdminUserSchema });
const QueueAnswer = z.object({ queue: QueueSchema });
/** 204: the hub answers nothing. */
const NoAnswer = z.null();
/** The hub's page size at most: what an export takes. */
const HUB_MAX_ENTRIES = 10_000;

export function createAdminHandlers({ cache, hub, session, connection }: AdminDeps): Pick<ApiHandlers, AdminMethod> {
  /** The hub is the only place this work happens: refuse at once while it cannot be reached. */
  const online = () => {
    if (!session.current()) throw new CoreError('unauthorized', 'not logged in');
    if (connection.state() !== 'online') throw new CoreError('unavailable', 'administration and the audit log need the hub, and this console is offline; try again when it is back');
  };
  /** A name already taken (409) is the user's input to change, not the hub being away. */
  const call = async <T>(request: () => Promise<T>): Promise<T> => {
    online();
    try {
      return await request();
    } catch (error) {
      if (error instanceof CoreError && error.status === 409) throw new CoreError('invalid_input', error.message, 409, error.wording);
      throw error;
    }
  };
  const path = (base: string, id: string) => `${base}/${encodeURIComponent(id)}`;

  /** A case number (`1042`, `#1042`) or id → its id; supervisors and admins hold every case. */
  function caseIdOf(ref: string): string {
    if (IdSchema.safeParse(ref).success) return ref;
    const number = /^#?(\d{1,15})$/.exec(ref)?.[1];
    if (!number) throw new CoreError('invalid_input', `"${ref}" is neither a case number nor a case id`);
    const found = cache.cases.queue({ search: `#${number}`, limit: 50 }).items.find((c) => c.number === Number(number));
    if (!found) throw new CoreError('not_found', `no case #${number} in this console`);
    return found.id;
  }

  /** Every id an entry holds (who, what, from, to) that this console can put a name to. */
  function namesOf(entries: AuditEntry[]): Record<string, string> {
    const known = new Map<string, string>([...cache.users.all().map((u) => [u.id, u.name] as const), ...cache.queues.all().map((q) => [q.id, q.name] as const)]);
    const names: Record<string, string> = {};
    const visit = (value: unknown): void => {
      if (typeof value === 'string') {
        if (names[value] !== undefined || !IdSchema.safeParse(value).success) return;
        const name = known.get(value) ?? caseLabel(value);
        if (name) names[value] = name;
      } else if (Array.isArray(value)) value.forEach(visit);
      else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
    };
    for (const entry of entries) [entry.actorId, entry.entityId, entry.before, entry.after].forEach(visit);
    return names;
  }
  const caseLabel = (id: string): string | null => {
    const item = cache.cases.item(id);
    return item ? (item.number === null ? item.subject : `#${item.number}`) : null;
  };

  async function auditEntries(filter: AuditFilter): Promise<{ entries: AuditEntry[]; more: boolean }> {
    online();
    const query = new URLSearchParams({ limit: String(filter.limit) });
    for (const key of ['since', 'until', 'actor', 'action'] as const) if (filter[key]) query.set(key, filter[key]);
    if (filter.case !== undefined) query.set('caseId', caseIdOf(filter.case));
    const { entries } = await hub.json('GET', `/api/audit?${query}`, z.object({ entries: z.array(AuditEntrySchema) }));
    return { entries, more: entries.length === filter.limit };
  }

  const checkRules = (input: RulesDocumentInput) => hub.json('POST', '/api/admin/rules/check', RulesCheckSchema, input);

  return {
    'admin.rules.get': () => call(() => hub.json('GET', '/api/admin/rules', RulesDocumentViewSchema)),
    'admin.rules.check': (input) => call(() => checkRules(input)),
    // Checked first, so a document that does not load comes back with its errors rather than as a failed call.
    'admin.rules.save': ({ reason, ...document }) =>
      call(async (): Promise<RulesSaveResult> => {
        const verdict = await checkRules(document);
        if (!verdict.ok) return verdict;
        return { ok: true, view: await hub.json('PUT', '/api/admin/rules', RulesDocumentViewSchema, { ...document, ...(reason ? { reason } : {}) }) };
      }),
    'cases.firings': ({ id }) => call(async () => (await hub.json('GET', `${path('/api/cases', id)}/firings`, z.object({ firings: z.array(RuleFiringSchema) }))).firings),
    'admin.users.list': () => call(async () => (await hub.json('GET', '/api/admin/users', z.object({ users: z.array(AdminUserSchema) }))).users),
    'admin.users.create': (input) => call(async () => (await hub.json('POST', '/api/admin/users', UserAnswer, input)).user),
    'admin.users.update': ({ id, patch }) => call(async () => (await hub.json('PATCH', path('/api/admin/users', id), UserAnswer, patch)).user),
    'admin.users.signOut': ({ id }) => call(() => hub.json('POST', `${path('/api/admin/users', id)}/sign-out`, NoAnswer)),
    'admin.users.setPresence': ({ id, state }: ApiParsedInput<'admin.users.setPresence'>) =>
      call(() => hub.json('POST', `${path('/api/admin/users', id)}/presence`, PresenceUpdateSchema, state)),
    'admin.queues.create': (input) => call(async () => (await hub.json('POST', '/api/admin/queues', QueueAnswer, input)).queue),
    'admin.queues.update': ({ id, patch }) => call(async () => (await hub.json('PATCH', path('/api/admin/queues', id), QueueAnswer, patch)).queue),
    'admin.queues.setMembers': ({ id, userIds }) =>
      call(() => hub.json('PUT', `${path('/api/admin/queues', id)}/members`, z.object({ queueId: z.string(), userIds: z.array(z.string()) }), { userIds })),
    'admin.queues.routing': () => call(async () => (await hub.json('GET', '/api/admin/queues/routing', z.object({ queues: z.array(QueueRoutingViewSchema) }))).queues),
    'admin.queues.setRouting': ({ id, routing, reason }) => call(() => hub.json('PUT', `${path('/api/admin/queues', id)}/routing`, QueueRoutingSchema, { ...routing, ...(reason ? { reason } : {}) })),
    'admin.sla.get': () => call(() => hub.json('GET', '/api/admin/sla-policies', SlaSettingsSchema)),
    // The reason goes only when given: the hub keeps it with the audit row, not in the document.
    'admin.sla.save': ({ reason, expected, ...settings }) =>
      call(() => hub.json('PUT', '/api/admin/sla-policies', SlaSettingsSchema, { ...settings, ...(reason ? { reason } : {}), ...(expected ? { expected } : {}) })),
    'admin.plans.get': () => call(() => hub.json('GET', '/api/admin/plans', PlansSettingsSchema)),
    // `expected` (the document the admin's draft started from) makes the hub refuse a save over another admin's (409).
    'admin.plans.save': ({ reason, expected, entitlements }) =>
      call(() => hub.json('PUT', '/api/admin/plans', PlansSettingsSchema, { entitlements, ...(reason ? { reason } : {}), ...(expected ? { expected } : {}) })),
    'audit.list': (filter) =>
      call(async () => {
        const found = await auditEntries(filter);
        return { ...found, names: namesOf(found.entries) };
      }),
    // Formatted here from the checked entries: the file holds what the screen's filter shows.
    'audit.export': (filter) => call(async () => auditCsv((await auditEntries({ ...filter, limit: HUB_MAX_ENTRIES })).entries)),
    async 'settings.channels'() {
      if (!session.current()) throw new CoreError('unauthorized', 'not logged in');
      return storedChannelSettings(cache);
    },
    // Kept at once (this console's next reply follows it); the hub's `settings:changed` then tells every window.
    'admin.settings.channels.update': (settings) =>
      call(async () => {
        const { channels } = await hub.json('PUT', '/api/admin/settings/channels', ChannelSettingsAnswerSchema, settings);
        keepChannelSettings(cache, channels);
        return channels;
      }),
  };
}
