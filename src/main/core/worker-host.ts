/**
 * The console core in a worker thread, as Signal Desktop runs its SQL: the
 * thread that answers the UI (Electron's main process, the browser shell's
 * Node process) only relays calls and events, so it never waits on a pull
 * page being written. `coreEndpoint` is the same contract over a core in this
 * thread (tests, benches, the headless console).
 */
import { z } from 'zod';
import type { ApiResult } from '../../shared/api';
import { dispatch } from './dispatch';
import { CoreEvents } from './emitter';
import type { ConsoleCore, ConsoleCoreOptions } from './index';
import { serveSecretBox } from './secret-bridge';
import { startThread } from './threads';
import { type HostMessage, reviveFailure, type WorkerData, WorkerMessageSchema } from './worker-messages';

/** What a shell needs of the core: calls answered as `ApiResult` (never a throw), its events, and the end. */
export interface CoreEndpoint {
  call(method: unknown, input: unknown): Promise<ApiResult<unknown>>;
  events: Pick<CoreEvents, 'on'>;
  close(): Promise<void>;
}

/** A core running in this thread, behind the same contract. */
export function coreEndpoint(core: ConsoleCore): CoreEndpoint {
  return { call: (method, input) => dispatch(core.handlers, method, input), events: core.events, close: () => core.close() };
}

/** The serialisable options go to the worker; `secrets` and `log` stay here, on the main thread. */
export type WorkerCoreOptions = Pick<
  ConsoleCoreOptions,
  'dataDir' | 'hubUrl' | 'lockedHubUrl' | 'allowInsecureHub' | 'nativeBinding' | 'resyncIntervalMs' | 'retryBaseMs' | 'pullPageSize' | 'secrets' | 'log'
>;

export interface WorkerCoreEndpoint extends CoreEndpoint {
  /** Ends the thread at once without closing the core, as a crash would (tests). */
  terminate(): Promise<void>;
}

/** The core's thread: electron-vite's second `main` input (electron.vite.config.ts). */
const CORE_THREAD = { source: './worker-entry.ts', built: 'core-worker.js' };

/**
 * Resolves once the core in its worker has started; a start-up failure rejects with the error the
 * core threw (same class, same message). A worker that dies later answers every call `unavailable`.
 */
export function startConsoleCoreInWorker(options: WorkerCoreOptions): Promise<WorkerCoreEndpoint> {
  const { secrets, log = () => undefined, ...serialisable } = options;
  const box = secrets ? serveSecretBox(secrets) : null;
  const data: WorkerData = { options: serialisable, secrets: box?.port, log: options.log !== undefined };
  const worker = startThread(CORE_THREAD, data, box ? [box.port] : []);

  const events = new CoreEvents();
  const pending = new Map<number, (result: ApiResult<unknown>) => void>();
  let nextId = 0;
  /** Why calls can no longer reach the core (closed, or its thread gone). */
  let unreachable: string | null = null;
  let started = false;
  let closing: Promise<void> | null = null;
  let closed: () => void = () => undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  let settleStart!: { resolve: () => void; reject: (error: Error) => void };
  const starting = new Promise<void>((resolve, reject) => (settleStart = { resolve, reject }));

  const endpoint: WorkerCoreEndpoint = {
    call(method, input) {
      if (unreachable) return Promise.resolve(unavailable(unreachable));
      const id = nextId++;
      return new Promise((resolve) => {
        try {
          worker.postMessage({ type: 'call', id, method, input } satisfies HostMessage);
        } catch (error) {
          // What IPC and the bridge deliver always clones; anything else (a function) is not API input.
          resolve({ ok: false, error: { code: 'invalid_input', message: `the input cannot be passed to the core: ${errorText(error)}` } });
          return;
        }
        pending.set(id, resolve);
      });
    },
    events,
    close() {
      closing ??= (async () => {
        if (!unreachable) {
          unreachable = 'the console core is closed';
          const done = new Promise<void>((resolve) => (closed = resolve));
          worker.postMessage({ type: 'close' } satisfies HostMessage);
          await Promise.race([done, exited]);
        }
        await worker.terminate();
      })();
      return closing;
    },
    async terminate() {
      await worker.terminate();
    },
  };

  worker.on('message', (raw: unknown) => {
    const parsed = WorkerMessageSchema.safeParse(raw);
    if (!parsed.success) {
      log(`the console core's thread sent a message that is not of the protocol: ${z.prettifyError(parsed.error)}`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        started = true;
        settleStart.resolve();
        break;
      case 'failed':
        settleStart.reject(reviveFailure(message.error));
        void worker.terminate();
        break;
      case 'result':
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
        break;
      case 'event':
        events.emit(message.name, message.payload as never);
        break;
      case 'log':
        log(message.message);
        break;
      case 'closed':
        closed();
        break;
    }
  });
  worker.on('error', (error) => {
    // An error thrown and not caught in the worker; its 'exit' follows.
    if (started) log(`the console core's thread failed: ${error.stack ?? error.message}`);
    else settleStart.reject(error);
  });
  worker.on('exit', (code) => {
    box?.close();
    const why = unreachable ?? `the console core's thread stopped (exit code ${code})`;
    if (!unreachable && started) log(why);
    unreachable = why;
    settleStart.reject(new Error(why));
    for (const answer of pending.values()) answer(unavailable(why));
    pending.clear();
  });

  return starting.then(() => endpoint);
}

const unavailable = (message: string): ApiResult<never> => ({ ok: false, error: { code: 'unavailable', message } });

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
