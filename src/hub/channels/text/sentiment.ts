/**
 * Lexicon sentiment in -1..1. English: the `sentiment` package (AFINN-165
 * plus the Emoji Sentiment Ranking, with its negation rule). Russian: the
 * stem lexicon of @nlpjs/lang-ru (an AFINN-style list keyed by Snowball stems)
 * registered as a language of the same scorer, so both share the emoji and
 * the arithmetic. Other languages: null, never a made-up 0.
 */
import { SentimentRu, StemmerRu } from '@nlpjs/lang-ru';
import Sentiment from 'sentiment';
import type { TextLanguage } from './language';

const scorer = new Sentiment();
const stemmer = new StemmerRu();

// The lexicon's own negation list is empty; these four turn the next word round.
const RU_NEGATORS = new Set(['не', 'нет', 'ни', 'без'].map((w) => stemmer.stem(w)));
// Stems this short collide with unrelated words (как, у, и, есть → ест, тому → том, цены → цен).
const RU_MIN_STEM = 4;
// Stems shared by a sentiment adjective and an everyday customer-service word, found by
// stemming a list of such words (not the test sample): the service word wins.
const RU_OVERRIDES: Record<string, number> = {
  пожалуйст: 1, // "please": +1 as in AFINN, not +5
  добр: 0, // "добрый день" opens complaints and thanks alike
  верн: 0, // вернуть (give back) vs верный (faithful)
  отмен: 0, // отменить (cancel) vs отменный (excellent)
  нужн: 0, // нужно (need) vs нужный (useful)
};

scorer.registerLanguage('ru', {
  labels: Object.fromEntries(
    Object.entries(SentimentRu.afinn)
      .map(([stem, score]) => [stem, RU_OVERRIDES[stem] ?? Number(score)] as const)
      .filter(([stem, score]) => stem.length >= RU_MIN_STEM && Number.isFinite(score) && score !== 0),
  ),
  scoringStrategy: {
    apply: (tokens: string[], cursor: number, score: number) => (cursor > 0 && RU_NEGATORS.has(tokens[cursor - 1]!) ? -score : score),
  },
});

/** The AFINN sum grows with length; this squashes it into -1..1 the way VADER does (alpha 15). */
const ALPHA = 15;

export const SCORED_LANGUAGES: ReadonlySet<TextLanguage> = new Set(['en', 'ru']);

/**
 * Null for a language without a lexicon; a text of emoji alone (no words, so
 * no language) is still scored, from the emoji, which mean the same everywhere.
 */
export function scoreSentiment(language: TextLanguage | null, words: string, emoji: string[]): number | null {
  if (!language) return words === '' && emoji.length > 0 ? squash(scorer.analyze(emoji.join(' ')).score) : null;
  if (!SCORED_LANGUAGES.has(language)) return null;
  const tokens = language === 'ru' ? words.replaceAll('ё', 'е').split(' ').map((w) => stemmer.stem(w)) : words.split(' ');
  return squash(scorer.analyze([...tokens, ...emoji].join(' '), { language }).score);
}

const squash = (score: number) => Math.round((score / Math.sqrt(score * score + ALPHA)) * 1000) / 1000;
