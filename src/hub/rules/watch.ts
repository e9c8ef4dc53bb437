/**
 * Hot reload of a rules file: watches it, reloads after edits settle
 * (debounced), and on a bad edit keeps the last good rule set and reports the
 * errors. The folder is watched rather than the file, because editors save by
 * writing a new file and renaming it over the old one, which ends a watch on
 * the file itself.
 */
import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { RuleError, RulesDocument } from '../../shared/rules';
import type { RuleSet } from './engine';
import { formatOf, loadRules, type RulesFormat } from './load';

export interface RulesWatcherOptions {
  format?: RulesFormat;
  debounceMs?: number;
  /** A good document was loaded (at start or after an edit). */
  onLoad?: (rules: RuleSet, document: RulesDocument, text: string) => void;
  /** A load failed; the previous good set stays in force. */
  onError?: (errors: RuleError[]) => void;
}

export interface RulesWatcher {
  /** Resolves after the first load, good or bad. */
  readonly ready: Promise<void>;
  /** The last good rule set; null until one has loaded. */
  rules(): RuleSet | null;
  /** The errors of the latest load; empty when it was good. */
  errors(): RuleError[];
  close(): void;
}

export function watchRules(path: string, options: RulesWatcherOptions = {}): RulesWatcher {
  const format = options.format ?? formatOf(path);
  const debounceMs = options.debounceMs ?? 100;
  let good: RuleSet | null = null;
  let errors: RuleError[] = [];
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  // Loads run one after another, so a slow read never lands after a newer one.
  let loading: Promise<void> = Promise.resolve();

  const load = () =>
    (loading = loading.then(async () => {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (e) {
        // Mid-rename or deleted: keep what we have and say so.
        return report([{ line: 0, path: '', message: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
      }
      if (closed) return;
      const result = loadRules(text, format);
      if (!result.ok) return report(result.errors);
      good = result.rules;
      errors = [];
      options.onLoad?.(result.rules, result.document, text);
    }));

  function report(found: RuleError[]) {
    if (closed) return;
    errors = found;
    options.onError?.(found);
  }

  const name = basename(path);
  const watcher: FSWatcher = watch(dirname(path), (_event, file) => {
    if (closed || (file !== null && file !== name)) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void load();
    }, debounceMs);
  });
  watcher.on('error', (e) => report([{ line: 0, path: '', message: `watching ${path} failed: ${e.message}` }]));

  return {
    ready: load(),
    rules: () => good,
    errors: () => errors,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
