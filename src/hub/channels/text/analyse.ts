/** What the inbound pipeline learns from a message's text: its language and its mood. */
import { cleanText, letterCount } from './clean';
import { detectLanguage } from './language';
import { scoreSentiment } from './sentiment';

export interface TextAnalysis {
  /** BCP 47 primary tag, or null when the text is too short or the detector unsure. */
  language: string | null;
  /** 0..1, the detected language's share of the candidates' scores. */
  languageConfidence: number;
  /** -1..1, or null for a language without a lexicon (or none detected). */
  sentiment: number | null;
}

/** The opening decides: enough to tell, and a 20,000-character email costs no more than a post. */
export const MAX_CHARS = 2_000;

export function analyseText(text: string): TextAnalysis {
  const { words, emoji } = cleanText(text.slice(0, MAX_CHARS));
  const { language, confidence } = detectLanguage(words, letterCount(words));
  return { language, languageConfidence: confidence, sentiment: scoreSentiment(language, words, emoji) };
}
