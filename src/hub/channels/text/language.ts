/**
 * Offline language detection with tinyld, restricted to the languages the
 * contact center serves: a short post is far more often right when the
 * detector only chooses among the languages that can occur. A text that is
 * plainly in another language (tinyld, unrestricted, sure of a language
 * outside the set) gets null rather than the nearest served language.
 */
import { detectAll } from 'tinyld';

/** BCP 47 primary tags the detector may answer (the demo's customers' languages). */
export const TEXT_LANGUAGES = ['en', 'ru', 'id', 'is'] as const;
export type TextLanguage = (typeof TEXT_LANGUAGES)[number];

/** Fewer letters than this ("ok", "lol", "takk") and any answer is a guess. */
export const MIN_LETTERS = 5;
/** tinyld's score for the best served language below which the answer is a guess. */
export const MIN_CONFIDENCE = 0.05;
/** A score tinyld gives only when it is sure; used for "this is another language". */
const SURE = 0.5;

const served = new Set<string>(TEXT_LANGUAGES);
const ONLY = { only: [...TEXT_LANGUAGES] };

export interface DetectedLanguage {
  language: TextLanguage | null;
  confidence: number;
}

const NONE: DetectedLanguage = { language: null, confidence: 0 };

export function detectLanguage(words: string, letters: number): DetectedLanguage {
  if (letters < MIN_LETTERS) return NONE;
  const top = detectAll(words, ONLY)[0];
  const language = TEXT_LANGUAGES.find((l) => l === top?.lang);
  if (!top || !language || top.accuracy < MIN_CONFIDENCE) return NONE;
  if (top.accuracy < SURE) {
    // Only unsure answers pay for the second, unrestricted pass.
    const other = detectAll(words)[0];
    if (other && !served.has(other.lang) && other.accuracy >= SURE) return NONE;
  }
  return { language, confidence: Math.round(top.accuracy * 1000) / 1000 };
}
