/**
 * The hub's inbound SMTP listener (smtp-server): an MX-like endpoint that
 * accepts mail for the support addresses only (any other recipient: 550), so
 * it needs no AUTH — like any mail exchanger, it relays nothing and takes
 * mail from anyone, for its own addresses. STARTTLS is not offered (no
 * certificate is configured): put a TLS-terminating MTA in front on an open
 * network. A mail over MAX_MAIL_BYTES gets 552, a malformed one 554, and
 * neither stores anything; a mail is accepted (250) only once the pipeline has
 * stored it, so a failure on the hub's side (4xx) makes the sender retry.
 */
import type { Server } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { z } from 'zod';
import { InboundMessageSchema } from '../inbound';
import { InboundError, type InboundPipeline } from '../pipeline';
import type { ImapMailboxConfig } from './imap-url';
import { MalformedMailError, parseMail } from './parse';

/** The largest mail accepted, attachments included (as sent, base64 and all). */
export const MAX_MAIL_BYTES = 10 * 1024 * 1024;
/** How long close() lets a delivery in progress finish before cutting its connection. */
const CLOSE_TIMEOUT_MS = 5_000;

export interface EmailChannelConfig {
  /** The support addresses mail is accepted for, in lower case. */
  addresses: string[];
  /** An existing mailbox also read, over IMAP (imap.ts); null: SMTP only. */
  imap: ImapMailboxConfig | null;
}

export interface SmtpLog {
  info(obj: object, message: string): void;
  warn(obj: object, message: string): void;
  error(obj: object, message: string): void;
}

/** An SMTP reply: smtp-server answers with the error's `responseCode` and message. */
function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

/** Reads the DATA stream, keeping no more than the limit (smtp-server flags the excess). */
function readMail(stream: SMTPServerDataStream): Promise<{ raw: Buffer; oversized: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_MAIL_BYTES) chunks.push(chunk);
    });
    stream.once('error', reject);
    stream.once('end', () => resolve({ raw: Buffer.concat(chunks), oversized: stream.sizeExceeded || size > MAX_MAIL_BYTES }));
  });
}

export interface SmtpListener {
  server: Server;
  close(): Promise<void>;
}

export function createSmtpListener(config: EmailChannelConfig, pipeline: InboundPipeline, log: SmtpLog): SmtpListener {
  const accepted = new Set(config.addresses.map((address) => address.toLowerCase()));
  const smtp = new SMTPServer({
    banner: 'Switchboard',
    size: MAX_MAIL_BYTES,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    closeTimeout: CLOSE_TIMEOUT_MS,
    onRcptTo(address, _session, callback) {
      if (accepted.has(address.address.trim().toLowerCase())) return callback();
      callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
    },
    onData(stream, session, callback) {
      void (async () => {
        const { raw, oversized } = await readMail(stream);
        if (oversized) throw smtpError(552, `5.3.4 the message exceeds the ${MAX_MAIL_BYTES}-byte limit`);
        const parsed = InboundMessageSchema.safeParse(await parseMail(raw));
        if (!parsed.success) throw smtpError(554, `5.6.0 the message cannot be stored: ${z.prettifyError(parsed.error).replace(/\s+/g, ' ')}`);
        const outcome = await pipeline.receive(parsed.data);
        log.info({ status: outcome.status, externalId: parsed.data.externalId, remote: session.remoteAddress }, 'mail received');
      })().then(
        () => callback(null, '2.0.0 accepted'),
        (error: unknown) => {
          if (error instanceof MalformedMailError) return callback(smtpError(554, `5.6.0 ${error.message}`));
          if (error instanceof Error && 'responseCode' in error) return callback(error);
          if (error instanceof InboundError) {
            log.warn({ code: error.code }, error.message);
            return callback(smtpError(451, `4.3.0 ${error.message}`));
          }
          log.error({ err: error }, 'mail could not be stored');
          callback(smtpError(451, '4.3.0 the message could not be stored; try again later'));
        },
      );
    },
  });
  smtp.on('error', (error) => log.warn({ err: error }, 'smtp connection error'));
  return {
    server: smtp.server,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
