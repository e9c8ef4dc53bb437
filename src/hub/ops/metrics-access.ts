/**
 * Who reads /metrics: a scraper with the static metrics token, or a signed-in
 * supervisor or admin (the counters describe the whole hub, not one queue).
 */
import { mayOversee } from '../../shared/policy';
import type { Sessions } from '../auth/sessions';
import { secretMatches } from '../devices/credentials';

export type MetricsAccess = 'allowed' | 'unauthorized' | 'forbidden';

export async function metricsAccess(token: string | null, opts: { scraperToken?: string; sessions: Pick<Sessions, 'resolve'> }): Promise<MetricsAccess> {
  if (!token) return 'unauthorized';
  // Compared in constant time: how long a wrong guess takes says nothing about the token.
  if (opts.scraperToken && secretMatches(opts.scraperToken, token)) return 'allowed';
  const session = await opts.sessions.resolve(token);
  if (!session) return 'unauthorized';
  return mayOversee(session.actor.role) ? 'allowed' : 'forbidden';
}
