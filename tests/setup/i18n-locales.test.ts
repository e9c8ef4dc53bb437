/**
 * The console's translations (src/renderer/src/i18n): every locale has
 * exactly the English keys, each message is valid ICU and takes the same
 * arguments as the English one, each plural gives every form its language
 * needs (CLDR, as Intl.PluralRules knows them), and the language is chosen
 * as the user expects.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { createI18n, RESOURCES } from '../../src/renderer/src/i18n/instance';
import { chooseLanguage, LANGUAGES } from '../../src/renderer/src/i18n/languages';

type Messages = { [key: string]: string | Messages };

/** "a.b.c" → message. */
function flatten(messages: Messages, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    if (typeof value === 'string') flat.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) flat.set(k, v);
  }
  return flat;
}

/** An ICU AST node, as far as this test reads it (intl-messageformat's parser). */
interface Node {
  type: number;
  value?: unknown;
  options?: Record<string, { value: Node[] }>;
  children?: Node[];
  pluralType?: 'cardinal' | 'ordinal';
}
const LITERAL = 0;
const POUND = 7;

/** The arguments a message takes, and each plural's forms (by argument). */
function read(nodes: Node[], args = new Set<string>(), plurals: { arg: string; forms: string[] }[] = []) {
  for (const node of nodes) {
    if (node.type === LITERAL || node.type === POUND) continue;
    if (typeof node.value === 'string') args.add(node.value);
    if (node.options) {
      if (node.pluralType) plurals.push({ arg: String(node.value), forms: Object.keys(node.options) });
      for (const option of Object.values(node.options)) read(option.value, args, plurals);
    }
    if (node.children) read(node.children, args, plurals);
  }
  return { args, plurals };
}

const en = flatten(RESOURCES.en);

describe('the locales', () => {
  it('has English messages to check against', () => {
    expect(en.size).toBeGreaterThan(100);
  });

  for (const { code } of LANGUAGES) {
    const messages = flatten(RESOURCES[code]);
    // Forms a plural must give in this language (one/few/many/other in Russian…); `=0`-style exact forms are extra.
    const needed = new Intl.PluralRules(code).resolvedOptions().pluralCategories;

    it(`${code}: has exactly the English keys`, () => {
      expect([...messages.keys()].sort()).toEqual([...en.keys()].sort());
    });

    it(`${code}: every message parses as ICU, takes the English arguments and gives every plural form`, () => {
      const problems: string[] = [];
      for (const [key, message] of messages) {
        let nodes: Node[];
        try {
          nodes = new IntlMessageFormat(message, code).getAst() as unknown as Node[];
        } catch (error) {
          problems.push(`${key}: ${(error as Error).message}`);
          continue;
        }
        const { args, plurals } = read(nodes);
        const english = read(new IntlMessageFormat(en.get(key) ?? '', 'en').getAst() as unknown as Node[]);
        if ([...args].sort().join() !== [...english.args].sort().join()) problems.push(`${key}: arguments ${[...args].join()} ≠ ${[...english.args].join()}`);
        for (const plural of plurals) {
          const missing = needed.filter((form) => !plural.forms.includes(form));
          if (missing.length > 0) problems.push(`${key}: plural of ${plural.arg} lacks ${missing.join(', ')}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('ru: picks one, few and many for 1, 2, 5 and 21', () => {
    const t = createI18n('ru').t;
    expect([1, 2, 5, 21].map((count) => t('counts.case', { count }))).toEqual(['1 обращение', '2 обращения', '5 обращений', '21 обращение']);
    expect(t('connection.waiting', { count: 3 })).toBe('3 изменения ждут');
    expect(t('connection.waiting', { count: 11 })).toBe('11 изменений ждут');
  });

  it('is: picks one for 1 and 21, other for 2 and 11', () => {
    const t = createI18n('is').t;
    expect([1, 21, 2, 11].map((count) => t('connection.waiting', { count }))).toEqual(['1 breyting bíður', '21 breyting bíður', '2 breytingar bíða', '11 breytingar bíða']);
  });

  it('en: keeps the texts the console has always shown', () => {
    const t = createI18n('en').t;
    expect(t('reassign.movedTo', { count: 50, where: 'Ana Pereira' })).toBe('Moved 50 cases to Ana Pereira');
    expect(t('reassign.submit', { count: 1 })).toBe('Move 1 case');
    expect(t('connection.waiting', { count: 6 })).toBe('6 changes waiting');
    expect(t('sync.signInProgress', { percent: 42 })).toBe('Fetching your cases for offline work: 42 %');
  });
});

describe('the language chosen', () => {
  it('is the user’s pick on this machine, whatever the OS says', () => {
    expect(chooseLanguage('is', ['ru-RU', 'en-US'])).toBe('is');
  });

  it('else the first preferred language the console speaks, by its primary tag', () => {
    expect(chooseLanguage(null, ['ru-RU'])).toBe('ru');
    expect(chooseLanguage(null, ['de-DE', 'id-ID', 'en'])).toBe('id');
    expect(chooseLanguage('xx', ['is_IS'])).toBe('is');
  });

  it('else English', () => {
    expect(chooseLanguage(null, ['de-DE', 'fr'])).toBe('en');
    expect(chooseLanguage(null, [])).toBe('en');
  });
});
