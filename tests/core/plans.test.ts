/**
 * The plan table an admin saves weighs in every console's queue order: the
 * entitlement is a factor of the priority score (src/shared/priority.ts), so a
 * console fetches the hub's table on connecting, follows `plans:changed` live,
 * scores its cached cases again, and keeps the table for when it is offline.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import type { QueueItem } from '../../src/shared/api';
import { PLANS } from '../../src/shared/domain';
import type { PlanEntitlement, PlanEntitlements } from '../../src/shared/entitlements';
import { consoleDir, goOffline, loginVia, ok, type ProxiedConsole, proxiedConsole, settle } from './console-fixture';
import { tempDir } from './fixtures';
import { startDemoHub, waitFor } from './hub-fixture';

/** Every plan the same. */
const allPlans = (entitlement: PlanEntitlement) => Object.fromEntries(PLANS.map((plan) => [plan, entitlement])) as PlanEntitlements;
/** The entitlement's reason, when a case's "why" names it ("premium plan"). */
const NAMES_PLAN = new RegExp(`\\b(${PLANS.join('|')}) plan\\b`);

describe('the plan table in the console core', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let admin: ProxiedConsole;
  let sam: ProxiedConsole;

  beforeAll(async () => {
    dir = await tempDir('switchboard-plans-core-');
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
  const save = (entitlements: PlanEntitlements) => ok(admin.core, 'admin.plans.save', { entitlements, reason: 'test' });

  it('scores the queue again when an admin changes what the plans include, and keeps the table offline', async () => {
    // Nobody has support: no case's score counts a plan.
    await save(allPlans({ kind: 'none' }));
    const before = await waitFor(async () => {
      const list = await items(sam);
      return list.length > 0 && list.every((i) => !NAMES_PLAN.test(i.priorityWhy)) ? list : null;
    }, { timeoutMs: 15_000, what: 'no plan counted' });
    const withCustomer = before.filter((i) => i.customerId !== null && i.status !== 'solved' && i.status !== 'closed');
    expect(withCustomer.length).toBeGreaterThan(0);

    // Everyone premium: every active case of a customer rises, live, by the entitlement's weight.
    await save(allPlans({ kind: 'premium' }));
    const after = await waitFor(async () => {
      const list = new Map((await items(sam)).map((i) => [i.id, i]));
      return withCustomer.every((i) => (list.get(i.id)?.priorityScore ?? 0) >= i.priorityScore + 10) ? list : null;
    }, { timeoutMs: 15_000, what: 'scores raised by the premium entitlement' });
    expect(withCustomer.filter((i) => NAMES_PLAN.test(after.get(i.id)!.priorityWhy)).length).toBeGreaterThan(0);

    // Offline and restarted: the table it last heard still scores the queue.
    await goOffline(sam);
    await sam.restart();
    const offline = new Map((await items(sam)).map((i) => [i.id, i]));
    for (const i of withCustomer) expect(offline.get(i.id)!.priorityScore).toBeGreaterThanOrEqual(i.priorityScore + 10);
  });
});
