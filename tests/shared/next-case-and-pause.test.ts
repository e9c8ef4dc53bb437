/**
 * Two rules the console reads from src/shared: "Next case" is for an agent who
 * works a pull queue, and the SLA clock stands in the paused statuses (the
 * default policy's unless a policy is given) — the same rule the hub's
 * pause history uses.
 */
import { describe, expect, it } from 'vitest';
import { mayTakeNextCase } from '../../src/shared/routing';
import { clockPausedIn, pausesFromHistory } from '../../src/shared/sla';

describe('who sees "Next case"', () => {
  const pull = { routing: 'pull' as const, member: true };
  it('an agent working at least one pull queue', () => {
    expect(mayTakeNextCase('agent', [{ routing: 'push', member: true }, pull])).toBe(true);
  });
  it('nobody else: push or manual queues only, a pull queue she does not work, another role', () => {
    expect(mayTakeNextCase('agent', [{ routing: 'push', member: true }, { routing: 'manual', member: true }])).toBe(false);
    expect(mayTakeNextCase('agent', [{ routing: 'pull', member: false }])).toBe(false);
    expect(mayTakeNextCase('agent', [])).toBe(false);
    for (const role of ['supervisor', 'admin', 'technician'] as const) expect(mayTakeNextCase(role, [pull])).toBe(false);
  });
});

describe('when the SLA clock stands', () => {
  it('in pending by default, in what a policy says otherwise', () => {
    expect(clockPausedIn('pending')).toBe(true);
    expect(clockPausedIn('open')).toBe(false);
    expect(clockPausedIn('on_hold')).toBe(false);
    expect(clockPausedIn('on_hold', ['pending', 'on_hold'])).toBe(true);
  });
  it('is the rule the pause history is read by', () => {
    const history = [
      { status: 'new' as const, at: '2026-11-30T08:00:00Z' },
      { status: 'on_hold' as const, at: '2026-11-30T09:00:00Z' },
      { status: 'open' as const, at: '2026-11-30T10:00:00Z' },
    ];
    expect(pausesFromHistory(history)).toEqual([]);
    expect(pausesFromHistory(history, ['on_hold'])).toEqual([{ from: Date.parse('2026-11-30T09:00:00Z'), to: Date.parse('2026-11-30T10:00:00Z') }]);
  });
});
