/**
 * A thread for tests/core/thread-client.test.ts, speaking the lifecycle every
 * core thread speaks: `ready` (or, told so by its workerData, a start-up
 * failure), answers by id, a message off the protocol when asked, an exit
 * when asked, and `closed` on `close`.
 */
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort!;
const { failStart } = workerData as { failStart?: string };
if (failStart) port.postMessage({ type: 'failed', error: { kind: 'CoreError', message: failStart, code: 'unavailable' } });
else port.postMessage({ type: 'ready' });

port.on('message', (message: { type: string; id?: number; text?: string }) => {
  if (message.type === 'ask') port.postMessage({ type: 'answer', id: message.id, text: `heard ${message.text}` });
  if (message.type === 'refuse') port.postMessage({ type: 'failed', id: message.id, error: { kind: 'Error', message: 'refused' } });
  if (message.type === 'babble') port.postMessage({ type: 'answer', id: 'not a number' });
  if (message.type === 'die') process.exit(3);
  if (message.type === 'close') {
    port.postMessage({ type: 'closed' });
    port.close();
  }
});
