import type { ApiError } from '../../shared/api';

/** An error that crosses to the renderer as a typed ApiError. */
export class CoreError extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}
