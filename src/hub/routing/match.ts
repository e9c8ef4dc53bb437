/**
 * Who is offered what in a push round, decided without the database: the
 * waiting cases, most urgent first, each go to the agent who has waited
 * longest among those free this round who work its queue, have its skills,
 * have room for it and have not refused it. An agent gets at most one offer a
 * round (the next round, after they answer, gives the next); a case at most one.
 */
import { hasRoomFor, hasSkills, type Load } from '../../shared/routing';

export interface MatchAgent {
  id: string;
  skills: string[];
  capacity: number;
  working: Load[];
  queueIds: Set<string>;
  refused: Set<string>;
}

export interface MatchCase {
  id: string;
  queueId: string;
  load: Load;
  required: string[];
}

/** Whether this agent could take this case now (ignoring the other offers of the round). */
export const canTake = (agent: MatchAgent, item: MatchCase): boolean =>
  agent.queueIds.has(item.queueId) && !agent.refused.has(item.id) && hasSkills(agent.skills, item.required) && hasRoomFor(agent.capacity, agent.working, item.load);

/**
 * `waiting` in the order they should be served (score, then age), `agents` longest-waiting first; the pairs,
 * in `waiting`'s order.
 */
export function matchOffers<C extends MatchCase>(waiting: readonly C[], agents: readonly MatchAgent[]): { item: C; agentId: string }[] {
  const busy = new Set<string>();
  const chosen: { item: C; agentId: string }[] = [];
  for (const item of waiting) {
    if (busy.size === agents.length) break;
    const agent = agents.find((a) => !busy.has(a.id) && canTake(a, item));
    if (!agent) continue;
    busy.add(agent.id);
    chosen.push({ item, agentId: agent.id });
  }
  return chosen;
}
