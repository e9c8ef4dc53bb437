/**
 * The rules document for admins (src/shared/rules.ts): read, checked and
 * replaced with the validation the hub loads it with (errors name the line
 * and field), audited (`rules.update`); every hub applies a save within
 * seconds (automation/current-rules.ts). The firings of a case are for
 * whoever may see the case.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type RuleFiring, type RulesCheck, RulesDocumentInputSchema, type RulesDocumentView, RulesSaveInputSchema } from '../../shared/rules';
import { maySeeCase } from '../repos/scope';
import { firingsOfCase } from '../repos/rules';
import { loadRules } from '../rules';
import { requireUser } from './auth-guard';
import type { HubContext } from './context';
import { parseOr400, sendError } from './errors';
import { forbiddenRoleWording, wording } from '../../shared/wording';

const CaseParams = z.object({ id: z.uuid() });

export async function registerRulesRoutes(app: FastifyInstance, ctx: HubContext): Promise<void> {
  await app.register(async (api) => {
    api.addHook('preHandler', requireUser(ctx));

    api.get('/api/admin/rules', async (request, reply): Promise<RulesDocumentView | typeof reply> => {
      if (request.actor!.role !== 'admin') return sendError(reply, 403, 'forbidden', 'only admins may read the rules document', forbiddenRoleWording(['admin']));
      return ctx.rules.view();
    });

    // The editor's check as the admin types: the hub's own validation, nothing saved.
    api.post('/api/admin/rules/check', async (request, reply) => {
      if (request.actor!.role !== 'admin') return sendError(reply, 403, 'forbidden', 'only admins may check rules', forbiddenRoleWording(['admin']));
      const body = parseOr400(reply, RulesDocumentInputSchema, request.body);
      if (!body) return reply;
      const loaded = loadRules(body.source, body.format);
      const verdict: RulesCheck = loaded.ok ? { ok: true, rules: loaded.document.rules.length } : { ok: false, errors: loaded.errors };
      return verdict;
    });

    api.put('/api/admin/rules', async (request, reply) => {
      if (request.actor!.role !== 'admin') return sendError(reply, 403, 'forbidden', 'only admins may change the rules', forbiddenRoleWording(['admin']));
      const body = parseOr400(reply, RulesSaveInputSchema, request.body);
      if (!body) return reply;
      const saved = await ctx.rules.save({ format: body.format, source: body.source }, request.actor!.id, body.reason ?? null);
      if (!saved.ok) return reply.code(422).send({ error: 'invalid_rules', message: 'the rules document does not load', errors: saved.errors });
      return saved.view;
    });

    api.get('/api/cases/:id/firings', async (request, reply): Promise<{ firings: RuleFiring[] } | typeof reply> => {
      const params = parseOr400(reply, CaseParams, request.params);
      if (!params) return reply;
      if (!(await maySeeCase(ctx.db, request.actor!, params.id))) return sendError(reply, 404, 'not_found', 'no such case in your scope', wording('hub.notFound', { what: 'case' }));
      return { firings: await firingsOfCase(ctx.db, params.id) };
    });
  });
}
