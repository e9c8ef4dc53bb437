/** Erlang C against values worked by hand, and the staffing rule's edges. */
import { describe, expect, it } from 'vitest';
import { agentsNeeded, erlangC, serviceLevel } from '../../src/shared/staffing';

describe('Erlang C staffing', () => {
  it('gives the probability of waiting worked out by hand', () => {
    // A = 2 Erlangs, N = 3: Erlang B = (8/6) / (1 + 2 + 2 + 8/6) = 4/19; C = 3B / (3 - 2(1 - B)) = 4/9.
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 10);
    // A = 1, N = 2: B = 1/5, C = 2B / (2 - (1 - B)) = 1/3.
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 10);
    expect(erlangC(2, 2)).toBe(1);
    expect(erlangC(5, 0)).toBe(0);
  });

  it('turns it into a service level and the fewest agents that meet 80 % in 60 s', () => {
    // SL = 1 - C e^{-(N - A) t / AHT}: N = 3, A = 2, t = AHT → 1 - (4/9) e^{-1}.
    expect(serviceLevel(3, 2, 300, 300)).toBeCloseTo(1 - (4 / 9) * Math.exp(-1), 10);
    // 24 arrivals an hour of 5 minutes each: 2 Erlangs. 3 agents give 1 - (4/9)e^{-0.2} ≈ 0.636, 4 give ≈ 0.91.
    expect(serviceLevel(3, 2, 300, 60)).toBeLessThan(0.8);
    expect(serviceLevel(4, 2, 300, 60)).toBeGreaterThan(0.8);
    expect(agentsNeeded(24, 300)).toBe(4);
    expect(agentsNeeded(0, 300)).toBe(0);
    // More work never needs fewer agents.
    const needs = [10, 20, 40, 80, 160, 320].map((perHour) => agentsNeeded(perHour, 300));
    expect(needs).toEqual([...needs].sort((a, b) => a - b));
  });
});
