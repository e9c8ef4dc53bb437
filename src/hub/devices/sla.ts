import type { Priority } from '../../shared/domain';

// First-response targets until SLA policies are configurable (admin issue).
const SLA_HOURS: Record<Priority, number> = { urgent: 1, high: 4, normal: 24, low: 72 };

export function slaDueAt(priority: Priority, from: Date): Date {
  return new Date(from.getTime() + SLA_HOURS[priority] * 3_600_000);
}
