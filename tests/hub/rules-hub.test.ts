/**
 * Rules as data on a running hub: admins read, check and replace the
 * document (line-and-field errors, audited, applied at once); device
 * readings and inbound messages go through the rules in force, and each
 * firing is recorded and shown on its case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Mention, Message } from '../../src/shared/domain';
import type { RuleFiring, RuleNotice, RulesDocumentView } from '../../src/shared/rules';
import { backends, startTestHub, type TestHub } from './backends';
import { casesFor, connectSocket, pullAll, queueNamed, reading, rowsOf, waitFor } from './helpers';
import { newXUser, postX, tweet, X_BRAND, xActivity } from './x-webhooks';

const put = (hub: TestHub, token: string, body: unknown) =>
  fetch(new URL('/api/admin/rules', hub.url), { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

const RULES = `version: 1
brand: demo
rules:
  - id: hot-once
    name: Engine hot
    when: { kind: threshold, metric: engine_temp, operator: ">", threshold: 150 }
    then:
      - { type: open_case, queue: Devices, subject: "{device}: {metric} {value}", priority: urgent, severity: critical }
  - id: outage-words
    name: Outage reported
    when: { kind: keywords, keywords: [outage, blackout], channels: [x] }
    then:
      - { type: set_priority, priority: urgent }
      - { type: add_tags, tags: [outage] }
      - { type: notify, role: supervisor }
  - id: angry-mention
    name: Angry mention
    when: { kind: sentiment, below: -0.3, channels: [x] }
    then:
      - { type: open_case, queue: Social, subject: "Angry post by {author}", priority: high }
`;

describe.each(backends)('rules as data on $name', (backend) => {
  let hub: TestHub;
  let admin: string;
  let ana: string;
  let sam: string;

  beforeAll(async () => {
    hub = await startTestHub(backend);
    [admin, ana, sam] = await Promise.all([hub.login('admin'), hub.login('ana'), hub.login('sam')]);
  });
  afterAll(() => hub?.close());

  it('gives the document to admins only, and refuses a bad one with its line and field, changing nothing', async () => {
    expect((await hub.get('/api/admin/rules', ana)).status).toBe(403);
    expect((await put(hub, ana, { format: 'yaml', source: RULES })).status).toBe(403);
    const before = (await (await hub.get('/api/admin/rules', admin)).json()) as RulesDocumentView;
    // The demo's document, stored at first start.
    expect(before).toMatchObject({ format: 'yaml', version: 1 });
    expect(before.source).toContain('engine-overheating');

    const bad = RULES.replace('threshold: 150', 'threshold: hot');
    const checked = (await (await hub.post('/api/admin/rules/check', { format: 'yaml', source: bad }, admin)).json()) as { ok: boolean; errors: { line: number; path: string }[] };
    expect(checked.ok).toBe(false);
    expect(checked.errors[0]).toMatchObject({ line: 6, path: 'rules[0].when.threshold' });
    const refused = await put(hub, admin, { format: 'yaml', source: bad });
    expect(refused.status).toBe(422);
    expect(((await (await hub.get('/api/admin/rules', admin)).json()) as RulesDocumentView).version).toBe(1);
  });

  it('applies a saved document at once, audited, and records each firing on its case', async () => {
    const saved = await put(hub, admin, { format: 'yaml', source: RULES, reason: 'outage season' });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as RulesDocumentView).version).toBe(2);
    const audit = (await (await hub.get('/api/audit?action=rules.update', admin)).json()) as { entries: { after: { version: number }; reason: string | null }[] };
    expect(audit.entries[0]).toMatchObject({ after: { version: 2 }, reason: 'outage season' });

    // One reading over 150 is enough under the new document (the demo's needed three over 110).
    const response = await fetch(new URL('/api/devices/car-0003/telemetry', hub.url), {
      method: 'POST',
      headers: { authorization: 'Bearer demo-token-car-0003', 'content-type': 'application/json' },
      body: JSON.stringify([reading(151, 'engine_temp')]),
    });
    const { casesOpened } = (await response.json()) as { casesOpened: string[] };
    expect(casesOpened).toHaveLength(1);
    const firings = (await (await hub.get(`/api/cases/${casesOpened[0]}/firings`, ana)).json()) as { firings: RuleFiring[] };
    expect(firings.firings).toEqual([expect.objectContaining({ ruleId: 'hot-once', outcome: 'opened', because: 'engine_temp above 150: 151' })]);
    const opened = (await casesFor(hub, ana)).find((c) => c.id === casesOpened[0])!;
    expect(opened).toMatchObject({ priority: 'urgent', subject: 'car-0003: engine_temp 151' });
    // Whoever may not see the case may not see its firings.
    expect((await hub.get(`/api/cases/${casesOpened[0]}/firings`, await hub.login('ivan'))).status).toBe(404);
  });

  it('runs the message rules on what the channels bring: priority, tags and a notice on a case; a mention made a case', async () => {
    const socket = connectSocket(hub.url, sam);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const notices: RuleNotice[] = [];
    socket.on('rule:notify', (notice: RuleNotice) => notices.push(notice));
    const cursor = 0;

    const fan = newXUser('outagefan');
    const addressed = tweet(fan, '@switchboard is there an outage in the north?', { inReplyToUser: X_BRAND, lang: 'en' });
    const angry = tweet(newXUser('angryfan'), 'switchboard support is terrible, awful and useless, I hate it', { lang: 'en' });
    const calm = tweet(newXUser('calmfan'), 'switchboard has a nice new thermostat', { lang: 'en' });
    expect((await postX(hub.url, xActivity({ tweets: [addressed, angry, calm] }))).status).toBe(200);

    const { changes } = await pullAll(hub, sam, cursor);
    const caseOf = (externalId: string) => {
      const message = rowsOf<Message>(changes, 'message').find((m) => m.externalId === externalId);
      return message && rowsOf<Case>(changes, 'case').findLast((c) => c.id === message.caseId);
    };
    const outage = caseOf(addressed.id_str)!;
    // Urgent by the keywords; the negative wording also routes it to Social, which does not lower it.
    expect(outage).toMatchObject({ priority: 'urgent', queueId: (await queueNamed(hub, sam, 'Social')).id });
    expect(outage.tags).toContain('outage');
    const outageFirings = (await (await hub.get(`/api/cases/${outage.id}/firings`, sam)).json()) as { firings: RuleFiring[] };
    expect(outageFirings.firings.map((f) => [f.ruleId, f.outcome])).toEqual([
      ['outage-words', 'updated'],
      ['angry-mention', 'updated'],
    ]);
    await waitFor(async () => (notices.length > 0 ? true : undefined));
    expect(notices[0]).toMatchObject({ ruleId: 'outage-words', caseId: outage.id, role: 'supervisor' });

    // The angry mention became a case in Social, its post the case's message; the calm one stays in the inbox.
    const mentions = rowsOf<Mention>(changes, 'mention');
    const angryMention = mentions.findLast((m) => m.externalId === angry.id_str)!;
    expect(angryMention).toMatchObject({ status: 'converted' });
    const angryCase = rowsOf<Case>(changes, 'case').findLast((c) => c.id === angryMention.caseId)!;
    expect(angryCase).toMatchObject({ priority: 'high' });
    expect(mentions.findLast((m) => m.externalId === calm.id_str)).toMatchObject({ status: 'new', caseId: null });
    const firings = (await (await hub.get(`/api/cases/${angryCase.id}/firings`, sam)).json()) as { firings: RuleFiring[] };
    expect(firings.firings).toEqual([expect.objectContaining({ ruleId: 'angry-mention', outcome: 'opened' })]);
    socket.close();
  });
});
