/**
 * Passwords never leave the hub in what it prints, logs or answers: the
 * broker, database and Redis URLs may hold one (`mqtt://user:secret@host`).
 */

// scheme://user:password@ — the password may hold an unencoded "@" (up to the last one before the host),
// but never a quote, backslash or whitespace, so a match cannot run past the end of a JSON string.
const PASSWORD_IN_URL = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:"'`\\]*:)[^\s/?#"'`\\]*@/gi;

/** The text (a URL, an error message, a log line) with the password of every URL in it replaced by `***`. */
export function redactCredentials(text: string): string {
  return text.replace(PASSWORD_IN_URL, '$1***@');
}
