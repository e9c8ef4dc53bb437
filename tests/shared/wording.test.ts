/**
 * Texts made outside the renderer travel as a key and parameters
 * (src/shared/wording.ts) and the window words them
 * (src/renderer/src/i18n/wording.ts): a hub's refusal, the policy's hub
 * lock, a notice the core wrote — in Russian here — and the English when
 * the key is unknown. Every key the hub and core send has a message in
 * every locale.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n, RESOURCES } from '../../src/renderer/src/i18n/instance';
import { errorWords, issueWords, noticeWords, wordText } from '../../src/renderer/src/i18n/wording';
import { ConsentOverrideSchema, refuseReply } from '../../src/shared/replies';
import { REFUSALS } from '../../src/shared/policy';
import { forbiddenRoleWording, invalidInputWording, refusalWording, rejectionWording, wording } from '../../src/shared/wording';

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

  it('the domain policy’s refusals are known by their text', () => {
    expect(refusalWording(REFUSALS.reassign)).toEqual({ key: 'refusal.reassign' });
    expect(refusalWording('something else')).toBeNull();
    expect(wordText(ru, refusalWording(REFUSALS.moveQueue), REFUSALS.moveQueue)).toBe('Переносить обращения между очередями могут только супервайзеры и администраторы.');
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

  it('the hub’s other rejections get their key and facts, and are worded', () => {
    expect(rejectionWording('the case was taken meanwhile')).toEqual({ key: 'rejection.takenMeanwhile' });
    expect(wordText(ru, rejectionWording('the case was taken meanwhile'), 'x')).toBe('Тем временем обращение взял кто-то другой.');
    expect(rejectionWording('no such offer: it lapsed or went to someone else')).toEqual({ key: 'rejection.offerGone' });
    expect(rejectionWording('no such mention in your scope')).toEqual({ key: 'rejection.notInScope', params: { what: 'mention' } });
    expect(wordText(ru, rejectionWording('no such mention in your scope'), 'x')).toBe('Такого упоминания в вашей области нет.');
    expect(rejectionWording('3 of the cases do not exist')).toEqual({ key: 'rejection.casesMissing', params: { count: 3 } });
    expect(wordText(ru, rejectionWording('3 of the cases do not exist'), 'x')).toBe('3 обращений не существует.');
    expect(wordText(ru, rejectionWording('1 of the cases do not exist'), 'x')).toBe('1 обращения не существует.');
    expect(wordText(en, rejectionWording('a reply on x takes at most 280 characters'), 'x')).toBe('A reply on X takes at most 280 characters.');
    expect(rejectionWording(REFUSALS.oversight)).toEqual({ key: 'refusal.oversight' });
    expect(rejectionWording('something the hub never said')).toBeNull();
  });

  it('the consent rule’s detail is worded, with the override’s note', () => {
    const refusal = refuseReply({ channel: 'x', body: 'hi', customer: { consent: false, doNotEngage: true }, answers: null }, { role: 'agent', reason: 'urgent' });
    expect(refusal?.reason).toBe('consent');
    expect(rejectionWording(refusal!.detail)).toEqual({ key: 'rejection.consentDoNotEngage', params: { override: 'yes' } });
    expect(wordText(ru, rejectionWording(refusal!.detail), 'x')).toBe(
      'Отклонено правилом согласия: клиент отмечен как «не связываться». Переопределить это может только супервайзер.',
    );
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
    expect(rejectionWording('✖ Invalid input')).toEqual({ key: 'rejection.invalidInput', params: { detail: '✖ Invalid input' } });
    expect(wordText(createI18n('is'), wording('core.invalidInput', { detail: '✖ x' }), 'x')).toBe('Stjórnborðið hafnaði inntakinu: ✖ x');
  });

  it('every rejection text the hub throws is known (a new or reworded one must get its key)', () => {
    // The literal texts of `new Rejection(…)` and `rejected(…)` in the hub, and the consent rule's reasons.
    const files = ['repos/push.ts', 'repos/replies.ts', 'repos/reassign.ts', 'routing/take.ts'].map((file) => readFileSync(join('src/hub', file), 'utf8'));
    files.push(readFileSync('src/shared/replies.ts', 'utf8'));
    const texts = new Set<string>();
    for (const source of files) {
      for (const match of source.matchAll(/new Rejection\((?:'(\w+)', )?[`'](.+?)[`']\)|rejected\(mutation\.id, '(.+?)'\)|return '(the .+?)';/g)) {
        // Template literals stand for their facts: one example each.
        texts.add((match[2] ?? match[3] ?? match[4]!).replace(/\$\{(\w+)\.length - rows\.length\}/, '2').replace(/\$\{baseVersion\}|\$\{row\.version\}/g, '7').replace(/\$\{[^}]+\}/g, 'x'));
      }
    }
    expect(texts.size).toBeGreaterThan(20);
    const unknown = [...texts].filter((text) => rejectionWording(text) === null && !/^(consent|channel|not_found|conflict)$/.test(text));
    expect(unknown).toEqual([]);
    for (const text of texts) {
      const worded = rejectionWording(text);
      if (worded) for (const language of ['en', 'ru', 'id', 'is'] as const) expect(createI18n(language).exists(`texts.${worded.key}`), `${language}: ${worded.key}`).toBe(true);
    }
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
    ];
    for (const language of Object.keys(RESOURCES) as (keyof typeof RESOURCES)[]) {
      const words = createI18n(language);
      for (const key of keys) expect(words.exists(`texts.${key}`), `${language}: texts.${key}`).toBe(true);
    }
  });
});
