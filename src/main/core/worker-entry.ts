/**
 * The console core's thread (started by worker-host.ts): makes the core from
 * workerData, answers the main thread's calls with dispatch(), posts every
 * API event, and closes the core when told. Its SQLite work — a bootstrap's
 * pull pages too — runs here, never on the thread that answers the UI.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { API_EVENT_NAMES, type ApiResult } from '../../shared/api';
import { type ConsoleCore, createConsoleCore } from './index';
import { dispatch } from './dispatch';
import { secretBoxOver } from './secret-bridge';
import { describeFailure, HostMessageSchema, type WorkerMessage, WorkerDataSchema } from './worker-messages';

if (!parentPort) throw new Error('worker-entry.ts runs as a worker thread (worker-host.ts starts it)');
const port = parentPort;
const post = (message: WorkerMessage) => port.postMessage(message);

async function start(): Promise<ConsoleCore> {
  const data = WorkerDataSchema.parse(workerData);
  return createConsoleCore({
    ...data.options,
    secrets: data.secrets ? secretBoxOver(data.secrets) : undefined,
    log: data.log ? (message) => post({ type: 'log', message }) : undefined,
  });
}

function serve(core: ConsoleCore): void {
  for (const name of API_EVENT_NAMES) {
    core.events.on(name, (payload) => {
      try {
        post({ type: 'event', name, payload });
      } catch (error) {
        // Never into the core's emitter: a payload that does not clone is the core's bug, not the caller's.
        post({ type: 'log', message: `the ${name} event could not be passed on: ${errorText(error)}` });
      }
    });
  }
  port.on('message', (raw: unknown) => {
    const parsed = HostMessageSchema.safeParse(raw);
    if (!parsed.success) {
      post({ type: 'log', message: `the console core's thread ignored a message that is not of the protocol: ${z.prettifyError(parsed.error)}` });
      return;
    }
    const message = parsed.data;
    if (message.type === 'close') {
      void core
        .close()
        .catch((error: unknown) => post({ type: 'log', message: `closing the console core failed: ${errorText(error)}` }))
        .finally(() => post({ type: 'closed' }));
      return;
    }
    void dispatch(core.handlers, message.method, message.input).then((result) => answer(message.id, result));
  });
  post({ type: 'ready' });
}

function answer(id: number, result: ApiResult<unknown>): void {
  try {
    post({ type: 'result', id, result });
  } catch (error) {
    post({ type: 'result', id, result: { ok: false, error: { code: 'internal', message: `the answer could not be passed on: ${errorText(error)}` } } });
  }
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

start().then(serve, (error: unknown) => post({ type: 'failed', error: describeFailure(error) }));
