/**
 * The mailbox the hub reads over IMAP (imap.ts), as one URL — the option
 * `SWITCHBOARD_IMAP_URL` — checked at start like every option (config.ts).
 */
import { z } from 'zod';

export interface ImapMailboxConfig {
  host: string;
  port: number;
  /** imaps:// (TLS from the start) or imap:// (plain; STARTTLS when the server offers it). */
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
  /** How often the mailbox is looked at besides IDLE's news (default 60 s). */
  pollMs?: number;
}

/** `imaps://user:password@host:993/Support` → the mailbox's settings (the path names the mailbox; INBOX without one). */
export const ImapUrlSchema = z
  .url({ protocol: /^imaps?$/, error: 'must be an imap:// or imaps:// URL with a user and password, e.g. imaps://support%40example.com:secret@mail.example.com/INBOX' })
  .transform((text, ctx): ImapMailboxConfig => {
    const url = new URL(text);
    if (!url.username || !url.password) {
      ctx.addIssue({ code: 'custom', message: 'must name the mailbox user and password (imaps://user:password@host/INBOX)' });
      return z.NEVER;
    }
    const secure = url.protocol === 'imaps:';
    return {
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 993 : 143,
      secure,
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      mailbox: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX',
    };
  });


/** The option as given (a URL text), checked as `ImapUrlSchema` reads it. */
export const ImapUrlTextSchema = z.string().superRefine((text, ctx) => {
  const read = ImapUrlSchema.safeParse(text);
  if (!read.success) for (const issue of read.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
});
