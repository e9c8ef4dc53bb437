/**
 * The console core in a worker thread, as Signal Desktop runs its SQL: the
 * thread that answers the UI (Electron's main process, the browser shell's
 * Node process) only relays calls and events, so it never waits on a pull
 * page being written. `coreEndpoint` is the same contract over a core in this
 * thread (tests, benches, the headless console).
 */
import type { ApiResult } from '../../shared/api';
import { dispatch } from './dispatch';
import { CoreEvents } from './emitter';
import { CoreError } from './errors';
import type { ConsoleCore, ConsoleCoreOptions } from './index';
import { serveSecretBox } from './secret-bridge';
import { startThreadClient } from './thread-client';
import { type HostMessage, type WorkerData, WorkerMessageSchema } from './worker-messages';

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
  const events = new CoreEvents();
  let nextId = 0;
  /** Why calls can no longer reach the core (closed, or its thread gone). */
  let unreachable: string | null = null;
  let closing: Promise<void> | null = null;

  const thread = startThreadClient({
    file: CORE_THREAD,
    workerData: data,
    transferList: box ? [box.port] : [],
    schema: WorkerMessageSchema,
    name: "the console core's thread",
    log,
    onMessage(message, client) {
      if (message.type === 'result') client.settle(message.id, { value: message.result });
      else if (message.type === 'event') events.emit(message.name, message.payload as never);
      else if (message.type === 'log') log(message.message);
    },
    goneError: (code) => new CoreError('unavailable', unreachable ?? `the console core's thread stopped (exit code ${code})`),
    onExit(code, started) {
      box?.close();
      const why = unreachable ?? `the console core's thread stopped (exit code ${code})`;
      if (!unreachable && started) log(why);
      unreachable = why;
    },
  });
  // A core that could not start has nothing to close.
  thread.ready.catch(() => void thread.worker.terminate());

  const endpoint: WorkerCoreEndpoint = {
    async call(method, input) {
      if (unreachable) return unavailable(unreachable);
      const id = nextId++;
      try {
        return await thread.request<ApiResult<unknown>>(id, { type: 'call', id, method, input } satisfies HostMessage);
      } catch (error) {
        if (error instanceof CoreError) return unavailable(error.message);
        // What IPC and the bridge deliver always clones; anything else (a function) is not API input.
        return { ok: false, error: { code: 'invalid_input', message: `the input cannot be passed to the core: ${errorText(error)}` } };
      }
    },
    events,
    close() {
      closing ??= (async () => {
        unreachable ??= 'the console core is closed';
        await thread.close({ type: 'close' } satisfies HostMessage);
      })();
      return closing;
    },
    async terminate() {
      await thread.worker.terminate();
    },
  };
  return thread.ready.then(() => endpoint);
}

const unavailable = (message: string): ApiResult<never> => ({ ok: false, error: { code: 'unavailable', message } });

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
