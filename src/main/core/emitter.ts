import { EventEmitter } from 'node:events';
import type { ApiEventName, ApiEvents } from '../../shared/api';

type Listener<E extends ApiEventName> = (payload: ApiEvents[E]) => void;

/** The core's push events, typed by the API contract. */
export class CoreEvents {
  readonly #emitter = new EventEmitter();

  constructor() {
    // Every window and bridge client subscribes to each event.
    this.#emitter.setMaxListeners(100);
  }

  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    this.#emitter.emit(event, payload);
  }

  /** Returns the matching unsubscribe. */
  on<E extends ApiEventName>(event: E, listener: Listener<E>): () => void {
    this.#emitter.on(event, listener);
    return () => this.off(event, listener);
  }

  off<E extends ApiEventName>(event: E, listener: Listener<E>): void {
    this.#emitter.off(event, listener);
  }

  removeAllListeners(): void {
    this.#emitter.removeAllListeners();
  }
}
