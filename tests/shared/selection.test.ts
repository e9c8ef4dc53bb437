/** The case list's multi-selection (supervisors pick cases to move): toggling, ranges, and what a live update of the list drops. */
import { describe, expect, it } from 'vitest';
import { pruned, ranged, toggled } from '../../src/renderer/src/lib/selection';

const order = ['a', 'b', 'c', 'd', 'e'];
const none = { ids: new Set<string>(), anchor: null };

describe('the case selection', () => {
  it('toggles a row in and out, and a shift-click adds the range from the last one toggled', () => {
    const one = toggled(none, 'b');
    expect([...one.ids]).toEqual(['b']);
    expect([...ranged(one, order, 'd').ids].sort()).toEqual(['b', 'c', 'd']);
    // Upwards too, and adding to what is there.
    expect([...ranged(toggled(toggled(none, 'e'), 'd'), order, 'b').ids].sort()).toEqual(['b', 'c', 'd', 'e']);
    expect(toggled(one, 'b').ids.size).toBe(0);
  });

  it('a shift-click with no anchor picks just that row; one off the list changes nothing', () => {
    expect([...ranged(none, order, 'c').ids]).toEqual(['c']);
    const one = toggled(none, 'a');
    expect(ranged(one, order, 'zz')).toBe(one);
  });

  it('drops the rows that left the list, and is the same state when none did', () => {
    const picked = ranged(toggled(none, 'a'), order, 'c');
    expect(pruned(picked, order)).toBe(picked);
    const after = pruned(picked, ['a', 'c', 'd']);
    expect([...after.ids].sort()).toEqual(['a', 'c']);
    // The anchor left too: the next shift-click starts afresh.
    expect(pruned(toggled(none, 'b'), ['a']).anchor).toBeNull();
  });
});
