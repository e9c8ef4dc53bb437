/**
 * Texts made outside the renderer travel as a key and parameters
 * (src/shared/wording.ts) and the window words them
 * (src/renderer/src/i18n/wording.ts): a hub's refusal, the policy's hub
 * lock, a notice the core wrote — in Russian here — and the English when
 * the key is unknown. Every key the hub and core send has a message in
 * every locale.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n, RESOURCES } from '../../src/renderer/src/i18n/instance';
import { errorWords, issueWords, noticeWords, wordText } from '../../src/renderer/src/i18n/wording';
import { ConsentOverrideSchema, consentRefusal, refuseReply } from '../../src/shared/replies';
import { REFUSALS, type RefusalName } from '../../src/shared/policy';
import { REJECTION_NAMES, type RejectionName, refusalOf, rejectionOf } from '../../src/shared/rejections';
import { forbiddenRoleWording, invalidInputWording, wording } from '../../src/shared/wording';

const ru = createI18n('ru');
const en = createI18n('en');

describe('wording what the hub and the core say', () => {
  it('a hub refusal in the user’s language, with its parameters', () => {
    expect(wordText(ru, forbiddenRoleWording(['admin']), 'only admin may do this')).toBe('Это могут делать только администраторы.');
    expect(wordText(ru, forbiddenRoleWording(['supervisor', 'admin']), 'x')).toBe('Это могут делать только супервайзеры и администраторы.');
    expect(wordText(en, wording('hub.loginBackoff', { seconds: 30 }), 'x')).toBe('Too many failed sign-ins to this account from your address: try again in 30 s.');
    expect(wordText(ru, wording('policy.hubLocked', { hubUrl: 'https://hub.corp.example' }), 'x')).toBe('Политика этого рабочего места задаёт хаб https://hub.corp.example: оставьте адрес хаба пустым.');
  });

  it('falls back to the English message for no wording or a key this window does not know', () => {
    expect(wordText(ru, undefined, 'the hub said so')).toBe('the hub said so');
    expect(wordText(ru, wording('hub.somethingNewer'), 'a newer hub’s refusal')).toBe('a newer hub’s refusal');
    expect(errorWords(ru, new Error('plain'))).toBe('plain');
    expect(errorWords(ru, Object.assign(new Error('wrong username or password'), { wording: wording('hub.wrongPassword') }))).toBe('Неверное имя пользователя или пароль.');
  });

  it('the domain policy’s refusals carry their key', () => {
    expect(refusalOf('reassign')).toEqual({ text: REFUSALS.reassign, wording: { key: 'refusal.reassign' } });
    for (const name of Object.keys(REFUSALS) as RefusalName[]) expect(refusalOf(name)).toEqual({ text: REFUSALS[name], wording: { key: `refusal.${name}` } });
    expect(wordText(ru, refusalOf('moveQueue').wording, REFUSALS.moveQueue)).toBe('Переносить обращения между очередями могут только супервайзеры и администраторы.');
  });

  it('a refused change’s notice, with the hub’s known reason worded too', () => {
    const notice = {
      text: 'Assignment on case #12 “Printer jam” was refused by the hub: you may only take unassigned work of your queues or hand back your own',
      wording: wording('notice.refused', { what: 'case.assign', target: 'case', number: 12, subject: 'Printer jam', reason: REFUSALS.reassign, reasonKey: 'refusal.reassign' }),
    };
    expect(noticeWords(ru, notice)).toBe('Назначение (обращение №12 «Printer jam»): хаб отклонил — Вы можете брать только неназначенные обращения своих очередей или возвращать свои.');
    // A reason without a key is shown as the hub said it.
    const unknown = { ...notice, wording: wording('notice.refused', { what: 'case.note', target: 'account', reason: 'no such reply in your scope' }) };
    expect(noticeWords(ru, unknown)).toBe('Внутренняя заметка (ваша учётная запись): хаб отклонил — no such reply in your scope');
    // A notice stored before wordings: its English.
    expect(noticeWords(ru, { text: notice.text })).toBe(notice.text);
  });

  it('a reassigned case’s notice, with the plural its count needs', () => {
    const reassigned = (pending: number) =>
      wording('notice.reassigned', { target: 'case', number: 7, subject: 'Boiler', to: 'person', assignee: 'Ivan', queue: 'Field', offline: 'yes', pending, kept: 'yes' });
    expect(noticeWords(en, { text: '', wording: reassigned(1) })).toBe(
      'Case #7 “Boiler” was reassigned to Ivan while you were offline. Your 1 unsynced change to it will still be sent; any the hub refuses will be listed here. What you were writing is kept below.',
    );
    expect(noticeWords(ru, { text: '', wording: reassigned(3) })).toBe(
      'Обращение №7 «Boiler» передано: Ivan, пока вы были не в сети. Ваши 3 несинхронизированных изменения всё равно будут отправлены; отклонённые хабом появятся здесь. То, что вы писали, сохранено ниже.',
    );
    const gone = wording('notice.reassigned', { target: 'newCase', subject: 'Leak', to: 'gone', offline: 'no', pending: 0, kept: 'no' });
    expect(noticeWords(ru, { text: '', wording: gone })).toBe('Новое обращение «Leak» передано; его больше нет в вашей работе.');
  });

  it('a shared schema’s refusal in a form, by its limit', () => {
    const tooShort = ConsentOverrideSchema.safeParse({ reason: 'no' }).error?.issues[0];
    expect(tooShort?.message).toBe('say why (at least 3 characters)');
    expect(issueWords(ru, tooShort)).toBe('Не менее 3 символов.');
    expect(issueWords(createI18n('is'), tooShort)).toBe('Að minnsta kosti 3 stafir.');
    const tooLong = ConsentOverrideSchema.safeParse({ reason: 'x'.repeat(501) }).error?.issues[0];
    expect(issueWords(ru, tooLong)).toMatch(/^Не более 500 символов\.$/);
    // Anything else as the schema says it.
    expect(issueWords(ru, { code: 'custom', message: 'no NUL characters' })).toBe('no NUL characters');
    expect(issueWords(ru, undefined)).toBeUndefined();
  });

  // The English the hub sent before the table, word for word (logs, scripts and the hub's tests read it), with the refusal that says it now.
  const TODAY: [string, ReturnType<typeof rejectionOf>, RejectionName, Record<string, string | number>?][] = [
    ['the case was taken meanwhile', rejectionOf('takenMeanwhile'), 'takenMeanwhile'],
    ['no such offer: it lapsed or went to someone else', rejectionOf('offerGone'), 'offerGone'],
    ['this mutation id was already used by someone else', rejectionOf('mutationIdUsed', { by: 'someoneElse' }), 'mutationIdUsed', { by: 'someoneElse' }],
    ['this mutation id is already the id of a message; send it again under a new id', rejectionOf('mutationIdUsed', { by: 'message' }), 'mutationIdUsed', { by: 'message' }],
    ['no such case in your scope', rejectionOf('notInScope', { what: 'case' }), 'notInScope', { what: 'case' }],
    ['no such customer in your scope', rejectionOf('notInScope', { what: 'customer' }), 'notInScope', { what: 'customer' }],
    ['no such mention in your scope', rejectionOf('notInScope', { what: 'mention' }), 'notInScope', { what: 'mention' }],
    ['no such device in your scope', rejectionOf('notInScope', { what: 'device' }), 'notInScope', { what: 'device' }],
    ['no such reply in your scope', rejectionOf('notInScope', { what: 'reply' }), 'notInScope', { what: 'reply' }],
    ['no such user', rejectionOf('noSuch', { what: 'user' }), 'noSuch', { what: 'user' }],
    ['no such assignee', rejectionOf('noSuch', { what: 'assignee' }), 'noSuch', { what: 'assignee' }],
    ['no such queue', rejectionOf('noSuch', { what: 'queue' }), 'noSuch', { what: 'queue' }],
    ['3 of the cases do not exist', rejectionOf('casesMissing', { count: 3 }), 'casesMissing', { count: 3 }],
    ['the mention was already converted into a case', rejectionOf('mentionConverted'), 'mentionConverted'],
    ['presence can only be set for yourself', rejectionOf('presenceSelf'), 'presenceSelf'],
    ["baseVersion 9 is ahead of the hub's version 7", rejectionOf('versionAhead', { base: 9, version: 7 }), 'versionAhead', { base: 9, version: 7 }],
    ['entityId must be the new case id', rejectionOf('badEntity'), 'badEntity'],
    ['a case with this id already exists', rejectionOf('caseExists'), 'caseExists'],
    ['the device must belong to the case’s customer', rejectionOf('deviceOwner'), 'deviceOwner'],
    ['only a failed reply can be sent again (this one is sent)', rejectionOf('retryNotFailed', { status: 'sent' }), 'retryNotFailed', { status: 'sent' }],
    ['the case is closed: convert the mention into a new case', rejectionOf('mentionCaseClosed'), 'mentionCaseClosed'],
    ['no queue owns this channel: an admin must set one', rejectionOf('noQueueForChannel'), 'noQueueForChannel'],
    ['the customer has no x identity to reply to, and the case has no x message to answer', rejectionOf('noIdentity', { channel: 'x' }), 'noIdentity', { channel: 'x' }],
    ['a reply cannot be sent on device', rejectionOf('notReplyChannel', { channel: 'device' }), 'notReplyChannel', { channel: 'device' }],
    ['a reply on x takes at most 280 characters', rejectionOf('replyTooLong', { channel: 'x', limit: 280 }), 'replyTooLong', { channel: 'x', limit: 280 }],
    ['the customer is marked do-not-engage', rejectionOf('consentDoNotEngage', { override: 'no' }), 'consentDoNotEngage', { override: 'no' }],
    ['the customer is marked do-not-engage; only a supervisor may override it', rejectionOf('consentDoNotEngage', { override: 'yes' }), 'consentDoNotEngage', { override: 'yes' }],
    [
      'the customer has not opted in to being contacted first on this network',
      rejectionOf('consentFirstContact', { override: 'no' }),
      'consentFirstContact',
      { override: 'no' },
    ],
    [
      'the post was not addressed to the brand and its author has not opted in; only a supervisor may override it',
      rejectionOf('consentUnaddressed', { override: 'yes' }),
      'consentUnaddressed',
      { override: 'yes' },
    ],
    ['✖ Invalid input\n  → at kind', rejectionOf('invalidInput', { detail: '✖ Invalid input\n  → at kind' }), 'invalidInput', { detail: '✖ Invalid input\n  → at kind' }],
  ];

  it('each of the hub’s rejections says today’s English, with its key and facts', () => {
    for (const [english, refusal, name, facts] of TODAY) expect(refusal, english).toEqual({ text: english, wording: facts ? { key: `rejection.${name}`, params: facts } : { key: `rejection.${name}` } });
    // Every entry of the table is said above.
    expect(new Set(TODAY.map(([, , name]) => name))).toEqual(new Set(REJECTION_NAMES));
  });

  it('the hub’s rejections are worded in the user’s language, with their facts', () => {
    expect(wordText(ru, rejectionOf('takenMeanwhile').wording, 'x')).toBe('Тем временем обращение взял кто-то другой.');
    expect(wordText(ru, rejectionOf('notInScope', { what: 'mention' }).wording, 'x')).toBe('Такого упоминания в вашей области нет.');
    expect(wordText(ru, rejectionOf('casesMissing', { count: 3 }).wording, 'x')).toBe('3 обращений не существует.');
    expect(wordText(ru, rejectionOf('casesMissing', { count: 1 }).wording, 'x')).toBe('1 обращения не существует.');
    expect(wordText(en, rejectionOf('replyTooLong', { channel: 'x', limit: 280 }).wording, 'x')).toBe('A reply on X takes at most 280 characters.');
    expect(wordText(ru, rejectionOf('mutationIdUsed', { by: 'message' }).wording, 'x')).toBe(wordText(ru, rejectionOf('mutationIdUsed', { by: 'someoneElse' }).wording, 'y'));
    // A fact longer than a wording parameter takes is cut there; the English keeps it whole.
    const long = rejectionOf('invalidInput', { detail: '✖ '.padEnd(3000, 'x') });
    expect(long.text).toHaveLength(3000);
    expect(long.wording.params?.detail).toHaveLength(2000);
  });

  it('the consent rule’s detail is worded, with the override’s note', () => {
    const refusal = refuseReply({ channel: 'x', body: 'hi', customer: { consent: false, doNotEngage: true }, answers: null }, { role: 'agent', reason: 'urgent' });
    expect(refusal).toEqual({
      reason: 'consent',
      text: 'the customer is marked do-not-engage; only a supervisor may override it',
      wording: { key: 'rejection.consentDoNotEngage', params: { override: 'yes' } },
    });
    expect(wordText(ru, refusal!.wording, 'x')).toBe(
      'Отклонено правилом согласия: клиент отмечен как «не связываться». Переопределить это может только супервайзер.',
    );
    // The rule's own answer (the composer's, a retry's on the hub): no override tried.
    expect(consentRefusal({ channel: 'x', customer: { consent: false, doNotEngage: false }, answers: { addressed: false } })).toEqual(rejectionOf('consentUnaddressed', { override: 'no' }));
    expect(consentRefusal({ channel: 'email', customer: { consent: false, doNotEngage: false }, answers: null })).toBeNull();
    // In a refused reply's notice (the core stores the detail's key and facts beside the English).
    const notice = wording('notice.refused', {
      what: 'message.send', target: 'case', number: 4, subject: 'Hi', reason: 'consent: …', reasonKey: 'consent',
      consentDetail: 'the post was not addressed to the brand and its author has not opted in', consentDetailKey: 'rejection.consentUnaddressed', consent_override: 'no',
    });
    expect(noticeWords(ru, { text: '', wording: notice })).toBe(
      'Ответ (обращение №4 «Hi»): хаб отклонил — Отклонено правилом согласия: публикация не была адресована бренду, а её автор не давал согласия.',
    );
    // A refused change whose reason has facts (flattened under reason_).
    const long = wording('notice.refused', { what: 'message.send', target: 'account', reason: 'a reply on x takes at most 280 characters', reasonKey: 'rejection.replyTooLong', reason_channel: 'x', reason_limit: 280 });
    // The channel by its name, not its id.
    expect(noticeWords(en, { text: '', wording: long })).toBe('Reply on your account was refused by the hub: A reply on X takes at most 280 characters.');
    expect(wordText(ru, wording('rejection.notReplyChannel', { channel: 'mastodon' }), 'x')).toBe('Через Mastodon ответ отправить нельзя.');
    expect(wordText(en, wording('rejection.notReplyChannel', { channel: 'device' }), 'x')).toBe('A reply cannot be sent on Device alert.');
  });

  it('a schema refusal: a translated sentence, the English detail inside', () => {
    expect(wordText(ru, invalidInputWording('✖ Too small: expected string to have >=1 characters\n  → at body'), 'x')).toBe(
      'Хаб отклонил введённые данные: ✖ Too small: expected string to have >=1 characters\n  → at body',
    );
    expect(rejectionOf('invalidInput', { detail: '✖ Invalid input' }).wording).toEqual({ key: 'rejection.invalidInput', params: { detail: '✖ Invalid input' } });
    expect(wordText(createI18n('is'), wording('core.invalidInput', { detail: '✖ x' }), 'x')).toBe('Stjórnborðið hafnaði inntakinu: ✖ x');
  });

  it('every refusal the hub throws carries its key (none is a bare English text)', () => {
    // Each `new Rejection(…)` in the hub is given a refusal made with its wording: one of the tables' sayers,
    // or a name this file bound to one (the reply rule's refusals). A text written in place has no key.
    const sayers = ['rejectionOf', 'refusalOf', 'callRefusal', 'refuseReply', 'consentRefusal'];
    const files = readdirSync('src/hub', { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const sites: string[] = [];
    const bare: string[] = [];
    for (const file of files) {
      const source = readFileSync(join('src/hub', file), 'utf8');
      for (const match of source.matchAll(/new Rejection\(/g)) {
        const args = callArguments(source, match.index + match[0].length);
        const given = args.at(-1) ?? '';
        const bound = /^\w+$/.test(given) ? new RegExp(`const ${given} = (\\w+)\\(`).exec(source)?.[1] : /^(\w+)\(/.exec(given)?.[1];
        sites.push(`${file}: ${args.join(', ')}`);
        if (!bound || !sayers.includes(bound)) bare.push(`${file}: new Rejection(${args.join(', ')})`);
      }
      // A `rejected` answer built in place (the push's, a schema's refusal) carries its wording too.
      for (const line of source.split('\n')) if (/status: 'rejected', reason/.test(line) && !/wording/.test(line)) bare.push(`${file}: ${line.trim()}`);
    }
    expect(sites.length).toBeGreaterThan(35);
    expect(bare).toEqual([]);
  });

  it('every key the hub and the core send has a message in every locale', () => {
    const keys = [
      'policy.hubLocked',
      'hub.unreachable',
      'hub.wrongPassword',
      'hub.loginBackoff',
      'hub.forbiddenRole',
      'hub.notFound',
      'hub.invalidInput',
      'core.invalidInput',
      'notice.refused',
      'notice.handledElsewhere',
      'notice.unsendable',
      'notice.reassigned',
      ...Object.keys(REFUSALS).map((name) => `refusal.${name}`),
      ...REJECTION_NAMES.map((name) => `rejection.${name}`),
      ...['unknown', 'ended', 'notOffered', 'answeredByOther'].map((name) => `calls.${name}`),
    ];
    for (const language of Object.keys(RESOURCES) as (keyof typeof RESOURCES)[]) {
      const words = createI18n(language);
      for (const key of keys) expect(words.exists(`texts.${key}`), `${language}: texts.${key}`).toBe(true);
    }
  });
});

/** The top-level arguments of the call whose `(` ends just before `from`, as written. */
function callArguments(source: string, from: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if ((c === ')' || c === '}' || c === ']') && depth > 0) depth--;
    else if (c === ')' || (c === ',' && depth === 0)) {
      args.push(source.slice(start, i).trim());
      if (c === ')') return args.filter(Boolean);
      start = i + 1;
    }
  }
  return args;
}
