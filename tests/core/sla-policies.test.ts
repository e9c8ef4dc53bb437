/**
 * The console holds the SLA policies (GET /api/settings/sla on connecting, `sla:changed` live, kept in the
 * cache for offline): each queue item's clock follows its case's own policy — by its customer's plan and its
 * queue, as the hub picks it — so a case shows paused in the statuses its policy pauses on, not the default's.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import type { QueueItem } from '../../src/shared/api';
import { PLANS } from '../../src/shared/domain';
import { BusinessCalendarSchema, DEFAULT_SLA_POLICY, type SlaPolicy } from '../../src/shared/sla';
import { consoleDir, goOffline, loginVia, ok, type ProxiedConsole, proxiedConsole, settle } from './console-fixture';
import { tempDir } from './fixtures';
import { startDemoHub, waitFor } from './hub-fixture';

/** Every plan's policy pauses on hold and not while pending; the default (cases without a customer) the other way round. */
const onHold: SlaPolicy = { ...DEFAULT_SLA_POLICY, name: 'Paused on hold', pausedStatuses: ['on_hold'], warnLeadMinutes: 240 };
const day = [{ start: '08:00', end: '16:00' }];
const office = BusinessCalendarSchema.parse({ kind: 'business', timeZone: 'Atlantic/Reykjavik', week: { mon: day, tue: day, wed: day, thu: day, fri: day } });

describe('SLA policies in the console core', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let admin: ProxiedConsole;
  let sam: ProxiedConsole;

  beforeAll(async () => {
    dir = await tempDir('switchboard-sla-core-');
    hub = await startDemoHub(join(dir.path, 'hub'));
    [admin, sam] = await Promise.all([proxiedConsole(hub.url, consoleDir(dir.path, 'admin')), proxiedConsole(hub.url, consoleDir(dir.path, 'sam'))]);
    await Promise.all([loginVia(admin, 'admin'), loginVia(sam, 'sam')]);
    await settle(sam);
  });
  afterAll(async () => {
    for (const c of [admin, sam]) await c?.close();
    await hub?.close();
    await dir?.remove();
  });

  const items = async (c: ProxiedConsole): Promise<QueueItem[]> => (await ok(c.core, 'cases.list', { limit: 10_000 })).items;
  const withCustomer = (list: QueueItem[], status: string) => list.filter((i) => i.status === status && i.customerId !== null);

  it("shows a case paused in the statuses its own policy pauses on, live, and offline after a restart", async () => {
    const before = await items(sam);
    const held = withCustomer(before, 'on_hold');
    const pending = withCustomer(before, 'pending');
    expect(held.length).toBeGreaterThan(0);
    expect(pending.length).toBeGreaterThan(0);
    // The default policy: pending stops the clock, on hold does not.
    expect(held.every((i) => !i.sla.paused)).toBe(true);
    expect(pending.every((i) => i.sla.paused)).toBe(true);

    const support = (await ok(sam.core, 'queues.list', {})).find((q) => q.name === 'Support')!;
    await ok(admin.core, 'admin.sla.save', {
      policies: { default: DEFAULT_SLA_POLICY, byPlan: Object.fromEntries(PLANS.map((plan) => [plan, onHold])) },
      queueCalendars: { [support.id]: office },
      reason: 'on hold stops the clock',
    });

    // Sam is no admin: the hub's sla:changed reaches every console, and the queue follows each case's policy.
    const after = await waitFor(async () => {
      const list = new Map((await items(sam)).map((i) => [i.id, i]));
      return held.every((i) => list.get(i.id)?.sla.paused) ? list : null;
    }, { timeoutMs: 15_000, what: 'on-hold cases paused by their plan policy' });
    for (const i of held) expect(after.get(i.id)!.sla).toMatchObject({ paused: true, warnLeadMinutes: 240 });
    for (const i of pending) expect(after.get(i.id)!.sla.paused).toBe(false);
    // The queue's business hours replace the policy's calendar for its cases only.
    const calendars = [...after.values()].map((i) => [i.queueId === support.id, i.sla.calendar.kind]);
    expect(calendars.filter(([inSupport]) => inSupport).every(([, kind]) => kind === 'business')).toBe(true);
    expect(calendars.filter(([inSupport]) => !inSupport).every(([, kind]) => kind === 'always')).toBe(true);
    // A case without a customer keeps the default: paused while pending.
    const noCustomer = [...after.values()].filter((i) => i.customerId === null && (i.status === 'pending' || i.status === 'on_hold'));
    for (const i of noCustomer) expect(i.sla.paused).toBe(i.status === 'pending');

    // Offline and restarted: the policies it last heard still decide.
    await goOffline(sam);
    await sam.restart();
    const offline = new Map((await items(sam)).map((i) => [i.id, i]));
    for (const i of held) expect(offline.get(i.id)!.sla.paused).toBe(true);
    for (const i of pending) expect(offline.get(i.id)!.sla.paused).toBe(false);
  });
});
