import type { Priority } from '../../shared/domain';
import { DEFAULT_SLA_POLICY, firstResponseDueAt } from '../../shared/sla';

/**
 * A new case's first-response due time, from the shared SLA clock
 * (src/shared/sla.ts). The default policy runs 24/7 with today's targets
 * (urgent 1 h, high 4 h, normal 24 h, low 72 h) until policies are stored and
 * edited by admins; without pauses it always has a due time.
 */
export function slaDueAt(priority: Priority, from: Date): Date {
  return firstResponseDueAt(DEFAULT_SLA_POLICY, priority, from)!;
}
