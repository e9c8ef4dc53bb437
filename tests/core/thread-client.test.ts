/**
 * The calling side of the core's threads (src/main/core/thread-client.ts),
 * against a small thread of the same lifecycle (echo-thread.ts): answers by
 * id, a message off the protocol logged and dropped, a start-up failure
 * revived as the same error, a thread that dies failing what is in flight
 * and everything after, and an orderly close.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CoreError } from '../../src/main/core/errors';
import { startThreadClient, type ThreadClient } from '../../src/main/core/thread-client';
import { reviveFailure, StartFailureSchema } from '../../src/main/core/worker-messages';

const EchoSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('closed') }),
  z.object({ type: z.literal('failed'), id: z.number().int().optional(), error: StartFailureSchema }),
  z.object({ type: z.literal('answer'), id: z.number().int(), text: z.string() }),
]);

function echo(workerData: { failStart?: string } = {}) {
  const logged: string[] = [];
  const exits: { code: number; started: boolean }[] = [];
  const client = startThreadClient({
    file: { source: new URL('./echo-thread.ts', import.meta.url).href, built: 'echo-thread.js' },
    workerData,
    schema: EchoSchema,
    name: 'the echo thread',
    log: (line) => logged.push(line),
    onMessage(message, thread) {
      if (message.type === 'answer') thread.settle(message.id, { value: message.text });
      else if (message.type === 'failed' && message.id !== undefined) thread.settle(message.id, { error: reviveFailure(message.error) });
    },
    goneError: (code) => new CoreError('unavailable', `the echo thread stopped (exit code ${code})`),
    onExit: (code, started) => void exits.push({ code, started }),
  });
  return { client, logged, exits };
}

const ask = (client: ThreadClient, id: number, text: string) => client.request<string>(id, { type: 'ask', id, text });

describe('a thread client', () => {
  it('answers requests by id, a failed one with the thread’s error, and logs and drops a message off the protocol', async () => {
    const { client, logged } = echo();
    await client.ready;
    expect(await Promise.all([ask(client, 1, 'one'), ask(client, 2, 'two')])).toEqual(['heard one', 'heard two']);
    await expect(client.request(3, { type: 'refuse', id: 3 })).rejects.toThrow('refused');
    client.post({ type: 'babble' });
    // The sentinel: answered after the babble, so the babble has been handled by then.
    expect(await ask(client, 4, 'after')).toBe('heard after');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^the echo thread sent a message that is not of its protocol/);
    await client.close({ type: 'close' });
  });

  it('rejects its start with the thread’s own start-up failure, as the same class', async () => {
    const { client } = echo({ failStart: 'no cache here' });
    const failure = await client.ready.then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CoreError);
    expect((failure as CoreError).message).toBe('no cache here');
    await client.worker.terminate();
  });

  it('fails the request in flight and every later one when the thread dies, and says it had started', async () => {
    const { client, exits } = echo();
    await client.ready;
    const inFlight = client.request(1, { type: 'die' });
    await expect(inFlight).rejects.toThrow('the echo thread stopped (exit code 3)');
    expect(client.gone).toBe(true);
    await expect(ask(client, 2, 'late')).rejects.toBeInstanceOf(CoreError);
    expect(exits).toEqual([{ code: 3, started: true }]);
  });

  it('closes in order: the thread says closed, then it ends', async () => {
    const { client, exits } = echo();
    await client.ready;
    await client.close({ type: 'close' });
    expect(client.gone).toBe(true);
    expect(exits).toHaveLength(1);
    await expect(ask(client, 1, 'after close')).rejects.toThrow(/stopped/);
  });
});
