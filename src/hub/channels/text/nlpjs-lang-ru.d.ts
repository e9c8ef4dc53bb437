// @nlpjs/lang-ru ships no types; only what sentiment.ts uses is declared.
declare module '@nlpjs/lang-ru' {
  export class StemmerRu {
    stem(word: string): string;
  }
  export const SentimentRu: { afinn: Record<string, string>; negations: { words: string[] } };
}
