/** The audit log's wire shapes: what `GET /api/audit` answers and takes. */
import { z } from 'zod';

/** What is recorded: each names the change, its entity type follows from it. */
export const AUDIT_ACTIONS = [
  'case.assign',
  'consent.override',
  'customer.consent',
  'presence.override',
  'user.create',
  'user.update',
  'user.sign_out',
  'queue.create',
  'queue.update',
  'queue.members',
  'settings.channels',
  'rules.update',
  'sla.update',
  'plans.update',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Why an admin made a change, as they typed it: kept with its audit row. */
export const AuditReasonSchema = z.string().trim().max(500);

export const AuditEntrySchema = z.object({
  id: z.uuid(),
  at: z.iso.datetime({ offset: true }),
  actorId: z.uuid().nullable(),
  action: z.enum(AUDIT_ACTIONS),
  entity: z.string(),
  entityId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z
  .object({
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    actor: z.uuid().optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    /** Only entries about this case: the case is what changed, or what changed names it (a consent override names its case). */
    caseId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(500),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

/**
 * The console's audit filter (`audit.list`, `audit.export`): the hub's query,
 * with the case by number or id, which the console core resolves to the id.
 */
export const AuditFilterSchema = z
  .object({
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    actor: z.uuid().optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    /** A case number (`1042`, `#1042`) or a case id. */
    case: z.string().trim().min(1).max(60).optional(),
    limit: z.number().int().min(1).max(10_000).default(500),
  })
  .strict();
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

const CSV_COLUMNS = ['id', 'at', 'actorId', 'action', 'entity', 'entityId', 'before', 'after', 'reason'] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break.
 * A field a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is
 * prefixed with an apostrophe: a reason or a name is someone's typing (OWASP CSV injection).
 */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The audit log as CSV, the columns of an entry in its order. */
export function auditCsv(entries: AuditEntry[]): string {
  const lines = [CSV_COLUMNS.join(','), ...entries.map((entry) => CSV_COLUMNS.map((column) => csvField(entry[column])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
