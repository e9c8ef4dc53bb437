/**
 * Language and sentiment of an inbound message: the ONE place the pipeline
 * asks for them (pipeline.ts calls analyseInbound inside its transaction, on
 * the text analysis it made before).
 * The language is the one the provider tags the message with (X's detector
 * knows far more languages than ours), else the offline detector's, else the
 * customer's; the sentiment is the offline analyser's (null for a language
 * it cannot score).
 */
import type { InboundMessage } from './inbound';
import type { TextAnalysis } from './text/analyse';

export interface Analysis {
  language: string;
  /** -1 … 1; null when unknown. */
  sentiment: number | null;
}

/** Tags that name no language: undetermined, no linguistic content, and X's private `q…` codes. */
const NOT_A_LANGUAGE = /^(und|zxx|mul|q[a-z]{2})$/i;

/** The provider's tag as a canonical BCP 47 language (X's legacy `in` becomes `id`), or null. */
export function providerLanguage(tag: string | null): string | null {
  if (!tag || NOT_A_LANGUAGE.test(tag)) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical ?? null;
  } catch {
    return null;
  }
}

/**
 * The message's language and sentiment from what its text said (`analyseText(body)`, the costliest step on
 * the hub's thread, so the pipeline reads every text before its batch's transaction opens) and, when neither
 * the provider nor the text tells its language, the customer's.
 */
export function analyseInbound(message: Pick<InboundMessage, 'language'>, text: TextAnalysis, customerLanguage: string): Analysis {
  return { language: providerLanguage(message.language) ?? text.language ?? customerLanguage, sentiment: text.sentiment };
}
