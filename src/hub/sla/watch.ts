/**
 * The breach watcher: every tick each hub looks for open cases whose
 * first-response target (no reply sent yet) or resolution target falls due
 * within the warning window, or has passed; records a `warning` or `breach`
 * in `sla_events` once per case, target and due time (a unique constraint:
 * several hubs tick, the insert that lands tells), and sends `sla:warning` /
 * `sla:breach` to the assignee's room and to those who oversee — not to the
 * queue: another agent does not need it.
 *
 * Each case by its own policy (its customer's plan, its queue's calendar:
 * src/shared/sla.ts caseSlaOf), read as the console's countdown reads it
 * (`countdownState`): a case in one of its policy's paused statuses is not
 * warned about — its clock stands still — and the warning goes out when less
 * business time is left than the policy's warning lead, the instant the
 * console turns the case "at risk". A due time older than the look-back
 * (default a day) is left alone, so a hub started on old data does not flood
 * consoles.
 */
import { periodic } from '../ops/periodic';
import { and, eq, gte, inArray, isNotNull, lte, notInArray, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { type CaseStatus, DONE_STATUSES } from '../../shared/domain';
import type { Plan } from '../../shared/entitlements';
import type { SlaAlert, SlaTarget } from '../../shared/protocol';
import { caseClockView, caseSlaOf, countdownState } from '../../shared/sla';
import type { Db } from '../db/connect';
import { cases, customers, slaEvents } from '../db/schema';
import { type LiveServer, overseerRooms } from '../live/io';
import type { SlaSettingsSource } from './policies';

export interface SlaWatchOptions {
  /** How often each hub looks (default 30 s; tests set it long and call `check`). */
  intervalMs?: number;
  /** How long before a due time the warning goes out, for every policy alike; unset, each policy's own `warnLeadMinutes`. */
  warnMinutes?: number;
  /** Due times further back than this are not told (default 24 hours). */
  lookBackMinutes?: number;
}

export const SLA_WATCH_DEFAULTS = { intervalMs: 30_000, lookBackMinutes: 24 * 60 } as const;

/** Business time left can be less than the plain time left by the hours nobody works: a weekend and a holiday. */
const OFF_HOURS_SLACK_MS = 4 * 24 * 3_600_000;

export interface SlaWatch {
  /** Looks once at `now` (tests pass their own clock); the alerts this hub recorded and sent. */
  check(now?: Date): Promise<SlaAlert[]>;
  stop(): Promise<void>;
}

export function watchSla(io: LiveServer, db: Db, settings: SlaSettingsSource, log: Logger, opts: SlaWatchOptions = {}): SlaWatch {
  const intervalMs = opts.intervalMs ?? SLA_WATCH_DEFAULTS.intervalMs;
  const lookBackMs = (opts.lookBackMinutes ?? SLA_WATCH_DEFAULTS.lookBackMinutes) * 60_000;

  async function run(now: Date, stopped: () => boolean): Promise<SlaAlert[]> {
    const doc = await settings.current();
    const policies = [doc.policies.default, ...Object.values(doc.policies.byPlan)];
    const leadMs = Math.max(...policies.map((p) => opts.warnMinutes ?? p.warnLeadMinutes)) * 60_000;
    const businessHours = [...policies.map((p) => p.calendar), ...Object.values(doc.queueCalendars)].some((c) => c.kind !== 'always');
    // The candidates: every case that any policy could call at risk now; each is then read by its own.
    const soon = new Date(now.getTime() + leadMs + (businessHours ? OFF_HOURS_SLACK_MS : 0));
    const oldest = new Date(now.getTime() - lookBackMs);
    const responded = sql<boolean>`EXISTS (SELECT 1 FROM messages m WHERE m.case_id = ${cases.id} AND m.direction = 'out')`;
    const rows = await db
      .select({
        id: cases.id,
        number: cases.number,
        subject: cases.subject,
        status: cases.status,
        queueId: cases.queueId,
        assigneeId: cases.assigneeId,
        slaDueAt: cases.slaDueAt,
        resolutionDueAt: cases.resolutionDueAt,
        responded,
        plan: customers.plan,
      })
      .from(cases)
      .leftJoin(customers, eq(customers.id, cases.customerId))
      .where(
        and(
          notInArray(cases.status, [...DONE_STATUSES]),
          or(
            and(isNotNull(cases.slaDueAt), lte(cases.slaDueAt, soon), gte(cases.slaDueAt, oldest)),
            and(isNotNull(cases.resolutionDueAt), lte(cases.resolutionDueAt, soon), gte(cases.resolutionDueAt, oldest)),
          ),
        ),
      );
    const sent: SlaAlert[] = [];
    for (const row of rows) {
      // The policy the case's due times came from, and the console's reading of its clock.
      const view = caseClockView(caseSlaOf(doc, row.plan as Plan | null, row.queueId), row.status as CaseStatus);
      if (view.paused) continue;
      const clock = opts.warnMinutes === undefined ? view : { ...view, warnLeadMinutes: opts.warnMinutes };
      const targets: [SlaTarget, Date | null][] = [
        ['first_response', row.responded ? null : row.slaDueAt],
        ['resolution', row.resolutionDueAt],
      ];
      for (const [target, dueAt] of targets) {
        if (!dueAt || dueAt < oldest) continue;
        // The shared clock's reading of what is left: the console's countdown turns at the same instants.
        const state = countdownState(dueAt, now.getTime(), false, clock);
        if (state === 'ok' || state === 'none') continue;
        const kind = state === 'breached' ? 'breach' : 'warning';
        const id = uuidv7();
        const inserted = await db
          .insert(slaEvents)
          .values({ id, caseId: row.id, target, kind, dueAt, assigneeId: row.assigneeId, at: now })
          .onConflictDoNothing()
          .returning({ id: slaEvents.id });
        if (inserted.length === 0 || stopped()) continue;
        const alert: SlaAlert = {
          id,
          kind,
          target,
          caseId: row.id,
          caseNumber: row.number,
          subject: row.subject,
          queueId: row.queueId,
          assigneeId: row.assigneeId,
          dueAt: dueAt.toISOString(),
          at: now.toISOString(),
        };
        io.to([...overseerRooms(), ...(row.assigneeId ? [`user:${row.assigneeId}`] : [])]).emit(kind === 'breach' ? 'sla:breach' : 'sla:warning', alert);
        sent.push(alert);
      }
    }
    if (sent.length > 0) log.info({ warnings: sent.filter((a) => a.kind === 'warning').length, breaches: sent.filter((a) => a.kind === 'breach').length }, 'sla alerts');
    return sent;
  }

  return periodic(run, { intervalMs, log, what: 'sla check' });
}

/** The events recorded for a case, oldest first (tests and a later case view). */
export async function slaEventsOf(db: Db, caseIds: string[]) {
  if (caseIds.length === 0) return [];
  return db.select().from(slaEvents).where(inArray(slaEvents.caseId, caseIds)).orderBy(slaEvents.at, slaEvents.id);
}
