/**
 * The rules every hub evaluates: the brand's document in the database,
 * compiled once per version. A hub looks at the stored version at most every
 * `checkMs` (another hub may have saved one) and at once after its own save,
 * so all hubs run the same rules within that time. The first hub to start
 * stores the rules file it was given (the demo's document with --demo, an
 * empty one otherwise); with a rules file, an edit of the file that loads
 * is saved like an admin's edit (and a bad one is reported and changes
 * nothing).
 */
import { readFile } from 'node:fs/promises';
import type { RuleError, RulesDocumentInput, RulesDocumentView } from '../../shared/rules';
import type { Db } from '../db/connect';
import { recordAudit } from '../repos/audit';
import { readRulesDocument, rulesVersion, writeRulesDocument } from '../repos/rules';
import { compileRules, formatOf, loadRules, type RuleSet, watchRules, type RulesWatcher } from '../rules';

/** One brand per hub deployment: its document is stored under this key. */
export const RULES_KEY = 'default';
export const RULES_CHECK_MS = 2_000;
const EMPTY_DOCUMENT = 'version: 1\nbrand: default\nrules: []\n';

export type RulesSave = { ok: true; view: RulesDocumentView } | { ok: false; errors: RuleError[] };

export interface CurrentRules {
  /** The compiled rules in force; an empty set until a document is stored. */
  get(): Promise<RuleSet>;
  view(): Promise<RulesDocumentView>;
  /** Validates, stores (a new version, audited `rules.update`) and applies at once on this hub; others follow within `checkMs`. */
  save(input: RulesDocumentInput, actorId: string | null, reason?: string | null): Promise<RulesSave>;
  /** Drops the compiled set: the next get() reads the stored version. */
  invalidate(): void;
  close(): void;
}

export interface CurrentRulesOptions {
  /** Stored at first start when the database has no document; watched for edits when `watch` is set. */
  file?: string;
  watch?: boolean;
  checkMs?: number;
  onError?: (message: string) => void;
  /** A new version was applied on this hub. */
  onChange?: (version: number) => void;
}

export async function createCurrentRules(db: Db, opts: CurrentRulesOptions = {}): Promise<CurrentRules> {
  const checkMs = opts.checkMs ?? RULES_CHECK_MS;
  let compiled: { version: number; rules: RuleSet } = { version: 0, rules: compileRules([]) };
  let checkedAt = 0;
  let reading: Promise<RuleSet> | null = null;

  async function refresh(): Promise<RuleSet> {
    const version = (await rulesVersion(db, RULES_KEY)) ?? 0;
    checkedAt = Date.now();
    if (version === compiled.version) return compiled.rules;
    const stored = await readRulesDocument(db, RULES_KEY);
    if (!stored) return compiled.rules;
    const loaded = loadRules(stored.source, stored.format);
    // A stored document always passed validation; one that no longer does (a newer schema) keeps the last good set.
    if (!loaded.ok) {
      opts.onError?.(`the stored rules (version ${stored.version}) no longer load: ${loaded.errors.map((e) => e.message).join('; ')}`);
      return compiled.rules;
    }
    compiled = { version: stored.version, rules: loaded.rules };
    opts.onChange?.(stored.version);
    return compiled.rules;
  }

  async function save(input: RulesDocumentInput, actorId: string | null, reason: string | null = null): Promise<RulesSave> {
    const loaded = loadRules(input.source, input.format);
    if (!loaded.ok) return { ok: false, errors: loaded.errors };
    const after = await db.transaction(async (t) => {
      const tx = t as unknown as Db;
      const written = await writeRulesDocument(tx, RULES_KEY, input, actorId);
      // The first version is the installation's, not a change: only what replaces a version is audited.
      if (written.before) {
        await recordAudit(tx, [
          {
            actorId,
            action: 'rules.update',
            entity: 'rules',
            entityId: RULES_KEY,
            before: { version: written.before.version, rules: ruleIds(written.before.source, written.before.format) },
            after: { version: written.after.version, rules: loaded.document.rules.map((r) => r.id) },
            reason,
          },
        ]);
      }
      return written.after;
    });
    compiled = { version: after.version, rules: loaded.rules };
    checkedAt = Date.now();
    opts.onChange?.(after.version);
    return { ok: true, view: { ...after, updatedBy: after.updatedBy } };
  }

  // First start: the file's document (or an empty one) becomes version 1.
  if ((await rulesVersion(db, RULES_KEY)) === null) {
    const source = opts.file ? await readFile(opts.file, 'utf8') : EMPTY_DOCUMENT;
    const seeded = await save({ format: opts.file ? formatOf(opts.file) : 'yaml', source }, null, opts.file ? `first start: ${opts.file}` : 'first start');
    if (!seeded.ok) throw new Error(`the rules file ${opts.file} does not load: ${seeded.errors.map((e) => `line ${e.line} ${e.path}: ${e.message}`).join('; ')}`);
  }
  await refresh();

  let watcher: RulesWatcher | null = null;
  if (opts.file && opts.watch) {
    const file = opts.file;
    watcher = watchRules(file, {
      onLoad: (_rules, _document, text) => {
        void (async () => {
          const stored = await readRulesDocument(db, RULES_KEY);
          if (stored?.source === text) return;
          const saved = await save({ format: formatOf(file), source: text }, null, `rules file ${file} edited`);
          if (!saved.ok) opts.onError?.(`rules file ${file}: ${saved.errors.map((e) => e.message).join('; ')}`);
        })().catch((error: unknown) => opts.onError?.(`rules file ${file}: ${(error as Error).message}`));
      },
      onError: (errors) => opts.onError?.(`rules file ${file} not applied: ${errors.map((e) => `line ${e.line} ${e.path}: ${e.message}`).join('; ')}`),
    });
  }

  return {
    get() {
      if (Date.now() - checkedAt < checkMs) return Promise.resolve(compiled.rules);
      reading ??= refresh().finally(() => (reading = null));
      return reading;
    },
    async view() {
      const stored = await readRulesDocument(db, RULES_KEY);
      return stored
        ? { brand: stored.brand, format: stored.format, source: stored.source, version: stored.version, updatedAt: stored.updatedAt, updatedBy: stored.updatedBy }
        : { brand: RULES_KEY, format: 'yaml', source: EMPTY_DOCUMENT, version: 0, updatedAt: null, updatedBy: null };
    },
    save,
    invalidate() {
      checkedAt = 0;
    },
    close() {
      watcher?.close();
    },
  };
}

/** The rule ids of a stored document, for the audit's "before". */
function ruleIds(source: string, format: 'yaml' | 'json'): string[] {
  const loaded = loadRules(source, format);
  return loaded.ok ? loaded.document.rules.map((r) => r.id) : [];
}
