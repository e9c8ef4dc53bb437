/**
 * The channel settings (src/shared/channel-settings.ts): read by every
 * signed-in user — none is a secret, and each console needs the consent
 * policy and the brand's handles — and replaced by admins only, audited and
 * announced live to every console on every hub.
 */
import type { FastifyInstance } from 'fastify';
import { type ChannelSettingsAnswer, ChannelSettingsSchema } from '../../shared/channel-settings';
import { writeChannelSettings } from '../repos/channel-settings';
import { requireUser } from './auth-guard';
import type { HubContext } from './context';
import { parseOr400, sendError } from './errors';
import { forbiddenRoleWording } from '../../shared/wording';

export async function registerSettingsRoutes(app: FastifyInstance, ctx: HubContext): Promise<void> {
  await app.register(async (api) => {
    api.addHook('preHandler', requireUser(ctx));
    const settings = ctx.channelSettings;

    api.get('/api/settings/channels', async (): Promise<ChannelSettingsAnswer> => ({ channels: await settings.current() }));

    api.put('/api/admin/settings/channels', async (request, reply) => {
      if (request.actor!.role !== 'admin') return sendError(reply, 403, 'forbidden', 'only admins may change the channel settings', forbiddenRoleWording(['admin']));
      const body = parseOr400(reply, ChannelSettingsSchema, request.body);
      if (!body) return reply;
      const { after } = await writeChannelSettings(ctx.db, body, settings.defaults, request.actor!.id);
      // This hub's keyword filters follow at once; the others within their cache's few seconds.
      settings.invalidate();
      settings.announce(after);
      const answer: ChannelSettingsAnswer = { channels: after };
      return answer;
    });
  });
}
