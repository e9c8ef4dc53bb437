/**
 * What detection and scoring read of a post: the words, without the parts
 * that are not language (addresses, handles, tags, numbers), and the emoji
 * on their own, since they carry sentiment but no language.
 */

const URL = /\b(?:https?:\/\/|www\.)\S+/giu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
// X, Mastodon (@user@instance) and Bluesky (@name.bsky.social) handles.
const HANDLE = /(?<![\p{L}\p{N}])@[\p{L}\p{N}_.-]+(?:@[\p{L}\p{N}_.-]+)?/gu;
const HASHTAG = /(?<![\p{L}\p{N}])#[\p{L}\p{N}_]+/gu;
const EMOJI = /\p{Extended_Pictographic}/gu;
// Skin tones, variation selectors and joiners travel with emoji; alone they mean nothing.
const EMOJI_PARTS = /\p{Emoji_Modifier}|\u{FE0E}|\u{FE0F}|\u{200D}|\u{20E3}/gu;
const NOT_LETTERS = /[^\p{L}\p{M}'’\- ]+/gu;

export interface CleanText {
  /** Lower-case words, single-spaced. */
  words: string;
  /** Each emoji once per occurrence, without modifiers. */
  emoji: string[];
}

export function cleanText(text: string): CleanText {
  const stripped = text.replace(URL, ' ').replace(EMAIL, ' ').replace(HANDLE, ' ').replace(HASHTAG, ' ');
  const emoji = stripped.match(EMOJI) ?? [];
  const words = stripped
    .replace(EMOJI, ' ')
    .replace(EMOJI_PARTS, ' ')
    .replace(NOT_LETTERS, ' ')
    .replace(/(?<!\p{L})['’-]+|['’-]+(?!\p{L})/gu, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
  return { words, emoji };
}

/** Letters only, for the "too short to tell" rule. */
export function letterCount(words: string): number {
  return words.replace(/[^\p{L}]/gu, '').length;
}
