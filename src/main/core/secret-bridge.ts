/**
 * The SecretBox across the thread boundary. The core seals and opens
 * synchronously (the cache key, the tokens) in its worker, but Electron's
 * safeStorage lives on the main thread: the worker posts the request and
 * blocks until the main thread has answered with the real box
 * (sync-message-port: Atomics.wait on a shared counter, receiveMessageOnPort).
 */
import type { MessagePort } from 'node:worker_threads';
import { SyncMessagePort } from 'sync-message-port';
import { z } from 'zod';
import type { SecretBox } from './secret-box';

const RequestSchema = z.object({ op: z.enum(['seal', 'open']), text: z.string() });
const AnswerSchema = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), text: z.string() }), z.object({ ok: z.literal(false), message: z.string() })]);
type Answer = z.infer<typeof AnswerSchema>;

export interface SecretBoxServer {
  /** The worker's end: hand it over in the worker's transferList. */
  port: MessagePort;
  /** A worker still waiting then gets an error, never a hang. */
  close(): void;
}

/** Main thread: answers the worker's seal/open requests with `box`. */
export function serveSecretBox(box: SecretBox): SecretBoxServer {
  const { port1, port2 } = SyncMessagePort.createChannel();
  const local = new SyncMessagePort(port1);
  local.on('message', (message: unknown) => local.postMessage(answer(box, message)));
  return { port: port2, close: () => local.close() };
}

function answer(box: SecretBox, message: unknown): Answer {
  const request = RequestSchema.safeParse(message);
  if (!request.success) return { ok: false, message: `not a secret box request: ${z.prettifyError(request.error)}` };
  const { op, text } = request.data;
  try {
    return { ok: true, text: op === 'seal' ? box.seal(text) : box.open(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Worker: a SecretBox whose every call blocks this thread until the main thread's box has answered; its error is thrown here. */
export function secretBoxOver(port: MessagePort): SecretBox {
  const remote = new SyncMessagePort(port);
  const ask = (op: 'seal' | 'open', text: string): string => {
    remote.postMessage({ op, text });
    const answer = AnswerSchema.parse(remote.receiveMessage());
    if (!answer.ok) throw new Error(answer.message);
    return answer.text;
  };
  return { seal: (plain) => ask('seal', plain), open: (sealed) => ask('open', sealed) };
}
