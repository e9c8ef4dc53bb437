/** An audit entry's change in words: each field from → to, ids as the names this console knows, a member list as who joined and who left. */
import type { AuditEntry } from '../../../../shared/audit';
import { i18n } from '../../i18n';
import { awayReasonLabel } from '../../i18n/presence';

export interface ChangePart {
  key: string;
  /** null: nothing before (a creation, or a field only the change has). */
  from: string | null;
  to: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The fields entries carry, named in the current language; another field shows its own key. */
const LABELED = new Set(['queueId', 'assigneeId', 'userIds', 'name', 'presence', 'reason', 'role', 'skills', 'capacity', 'description']);
const label = (key: string): string => (LABELED.has(key) ? i18n.t(`audit.fields.${key}` as never) : key);
/** The stored JSON keeps no key order (Postgres jsonb): what matters most first, the rest by name. */
const ORDER = ['name', 'presence', 'reason', 'role', 'skills', 'capacity', 'queueId', 'assigneeId', 'description', 'userIds'];
const rank = (key: string) => (ORDER.includes(key) ? ORDER.indexOf(key) : ORDER.length);

const asRecord = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

function show(value: unknown, name: (id: string) => string): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return UUID.test(value) ? name(value) : value;
  if (Array.isArray(value)) return value.length ? value.map((v) => show(v, name)).join(', ') : '—';
  return JSON.stringify(value);
}

export function changeOf(entry: Pick<AuditEntry, 'before' | 'after'>, name: (id: string) => string): { parts: ChangePart[]; text: string } {
  const before = asRecord(entry.before);
  const after = asRecord(entry.after);
  const parts: ChangePart[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const key of keys) {
    const shown = label(key);
    // A presence's `reason` is an away reason: a usual one stored as its key, shown in the reader's language.
    const [was, is] = key === 'reason' ? [before[key], after[key]].map((v) => (typeof v === 'string' ? awayReasonLabel(v) : v)) : [before[key], after[key]];
    if (Array.isArray(was) && Array.isArray(is)) {
      // A member list: who joined (+) and who left (−) says more than two long lists.
      const joined = is.filter((x) => !was.includes(x)).map((x) => `+${show(x, name)}`);
      const left = was.filter((x) => !is.includes(x)).map((x) => `−${show(x, name)}`);
      parts.push({ key: shown, from: null, to: [...joined, ...left].join(' ') || i18n.t('audit.unchanged') });
    } else if (!(key in after)) {
      // A field the change did not touch (a move of the assignee only keeps its queue).
      continue;
    } else if (!(key in before) || show(was, name) !== show(is, name)) {
      // Unchanged fields (a move that kept the queue) say nothing.
      parts.push({ key: shown, from: key in before ? show(was, name) : null, to: show(is, name) });
    }
  }
  const text = parts.map((p) => `${p.key}: ${p.from === null ? '' : `${p.from} → `}${p.to}`).join('; ');
  return { parts, text };
}
