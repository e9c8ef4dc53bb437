import type { ApiError } from '../../shared/api';

/** An error that crosses to the renderer as a typed ApiError. */
export class CoreError extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
    /** The hub's HTTP status when it answered with an error (absent: it could not be reached). */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}
