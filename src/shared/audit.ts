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
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

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
    limit: z.coerce.number().int().min(1).max(10_000).default(500),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuerySchema>;
