/**
 * Push routing's matching (src/hub/routing/match.ts), over any waiting cases
 * and agents: nobody and no case is offered twice in a round, nothing waits
 * while an agent left without an offer could take it, a less urgent case never
 * goes to an agent who could have taken a more urgent one still waiting, and
 * the agent who has waited longest gets the case when several could.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canTake, type MatchAgent, type MatchCase, matchOffers } from '../../src/hub/routing/match';
import type { Load } from '../../src/shared/routing';

const QUEUES = ['q1', 'q2', 'q3'];
const SKILLS = ['en', 'ru', 'billing'];
const CHANNELS = ['email', 'x', 'phone'] as const;

const load = fc.record({ channel: fc.constantFrom(...CHANNELS), status: fc.constantFrom('new', 'open') }) as fc.Arbitrary<Load>;
const world = fc
  .record({
    cases: fc.array(fc.record({ queueId: fc.constantFrom(...QUEUES), load, required: fc.subarray(SKILLS, { maxLength: 2 }) }), { maxLength: 16 }),
    agents: fc.array(
      fc.record({
        skills: fc.subarray(SKILLS),
        capacity: fc.integer({ min: 1, max: 3 }),
        working: fc.array(load, { maxLength: 3 }),
        queueIds: fc.subarray(QUEUES, { minLength: 1 }),
        refusedIndexes: fc.array(fc.nat(15), { maxLength: 3 }),
      }),
      { maxLength: 6 },
    ),
  })
  .map(({ cases, agents }) => {
    const waiting: MatchCase[] = cases.map((c, i) => ({ id: `case-${i}`, ...c }));
    const free: MatchAgent[] = agents.map((a, i) => ({
      id: `agent-${i}`,
      skills: a.skills,
      capacity: a.capacity,
      working: a.working,
      queueIds: new Set(a.queueIds),
      refused: new Set(a.refusedIndexes.map((n) => `case-${n}`)),
    }));
    return { waiting, agents: free };
  });

describe('push routing matching', () => {
  it('offers each agent and each case at most once, and only what the agent can take', () => {
    fc.assert(
      fc.property(world, ({ waiting, agents }) => {
        const pairs = matchOffers(waiting, agents);
        expect(new Set(pairs.map((p) => p.agentId)).size).toBe(pairs.length);
        expect(new Set(pairs.map((p) => p.item.id)).size).toBe(pairs.length);
        for (const { item, agentId } of pairs) expect(canTake(agents.find((a) => a.id === agentId)!, item)).toBe(true);
      }),
    );
  });

  it('leaves nothing waiting that an agent without an offer could take', () => {
    fc.assert(
      fc.property(world, ({ waiting, agents }) => {
        const pairs = matchOffers(waiting, agents);
        const offered = new Set(pairs.map((p) => p.item.id));
        const idle = agents.filter((a) => !pairs.some((p) => p.agentId === a.id));
        for (const item of waiting.filter((c) => !offered.has(c.id))) for (const agent of idle) expect(canTake(agent, item), `${item.id} waits while ${agent.id} is free`).toBe(false);
      }),
    );
  });

  it('serves the more urgent case first, and the agent who has waited longest', () => {
    fc.assert(
      fc.property(world, ({ waiting, agents }) => {
        const pairs = matchOffers(waiting, agents);
        const rank = (id: string) => waiting.findIndex((c) => c.id === id);
        const offered = new Set(pairs.map((p) => p.item.id));
        for (const { item, agentId } of pairs) {
          const agent = agents.find((a) => a.id === agentId)!;
          // A more urgent case still waiting could not go to this agent.
          for (const earlier of waiting.slice(0, rank(item.id)).filter((c) => !offered.has(c.id))) expect(canTake(agent, earlier)).toBe(false);
          // An agent who has waited longer and could take it was given a more urgent case.
          for (const before of agents.slice(0, agents.indexOf(agent)).filter((a) => canTake(a, item))) {
            const theirs = pairs.find((p) => p.agentId === before.id);
            expect(theirs && rank(theirs.item.id) < rank(item.id), `${before.id} waited longer and could take ${item.id}`).toBe(true);
          }
        }
      }),
    );
  });
});
