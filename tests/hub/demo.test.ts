import { describe, expect, it } from 'vitest';
import { buildDemoData, DEMO_DEVICE, DEMO_USERS } from '../../src/hub/demo/dataset';
import { asciiName } from '../../src/hub/demo/ascii';

/** The dataset with its ids replaced by positions, so two builds can be compared. */
function content(data: ReturnType<typeof buildDemoData>) {
  const index = new Map<string, string>();
  for (const [kind, rows] of Object.entries({ queue: data.queues, user: data.users, customer: data.customers, case: data.cases })) {
    rows.forEach((row, i) => index.set(row.id, `${kind}#${i}`));
  }
  const ref = (id: string | null) => (id === null ? null : (index.get(id) ?? id));
  return {
    customers: data.customers.map(({ id: _id, ...c }) => c),
    devices: data.devices.map((d) => ({ ...d, ownerId: ref(d.ownerId) })),
    cases: data.cases.map(({ id: _id, ...c }) => ({ ...c, customerId: ref(c.customerId), queueId: ref(c.queueId), assigneeId: ref(c.assigneeId) })),
    messages: data.messages.map(({ id: _id, ...m }) => ({ ...m, caseId: ref(m.caseId) })),
  };
}

describe('demo dataset', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('is the same on every build (seeded), apart from the freshly minted ids', () => {
    const a = buildDemoData(now);
    const b = buildDemoData(now);
    expect(a.cases[0]!.id).not.toBe(b.cases[0]!.id);
    expect(content(a)).toEqual(content(b));
  });

  it('keeps car-0001 clean and gives every listed user their queues', () => {
    const data = buildDemoData(now);
    expect(data.devices.find((d) => d.id === DEMO_DEVICE)).toMatchObject({ health: 'ok' });
    expect(data.cases.filter((c) => c.deviceId === DEMO_DEVICE)).toHaveLength(0);
    const queueName = new Map(data.queues.map((q) => [q.id, q.name]));
    for (const spec of DEMO_USERS) {
      const user = data.users.find((u) => u.username === spec.username)!;
      expect(user.queues.map((q) => queueName.get(q))).toEqual(spec.queues);
    }
  });

  it('spells mailboxes and handles in ASCII, whatever the script of the name', () => {
    expect(asciiName('Guðrún Jónsdóttir')).toBe('gudrun.jonsdottir');
    expect(asciiName('Þórður Ævarsson')).toBe('thordur.aevarsson');
    expect(asciiName('Анна Смирнова')).toBe('anna.smirnova');
    expect(asciiName('Budi Santoso', '_')).toBe('budi_santoso');
    for (const c of buildDemoData(now).customers) expect(c.email).toMatch(/^[a-z.]+@example\.[a-z]+$/);
  });
});
