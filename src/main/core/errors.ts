import type { ApiError } from '../../shared/api';
import type { Wording } from '../../shared/wording';

/** An error that crosses to the renderer as a typed ApiError. */
export class CoreError extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
    /** The hub's HTTP status when it answered with an error (absent: it could not be reached). */
    readonly status?: number,
    /** The same refusal as a key and parameters, for the renderer to say in the user's language (src/shared/wording.ts). */
    readonly wording?: Wording,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}
