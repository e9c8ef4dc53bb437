/**
 * The SLA policies and queue calendars (src/shared/sla.ts), as the hub last said them (GET /api/settings/sla on
 * every connect, `sla:changed` live): the countdown of each case follows its own policy — its paused statuses,
 * warning lead and business hours — offline too. Kept in meta; held in memory as well, since every queue item
 * read is given its case's clock (`viewOf`).
 */
import type { Case } from '../../../../shared/domain';
import type { Plan } from '../../../../shared/entitlements';
import { SlaSettingsSchema } from '../../../../shared/protocol';
import { type CaseClockView, caseClockView, caseSlaOf, DEFAULT_SLA_DOCUMENT, type SlaDocument } from '../../../../shared/sla';
import type { MetaRepo } from './meta';

const KEY = 'sla';

export function createSlaRepo(meta: MetaRepo) {
  let current = stored(meta.get(KEY));
  return {
    current: (): SlaDocument => current,
    /** Keeps the hub's document; true when it differs from the one in force. */
    keep(doc: SlaDocument): boolean {
      const value = JSON.stringify(doc);
      if (value === JSON.stringify(current)) return false;
      meta.set(KEY, value);
      current = doc;
      return true;
    },
    /** The clock of one case by its own policy: the hub's choice (caseSlaOf) from its customer's plan and its queue. */
    viewOf: (c: Pick<Case, 'status' | 'queueId'>, plan: Plan | null): CaseClockView => caseClockView(caseSlaOf(current, plan, c.queueId), c.status),
  };
}
export type SlaRepo = ReturnType<typeof createSlaRepo>;

/** Before the hub first said (or if what was kept no longer parses): the default policy, as the hub's own. */
function stored(raw: string | null): SlaDocument {
  if (!raw) return DEFAULT_SLA_DOCUMENT;
  try {
    return SlaSettingsSchema.parse(JSON.parse(raw));
  } catch {
    return DEFAULT_SLA_DOCUMENT;
  }
}
