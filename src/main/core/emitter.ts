import { EventEmitter } from 'node:events';
import type { ApiEventName, ApiEvents } from '../../shared/api';

/** The core's push events, typed by the API contract. */
export class CoreEvents {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(100);
  }

  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    this.#emitter.emit(event, payload);
  }

  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    this.#emitter.on(event, listener);
    return () => this.#emitter.off(event, listener);
  }
}
