/**
 * Loading a rules document: YAML or JSON text → a compiled rule set, or
 * errors that name the line and the field ("line 14, rules[2].when.threshold:
 * expected a number"). The YAML parser reads both formats, so one position map
 * serves both; JSON is also held to JSON's own syntax.
 */
import { isMap, isNode, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { ACTION_TYPES, DEVICE_KINDS, formatPath, MESSAGE_KINDS, type RuleError, RulesDocumentSchema, type RulesDocument } from '../../shared/rules';
import { compileRules, type RuleSet } from './engine';

export type RulesFormat = 'yaml' | 'json';

export type LoadResult = { ok: true; rules: RuleSet; document: RulesDocument } | { ok: false; errors: RuleError[] };

/** `format` from a file name: .json is JSON, anything else YAML. */
export const formatOf = (path: string): RulesFormat => (path.toLowerCase().endsWith('.json') ? 'json' : 'yaml');

export function loadRules(text: string, format: RulesFormat): LoadResult {
  const lines = new LineCounter();
  // `json` schema for JSON: no YAML-only scalars (yes/no, unquoted strings) sneak in.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, schema: format === 'json' ? 'json' : 'core', uniqueKeys: true });
  const lineAt = (offset: number) => lines.linePos(offset).line;

  if (doc.errors.length > 0) return { ok: false, errors: doc.errors.map((e) => ({ line: lineAt(e.pos[0]), path: '', message: e.message })) };
  if (format === 'json') {
    const error = jsonSyntaxError(text);
    if (error) return { ok: false, errors: [{ line: error.offset === null ? 0 : lineAt(error.offset), path: '', message: error.message }] };
  }

  const parsed = RulesDocumentSchema.safeParse(doc.toJS());
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.flatMap((issue) => toErrors(issue, doc, lineAt)) };
  return { ok: true, rules: compileRules(parsed.data.rules), document: parsed.data };
}

/** JSON.parse's verdict; the offset from its message when it gives one (newer Node), else of a trailing comma. */
function jsonSyntaxError(text: string): { offset: number | null; message: string } | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const message = (e as Error).message;
    const position = /position (\d+)/.exec(message);
    const trailing = /,\s*[\]}]/.exec(text);
    return { offset: position ? Number(position[1]) : trailing ? trailing.index : null, message: `not valid JSON: ${message}` };
  }
}

type Issue = z.core.$ZodIssue;

function toErrors(issue: Issue, doc: Document, lineAt: (offset: number) => number): RuleError[] {
  const path = issue.path as (string | number)[];
  if (issue.code === 'unrecognized_keys') {
    // Point at each unknown key itself, not at the map holding it.
    const map = doc.getIn(path, true);
    return issue.keys.map((key) => {
      const pair = isMap(map) ? map.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === key) : undefined;
      const node = pair && isNode(pair.key) ? pair.key : nearestNode(doc, path);
      return { line: node?.range ? lineAt(node.range[0]) : 0, path: formatPath([...path, key]), message: `unknown field "${key}"` };
    });
  }
  const node = nearestNode(doc, path);
  return [{ line: node?.range ? lineAt(node.range[0]) : 0, path: formatPath(path), message: describe(issue) }];
}

/** The node at `path`, or (for a missing field) the closest one above it. */
function nearestNode(doc: Document, path: (string | number)[]): Node | null {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node)) return node;
  }
  return null;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** zod's messages, said the way an admin reads them. */
function describe(issue: Issue): string {
  if (issue.code === 'invalid_type') {
    const received = /received (\w+)/.exec(issue.message)?.[1];
    if (received === 'undefined') return `required: expected ${article(issue.expected)}`;
    return `expected ${article(issue.expected)}${received ? `, got ${article(received)}` : ''}`;
  }
  if (issue.code === 'invalid_union' && issue.discriminator) {
    const known = issue.discriminator === 'type' ? ACTION_TYPES : [...DEVICE_KINDS, ...MESSAGE_KINDS];
    return `expected one of ${known.join(', ')}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'array') return `expected at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`;
  return issue.message.replace(/^(Invalid (input|option)|Too (small|big)): /, '');
}
