/** Message rule kinds on any channel: keywords in any script, language, sentiment, influence, channel (src/hub/rules/engine.ts). */
import { describe, expect, it } from 'vitest';
import { compileRules, type CustomerFacts, evaluateMessage, type RuleMessage, type RuleSet } from '../../src/hub/rules/engine';
import { keywordMatcher } from '../../src/hub/rules/keywords';
import { type RuleInput, RuleSchema } from '../../src/shared/rules';

const OPEN = { type: 'open_case', queue: 'Social', subject: '{author} on {channel}: {keyword}' } as const;
const rules = (...inputs: Omit<RuleInput, 'id' | 'name' | 'then'>[]): RuleSet =>
  compileRules(inputs.map((r, i) => RuleSchema.parse({ id: `m${i}`, name: `Rule ${i}`, then: [OPEN], ...r })));

const message = (body: string, more: Partial<RuleMessage> = {}): RuleMessage => ({
  id: '0190a1b2-0000-7000-8000-0000000000aa',
  channel: 'x',
  author: '@ana',
  body,
  language: 'en',
  sentiment: 0,
  influence: 10,
  ...more,
});
const fires = (set: RuleSet, m: RuleMessage, customer: CustomerFacts | null = null) => evaluateMessage(set, m, customer).map((f) => f.because);

describe('keywords', () => {
  it('match whole words, any case, in any script', () => {
    const find = (keywords: string[], text: string) => keywordMatcher(keywords).find(text);
    expect(find(['сломан'], 'Мой роутер СЛОМАН, помогите')).toEqual(['сломан']);
    expect(find(['сломан'], 'сломанный роутер')).toEqual([]);
    expect(find(['bilun'], 'Þjónustan er í BILUN!')).toEqual(['bilun']);
    expect(find(['þjónusta'], 'ÞJÓNUSTA við viðskiptavini')).toEqual(['þjónusta']);
    expect(find(['þjónusta'], 'þjónustudeild')).toEqual([]);
    expect(find(['rusak'], 'HP saya rusak.')).toEqual(['rusak']);
    expect(find(['rusak'], 'kerusakan layar')).toEqual([]);
    expect(find(['rusak'], 'jangan merusak')).toEqual([]);
    expect(find(['сломан'], 'он несломан')).toEqual([]);
    expect(find(['refund'], 'no refunds here')).toEqual([]);
    expect(find(['refund now', 'refund'], 'I want a REFUND   now.')).toEqual(['refund now']);
    expect(find(['c++'], 'my c++ build')).toEqual(['c++']);
  });
  it('fire on any keyword by default, or only on all of them', () => {
    const any = rules({ when: { kind: 'keywords', keywords: ['outage', 'сбой'] } });
    expect(fires(any, message('Сбой again!'))).toEqual(['@ana on x: mentions "сбой"']);
    expect(fires(any, message('all good'))).toEqual([]);
    const all = rules({ when: { kind: 'keywords', keywords: ['router', 'broken'], match: 'all' } });
    expect(fires(all, message('the router is broken'))).toHaveLength(1);
    expect(fires(all, message('the router is fine'))).toEqual([]);
  });
  it('fill the subject with author, channel and keyword', () => {
    const set = rules({ when: { kind: 'keywords', keywords: ['outage'] } });
    expect(evaluateMessage(set, message('OUTAGE in Reykjavík'), null)[0]!.actions[0]).toMatchObject({ subject: '@ana on x: outage' });
  });
  it('may be limited to some channels', () => {
    const set = rules({ when: { kind: 'keywords', keywords: ['outage'], channels: ['email'] } });
    expect(fires(set, message('outage'))).toEqual([]);
    expect(fires(set, message('outage', { channel: 'email' }))).toHaveLength(1);
  });
});

describe('language', () => {
  const set = rules({ when: { kind: 'language', languages: ['ru', 'is'] } });
  it('fires for the languages named, a region included', () => {
    expect(fires(set, message('Привет', { language: 'ru' }))).toEqual(['@ana on x: written in ru']);
    expect(fires(set, message('Halló', { language: 'is-IS' }))).toHaveLength(1);
  });
  it('does not fire for another or an unknown language', () => {
    expect(fires(set, message('Halo', { language: 'id' }))).toEqual([]);
    expect(fires(set, message('?', { language: null }))).toEqual([]);
    expect(fires(set, message('?', { language: 'rue' }))).toEqual([]);
  });
});

describe('sentiment', () => {
  const set = rules({ when: { kind: 'sentiment', below: -0.5 } });
  it('fires below the value only', () => {
    expect(fires(set, message('awful', { sentiment: -0.8 }))).toEqual(['@ana on x: sentiment -0.8 below -0.5']);
    expect(fires(set, message('meh', { sentiment: -0.5 }))).toEqual([]);
    expect(fires(set, message('?', { sentiment: null }))).toEqual([]);
  });
});

describe('author influence', () => {
  const set = rules({ when: { kind: 'influence', above: 70 } });
  it('fires above the value only', () => {
    expect(fires(set, message('hi', { influence: 85 }))).toEqual(['@ana on x: author influence 85 above 70']);
    expect(fires(set, message('hi', { influence: 70 }))).toEqual([]);
    expect(fires(set, message('hi', { influence: null }))).toEqual([]);
  });
});

describe('channel', () => {
  const set = rules({ when: { kind: 'channel', channels: ['mastodon', 'bluesky'] } });
  it('fires for the channels named only', () => {
    expect(fires(set, message('hi', { channel: 'bluesky' }))).toEqual(['@ana on bluesky: arrived on bluesky']);
    expect(fires(set, message('hi', { channel: 'x' }))).toEqual([]);
  });
});

describe('conditions and subject', () => {
  const customer: CustomerFacts = { id: '0190a1b2-0000-7000-8000-000000000001', name: 'Ana', plan: 'basic', entitlement: null, lifetimeValue: 50, openCases: 0 };
  it('read the customer, and the firing joins by customer when known, by author when not', () => {
    const set = rules({ when: { kind: 'channel', channels: ['x'] }, customer: { plans: ['basic'] } });
    const [firing] = evaluateMessage(set, message('hi'), customer);
    expect(firing).toMatchObject({ customerId: customer.id, subjectKey: `customer:${customer.id}`, because: '@ana on x: arrived on x; customer Ana: basic plan' });
    expect(evaluateMessage(set, message('hi'), { ...customer, plan: 'plus' })).toEqual([]);
    expect(evaluateMessage(rules({ when: { kind: 'channel', channels: ['x'] } }), message('hi'), null)[0]!.subjectKey).toBe('author:x:@ana');
  });
  it('records the message that fired', () => {
    const [firing] = evaluateMessage(rules({ when: { kind: 'channel', channels: ['x'] } }), message('hi'), null, new Date('2026-11-29T10:00:00Z'));
    expect(firing).toMatchObject({ message: { id: '0190a1b2-0000-7000-8000-0000000000aa', channel: 'x', author: '@ana' }, at: '2026-11-29T10:00:00.000Z', deviceId: null });
  });
});
