/** Hot reload: the watcher reloads an edited rules file and keeps the last good set on a bad edit (src/hub/rules/watch.ts). */
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchRules, type RulesWatcher } from '../../src/hub/rules/watch';
import type { RuleError } from '../../src/shared/rules';

const doc = (threshold: number | string) => `version: 1
brand: acme
rules:
  - id: hot
    name: Hot
    when:
      kind: threshold
      metric: engine_temp
      operator: ">"
      threshold: ${threshold}
    then:
      - type: notify
        role: supervisor
`;

type Event = { loaded: number } | { errors: RuleError[] };

describe('watching a rules file', () => {
  let dir: string;
  let watcher: RulesWatcher | null = null;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-rules-watch-'));
  });
  afterEach(async () => {
    watcher?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Starts a watcher whose loads and errors arrive, in order, through `next()`. */
  function start(path: string) {
    const events: Event[] = [];
    const waiting: ((e: Event) => void)[] = [];
    const push = (e: Event) => (waiting.length > 0 ? waiting.shift()!(e) : events.push(e));
    watcher = watchRules(path, {
      debounceMs: 150,
      onLoad: (_rules, document) => {
        const rule = document.rules[0];
        push({ loaded: rule?.when.kind === 'threshold' ? rule.when.threshold : -1 });
      },
      onError: (errors) => push({ errors }),
    });
    return { watcher, next: () => (events.length > 0 ? Promise.resolve(events.shift()!) : new Promise<Event>((resolve) => waiting.push(resolve))) };
  }
  /** Saved the way editors do: a new file renamed over the old one (a plain write is the first edit above). */
  const save = async (path: string, text: string) => {
    await writeFile(`${path}.tmp`, text);
    await rename(`${path}.tmp`, path);
  };
  const threshold = (w: RulesWatcher) => {
    const rule = w.rules()?.byMetric.get('engine_temp')?.[0];
    return rule?.when.kind === 'threshold' ? rule.when.threshold : null;
  };

  it('loads at start, reloads an edit, keeps the last good set on a bad edit and reports its errors', async () => {
    const path = join(dir, 'rules.yaml');
    await writeFile(path, doc(110));
    const { watcher, next } = start(path);
    expect(await next()).toEqual({ loaded: 110 });
    await watcher.ready;

    await writeFile(path, doc(120));
    expect(await next()).toEqual({ loaded: 120 });
    expect(threshold(watcher)).toBe(120);

    await save(path, doc('"hot"'));
    expect(await next()).toEqual({ errors: [{ line: 10, path: 'rules[0].when.threshold', message: 'expected a number, got a string' }] });
    expect(threshold(watcher)).toBe(120);
    expect(watcher.errors()).toHaveLength(1);

    await save(path, doc(130));
    expect(await next()).toEqual({ loaded: 130 });
    expect(threshold(watcher)).toBe(130);
    expect(watcher.errors()).toEqual([]);
    // …and the watch outlives the renames.
    await save(path, doc(140));
    expect(await next()).toEqual({ loaded: 140 });
  });

  it('starts with no rules and the errors when the file is bad from the start', async () => {
    const path = join(dir, 'rules.json');
    await writeFile(path, '{ "version": 1, "brand": "acme", "rules": [ }');
    const { watcher, next } = start(path);
    const first = await next();
    expect('errors' in first && first.errors[0]!.line).toBe(1);
    expect(watcher.rules()).toBeNull();
    await save(path, JSON.stringify({ version: 1, brand: 'acme', rules: [] }));
    expect(await next()).toEqual({ loaded: -1 });
    expect(watcher.rules()?.all).toEqual([]);
  });
});
