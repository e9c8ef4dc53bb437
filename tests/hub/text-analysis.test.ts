import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseText, MAX_CHARS, type TextAnalysis } from '../../src/hub/channels/text/analyse';

interface Labelled {
  text: string;
  language: 'en' | 'ru' | 'id' | 'is';
  sentiment?: 'negative' | 'neutral' | 'positive';
}

const sample = JSON.parse(readFileSync(new URL('./fixtures/text-sample.json', import.meta.url), 'utf8')) as Labelled[];
const LANGUAGES = ['en', 'ru', 'id', 'is'] as const;
const SCORED = ['en', 'ru'] as const;
/** A score within ±0.3 (one weak word such as "please" gives 0.25) counts as neutral. */
const NEUTRAL_BAND = 0.3;
/** Floors, a little under what was measured (README notes): a regression fails, a new package release need not. */
const FLOOR = { language: 0.9, sentiment: 0.7, sign: 0.7 };

const words = (text: string) => text.split(/\s+/).filter((w) => /\p{L}/u.test(w) && !/^[@#]|:\/\//u.test(w)).length;
const sentimentClass = (score: number | null) =>
  score === null ? null : score >= NEUTRAL_BAND ? 'positive' : score <= -NEUTRAL_BAND ? 'negative' : 'neutral';
const share = (hits: number, of: number) => (of === 0 ? 0 : hits / of);

function measure(analyse: (text: string) => TextAnalysis) {
  const language: Record<string, number> = {};
  const sentiment: Record<string, number> = {};
  const sign: Record<string, number> = {};
  for (const lang of LANGUAGES) {
    const long = sample.filter((s) => s.language === lang && words(s.text) >= 5);
    language[lang] = share(long.filter((s) => analyse(s.text).language === lang).length, long.length);
  }
  const all = share(sample.filter((s) => analyse(s.text).language === s.language).length, sample.length);
  for (const lang of SCORED) {
    const labelled = sample.filter((s) => s.language === lang && s.sentiment);
    sentiment[lang] = share(labelled.filter((s) => sentimentClass(analyse(s.text).sentiment) === s.sentiment).length, labelled.length);
    // Sign agreement on the texts that have one: positive above 0, negative below.
    const polar = labelled.filter((s) => s.sentiment !== 'neutral');
    sign[lang] = share(polar.filter((s) => Math.sign(analyse(s.text).sentiment ?? 0) === (s.sentiment === 'positive' ? 1 : -1)).length, polar.length);
  }
  return { language, all, sentiment, sign };
}

function meetsFloors(m: ReturnType<typeof measure>): boolean {
  return (
    LANGUAGES.every((l) => m.language[l]! >= FLOOR.language) &&
    SCORED.every((l) => m.sentiment[l]! >= FLOOR.sentiment && m.sign[l]! >= FLOOR.sign)
  );
}

describe('text analysis accuracy on the labelled sample', () => {
  it('keeps enough texts of each kind to mean something', () => {
    for (const lang of LANGUAGES) expect(sample.filter((s) => s.language === lang).length).toBeGreaterThanOrEqual(40);
    for (const lang of SCORED) expect(sample.filter((s) => s.language === lang && s.sentiment).length).toBeGreaterThanOrEqual(40);
    expect(sample.filter((s) => /@\w|https?:\/\/|\p{Extended_Pictographic}/u.test(s.text)).length).toBeGreaterThanOrEqual(20);
  });

  it('detects the language and the sentiment at least as well as the floors', () => {
    const m = measure(analyseText);
    const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
    console.log(
      [
        `language (texts of ≥ 5 words): ${LANGUAGES.map((l) => `${l} ${pct(m.language[l]!)}`).join(', ')}; all ${sample.length} texts ${pct(m.all)}`,
        `sentiment, 3 classes (±${NEUTRAL_BAND} neutral): ${SCORED.map((l) => `${l} ${pct(m.sentiment[l]!)}`).join(', ')}`,
        `sentiment sign on polar texts: ${SCORED.map((l) => `${l} ${pct(m.sign[l]!)}`).join(', ')}`,
      ].join('\n'),
    );
    expect(m).toSatisfy(meetsFloors);
  });

  it('would fail for an analyser that guesses a constant', () => {
    for (const language of LANGUAGES)
      for (const sentiment of [-0.5, 0, 0.5, null]) expect(meetsFloors(measure(() => ({ language, languageConfidence: 1, sentiment })))).toBe(false);
  });
});

describe('analyseText', () => {
  it('answers null, not a guess, for text too short or in another language', () => {
    for (const text of ['', 'ok', 'lol', '👍👍', '@acme https://t.co/abc #fail', '12345 !!!']) {
      expect(analyseText(text)).toMatchObject({ language: null, languageConfidence: 0 });
    }
    for (const text of ['Meine Bestellung ist noch nicht angekommen, bitte helfen Sie mir', 'Merci beaucoup pour votre aide rapide', 'Дякую за допомогу, все працює']) {
      expect(analyseText(text)).toEqual({ language: null, languageConfidence: 0, sentiment: null });
    }
  });

  it('tells English, Russian, Indonesian and Icelandic apart, with a confidence in 0..1', () => {
    const cases = {
      en: 'My tracker has not reported anything since yesterday',
      ru: 'Мой трекер ничего не передаёт со вчерашнего дня',
      id: 'Pelacak saya tidak mengirim data sejak kemarin',
      is: 'Ferillinn minn hefur ekki sent nein gögn síðan í gær',
    };
    for (const [language, text] of Object.entries(cases)) {
      const result = analyseText(text);
      expect(result.language).toBe(language);
      expect(result.languageConfidence).toBeGreaterThan(0);
      expect(result.languageConfidence).toBeLessThanOrEqual(1);
    }
  });

  it('scores sentiment within -1..1 for English and Russian, and null where it has no lexicon', () => {
    const pos = analyseText('Thank you so much, excellent and friendly help, I love it 😍 🎉 👍');
    const neg = analyseText('Terrible, awful, useless support, the worst ever, I hate it 😡 💩 👎');
    expect(pos.sentiment).toBeGreaterThan(0.5);
    expect(pos.sentiment).toBeLessThanOrEqual(1);
    expect(neg.sentiment).toBeLessThan(-0.5);
    expect(neg.sentiment).toBeGreaterThanOrEqual(-1);
    expect(analyseText('Огромное спасибо, всё отлично и быстро!').sentiment).toBeGreaterThan(0.3);
    expect(analyseText('Ужасный сервис, отвратительно и плохо.').sentiment).toBeLessThan(-0.3);
    expect(analyseText('Ferillinn minn hefur ekki sent nein gögn síðan í gær')).toMatchObject({ language: 'is', sentiment: null });
    expect(analyseText('Terima kasih banyak atas bantuannya')).toMatchObject({ language: 'id', sentiment: null });
  });

  it('reads negation: "not good" is not positive', () => {
    expect(analyseText('The new app is good').sentiment).toBeGreaterThan(0);
    expect(analyseText('The new app is not good').sentiment).toBeLessThan(0);
    expect(analyseText('Новое приложение хорошее').sentiment).toBeGreaterThan(0);
    expect(analyseText('Новое приложение не хорошее').sentiment).toBeLessThan(0);
  });

  it('ignores handles, hashtags, addresses and URLs, and counts emoji for sentiment only', () => {
    const plain = analyseText('Thanks, the replacement works fine now');
    const decorated = analyseText('@AcmeHelp @ana@mastodon.social Thanks, the replacement works fine now https://t.co/Xy12 #happy support@acme.com');
    expect(decorated).toEqual(plain);
    // A handle in another language changes nothing either.
    expect(analyseText('@дмитрий_петров @terimakasih Thanks, the replacement works fine now')).toEqual(plain);
    const withEmoji = analyseText('Thanks, the replacement works fine now 😍');
    expect(withEmoji.language).toBe(plain.language);
    expect(withEmoji.sentiment).toBeGreaterThan(plain.sentiment!);
    expect(analyseText('@acme 😡😡').sentiment).toBeLessThan(0);
  });

  it('reads only the opening of a long text', () => {
    const head = 'Thank you so much, the new tracker works perfectly and the support was excellent. '.repeat(30).slice(0, MAX_CHARS);
    const tail = ' Terrible awful useless worst hate disaster'.repeat(100);
    expect(analyseText(head + tail)).toEqual(analyseText(head));
    expect(analyseText(head).sentiment).toBeGreaterThan(0.5);
  });

  it('is deterministic: the same text gives the same answer', () => {
    const text = 'Спасибо большое за быструю помощь, всё заработало!';
    expect(analyseText(text)).toEqual(analyseText(text));
  });
});
