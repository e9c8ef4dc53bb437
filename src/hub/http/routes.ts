/** The hub's HTTP API. Every input is parsed with zod; every /api route but login needs a token. */
import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { z } from 'zod';
import {
  CaseListQuerySchema,
  LoginRequestSchema,
  type Mutation,
  type MutationResult,
  MutationSchema,
  ReassignRequestSchema,
  type ReassignResponse,
  SyncPullRequestSchema,
  type SyncPushResponse,
} from '../../shared/protocol';
import { DeviceIdSchema } from '../../shared/domain';
import { mayReassignInBulk } from '../../shared/policy';
import { refusalOf, rejectionOf } from '../../shared/rejections';
import { authenticateDevice } from '../auth/device-tokens';
import { createLogin } from '../auth/login';
import { createRefreshTokens, type RevokedAccess } from '../auth/refresh-tokens';
import { LogoutRequestSchema, RefreshRequestSchema, type RefreshResponse } from '../../shared/session-tokens';
import { LOGIN_LIMIT_PER_ADDRESS } from '../auth/login-backoff';
import { TelemetryError } from '../devices/ingest';
import { getCaseDetail, listCases } from '../repos/cases';
import { findCaseAttachment } from '../repos/attachments';
import { attachmentDisposition } from './content-disposition';
import { listQueues } from '../repos/queues';
import { pullPage } from '../repos/sync';
import { applyMutations } from '../repos/push';
import { reassignCases } from '../repos/reassign';
import { Rejection } from '../repos/rejection';
import { metricsAccess } from '../ops/metrics-access';
import { findUser, listUsers, presenceOf } from '../repos/users';
import { registerAdminRoutes } from './admin-routes';
import { registerAuditRoutes } from './audit-routes';
import { registerSurgeRoutes } from './surge-routes';
import { registerRulesRoutes } from './rules-routes';
import { registerRoutingRoutes } from './routing-routes';
import { registerSettingsRoutes } from './settings-routes';
import { registerSlaRoutes } from './sla-routes';
import { registerPlansRoutes } from './plans-routes';
import { registerCallRoutes } from './call-routes';
import { bearerToken, requireUser } from './auth-guard';
import type { HubContext } from './context';
import { parseOr400, sendError, sendRejection } from './errors';
import { forbiddenRoleWording, wording } from '../../shared/wording';
import { pageJson } from './page-json';

const CaseIdParams = z.object({ id: z.uuid() });
const AttachmentParams = z.object({ id: z.uuid(), attachmentId: z.uuid() });
// Each mutation is validated on its own, so one malformed mutation is rejected alone.
const PushEnvelopeSchema = z.object({ mutations: z.array(z.unknown()).min(1).max(500) });
const DeviceParams = z.object({ deviceId: DeviceIdSchema });

export async function registerRoutes(app: FastifyInstance, ctx: HubContext): Promise<void> {
  await app.register(rateLimit, { global: false });
  app.decorateRequest('actor', null);
  app.decorateRequest('claims', null);
  await registerAdminRoutes(app, ctx);
  await registerAuditRoutes(app, ctx);
  await registerSurgeRoutes(app, ctx);
  await registerSettingsRoutes(app, ctx);
  await registerRulesRoutes(app, ctx);
  await registerRoutingRoutes(app, ctx);
  await registerSlaRoutes(app, ctx);
  await registerPlansRoutes(app, ctx);
  await registerCallRoutes(app, ctx);

  app.get('/health', async (_request, reply) => {
    const health = await ctx.health();
    const ok = health.db.ok && health.mqtt.connected && health.adapter.ok;
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', ...health });
  });

  app.get('/metrics', async (request, reply) => {
    const access = await metricsAccess(bearerToken(request), { scraperToken: ctx.metricsToken, sessions: ctx.sessions });
    if (access === 'unauthorized') return sendError(reply, 401, 'unauthorized', 'the metrics token or a supervisor’s or admin’s bearer token is required');
    if (access === 'forbidden') return sendError(reply, 403, 'forbidden', 'only supervisors, admins and the metrics scraper may read metrics', forbiddenRoleWording(['supervisor', 'admin']));
    return reply.header('content-type', ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });

  const refreshTokens = createRefreshTokens(ctx.db, ctx.tokens, { idleSeconds: ctx.refreshIdleSeconds });
  const login = await createLogin(ctx.db, refreshTokens);
  // Failed sign-ins back off per account and address (auth/login-backoff.ts); the limit per address is a ceiling.
  app.post('/api/auth/login', { config: { rateLimit: { max: LOGIN_LIMIT_PER_ADDRESS, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = parseOr400(reply, LoginRequestSchema, request.body);
    if (!body) return reply;
    const outcome = await login(body, request.ip);
    if (outcome.status === 'backoff') {
      request.log.info({ username: body.username }, 'login backing off');
      reply.header('retry-after', String(outcome.retryAfterSeconds));
      return sendError(reply, 429, 'rate_limited', `too many failed sign-ins to this account from your address: try again in ${outcome.retryAfterSeconds} s`, wording('hub.loginBackoff', { seconds: outcome.retryAfterSeconds }));
    }
    if (outcome.status === 'refused') {
      request.log.info({ username: body.username }, 'login refused');
      return sendError(reply, 401, 'unauthorized', 'wrong username or password', wording('hub.wrongPassword'));
    }
    return outcome.response;
  });

  /** An access token that must stop working now, on every hub, with its live sockets. */
  const endAccess = async (access: RevokedAccess | null | undefined) => {
    if (!access) return;
    await ctx.sessions.revoke(access);
    await ctx.disconnectToken(access.jti);
  };

  // Outside the bearer guard: a console back after days holds an expired access token and its refresh token.
  // With a refresh token: rotated (auth/refresh-tokens.ts). Without: the bearer token, still valid, for a fresh one.
  // Either way the session keeps its sign-in time: refreshing never extends it past its lifetime.
  app.post('/api/auth/refresh', async (request, reply) => {
    const body: unknown = request.body ?? {};
    if (typeof body === 'object' && body !== null && 'refreshToken' in body) {
      const parsed = parseOr400(reply, RefreshRequestSchema, body);
      if (!parsed) return reply;
      const outcome = await refreshTokens.rotate(parsed.refreshToken);
      if (outcome.status === 'refused') {
        if (outcome.reason === 'reused') request.log.warn({ userId: outcome.userId, familyId: outcome.familyId }, 'refresh token presented again after rotation: its sign-in is revoked');
        else request.log.info({ userId: outcome.userId, reason: outcome.reason }, 'refresh refused');
        await endAccess(outcome.revoked);
        return sendError(reply, 401, 'unauthorized', outcome.reason === 'reused' ? 'this refresh token was already used: the sign-in is revoked, sign in again' : 'the refresh token is no longer valid: sign in again');
      }
      // The family keeps one live access token: the one it replaced stops now (its sockets are the console's old ones).
      if (outcome.replaced) await ctx.sessions.revoke(outcome.replaced);
      const response: RefreshResponse = { token: outcome.access.token, refreshToken: outcome.refreshToken, expiresIn: outcome.access.expiresIn };
      return response;
    }
    const token = bearerToken(request);
    const session = token ? await ctx.sessions.resolve(token) : null;
    if (!session) return sendError(reply, 401, 'unauthorized', 'a valid bearer token or refresh token is required');
    const { actor, claims } = session;
    // The old token is revoked so only one stays in use.
    const fresh = await ctx.tokens.issue({ userId: actor.id, role: actor.role, epoch: actor.sessionEpoch, sessionStartedAt: claims.sessionStartedAt, familyId: claims.familyId });
    if (claims.familyId) await refreshTokens.recordAccess(claims.familyId, fresh);
    await ctx.sessions.revoke(claims);
    return { token: fresh.token, expiresIn: fresh.expiresIn };
  });

  // Signs out the bearer token and the sign-in it belongs to (its refresh-token family); with an
  // expired bearer token, the refresh token alone names the sign-in.
  app.post('/api/auth/logout', async (request, reply) => {
    const body = parseOr400(reply, LogoutRequestSchema, request.body ?? {});
    if (!body) return reply;
    const token = bearerToken(request);
    const session = token ? await ctx.sessions.resolve(token) : null;
    const family = body.refreshToken ? await refreshTokens.familyOf(body.refreshToken) : null;
    if (!session && !family) return sendError(reply, 401, 'unauthorized', 'a valid bearer token or refresh token is required');
    if (session && family && family.userId !== session.actor.id) return sendError(reply, 401, 'unauthorized', 'the refresh token belongs to another user');
    if (session) await endAccess(session.claims);
    for (const familyId of new Set([session?.claims.familyId, family?.familyId])) {
      if (!familyId) continue;
      const access = await refreshTokens.revokeFamily(familyId, 'logout');
      if (access?.jti !== session?.claims.jti) await endAccess(access);
    }
    return reply.code(204).send();
  });

  app.register(async (api) => {
    api.addHook('preHandler', requireUser(ctx));

    api.get('/api/me', async (request) => ({ user: await findUser(ctx.db, request.actor!.id), queueIds: request.actor!.queueIds, presence: await presenceOf(ctx.db, request.actor!.id) }));
    api.get('/api/queues', async () => ({ queues: await listQueues(ctx.db) }));
    api.get('/api/users', async () => ({ users: await listUsers(ctx.db) }));

    api.get('/api/cases', async (request, reply) => {
      const query = parseOr400(reply, CaseListQuerySchema, request.query);
      if (!query) return reply;
      return listCases(ctx.db, request.actor!, query);
    });

    api.get('/api/cases/:id', async (request, reply) => {
      const params = parseOr400(reply, CaseIdParams, request.params);
      if (!params) return reply;
      const detail = await getCaseDetail(ctx.db, request.actor!, params.id);
      return detail ?? sendError(reply, 404, 'not_found', 'no such case in your scope', wording('hub.notFound', { what: 'case' }));
    });

    api.get('/api/cases/:id/attachments/:attachmentId', async (request, reply) => {
      const params = parseOr400(reply, AttachmentParams, request.params);
      if (!params) return reply;
      const file = await findCaseAttachment(ctx.db, request.actor!, params.id, params.attachmentId);
      if (!file) return sendError(reply, 404, 'not_found', 'no such attachment on a case in your scope');
      // Always a download, never rendered by the hub's origin (an HTML or SVG attachment is the sender's content).
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', attachmentDisposition(file.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(file.content);
    });

    // Supervisors and admins move many cases at once: all or none; every console that loses or gains one hears it live.
    api.post('/api/cases/reassign', async (request, reply) => {
      const actor = request.actor!;
      if (!mayReassignInBulk(actor.role)) {
        const refused = refusalOf('bulkReassign');
        return sendError(reply, 403, 'forbidden', refused.text, refused.wording);
      }
      const body = parseOr400(reply, ReassignRequestSchema, request.body);
      if (!body) return reply;
      try {
        const done = await reassignCases(ctx.db, actor, body);
        ctx.publish.casesMoved(done.moves, done.notes, done);
        const response: ReassignResponse = { moved: done.moves.length, cases: done.moves.map(({ row }) => ({ id: row.id, version: row.version, rev: row.rev })) };
        return response;
      } catch (error) {
        if (error instanceof Rejection) return sendRejection(reply, 404, error);
        throw error;
      }
    });

    api.post('/api/sync/push', async (request, reply) => {
      const body = parseOr400(reply, PushEnvelopeSchema, request.body);
      if (!body) return reply;
      const timer = ctx.metrics.syncDuration.startTimer({ op: 'push' });
      const results: (MutationResult | null)[] = [];
      const valid: Mutation[] = [];
      for (const [index, raw] of body.mutations.entries()) {
        const parsed = MutationSchema.safeParse(raw);
        if (parsed.success) {
          valid.push(parsed.data);
          results.push(null);
          continue;
        }
        const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : `#${index}`;
        const invalid = rejectionOf('invalidInput', { detail: z.prettifyError(parsed.error) });
        results.push({ id, status: 'rejected', reason: invalid.text, wording: invalid.wording });
        ctx.metrics.mutations.inc({ status: 'rejected' });
      }
      // In order: a console's mutations of one entity must apply in the order it made them.
      const outcomes = valid.length > 0 ? await applyMutations(ctx.db, request.actor!, valid) : [];
      for (const [k, outcome] of outcomes.entries()) {
        results[results.indexOf(null)] = outcome.result;
        ctx.metrics.mutations.inc({ status: outcome.result.status });
        if (valid[k]!.kind === 'case.create' && outcome.result.status === 'applied') ctx.metrics.casesCreated.inc({ source: 'console' });
        for (const row of outcome.cases) ctx.publish.case(row);
        if (outcome.moved) ctx.publish.caseMoved(outcome.cases[0]!, outcome.moved.from, outcome.moved.rev);
        for (const { message, caseRow } of outcome.messages) ctx.publish.message(message, caseRow);
        if (outcome.presence) ctx.publish.presence(outcome.presence.userId, outcome.presence.state);
        for (const mention of outcome.mentions ?? []) ctx.publish.mention(mention, 'mention:upsert');
      }
      if (outcomes.some((outcome) => outcome.queuedDelivery)) ctx.kickDeliveries();
      timer();
      const response: SyncPushResponse = { results: results as MutationResult[] };
      return response;
    });

    api.post('/api/sync/pull', async (request, reply) => {
      const body = parseOr400(reply, SyncPullRequestSchema, request.body);
      if (!body) return reply;
      const timer = ctx.metrics.syncDuration.startTimer({ op: 'pull' });
      const page = await pullPage(ctx.db, request.actor!, body.cursor, body.limit);
      timer();
      // The page's buffers are lent to the next page once this response is done with them (sent, or the connection gone).
      reply.raw.once('close', () => page.bytes.release());
      return reply.type('application/json; charset=utf-8').send(pageJson(page));
    });
  });

  // Devices authenticate with their own token, not a user's.
  app.post('/api/devices/:deviceId/telemetry', { config: { rateLimit: { max: 600, timeWindow: '1 minute' } } }, async (request, reply) => {
    const params = parseOr400(reply, DeviceParams, request.params);
    if (!params) return reply;
    const token = bearerToken(request);
    if (!token || !(await authenticateDevice(ctx.db, params.deviceId, token))) {
      return sendError(reply, 401, 'unauthorized', 'a valid device token is required');
    }
    try {
      const result = await ctx.ingest.ingest(params.deviceId, request.body);
      return reply.code(202).send({ stored: result.stored, casesOpened: result.fired.cases.filter((c) => c.opened).map((c) => c.case.id) });
    } catch (error) {
      if (error instanceof TelemetryError) return sendError(reply, error.code === 'busy' ? 503 : 400, error.code, error.message);
      throw error;
    }
  });
}
