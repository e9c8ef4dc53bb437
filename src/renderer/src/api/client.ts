/** The renderer's one way to data: the typed console API, over IPC in Electron or the loopback bridge. */
import type { ApiError, ApiInput, ApiMethod, ApiOutput, ConsoleApi } from '../../../shared/api';
import { createBridgeApi } from './bridge';

/** Electron's preload sets window.switchboard; without it we are in the browser shell. */
export const api: ConsoleApi = window.switchboard ?? createBridgeApi();

export class ApiCallError extends Error {
  readonly code: ApiError['code'];
  /** The error as a key and parameters, for i18n/wording.ts to say in the user's language. */
  readonly wording: ApiError['wording'];
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.wording = error.wording;
  }
}

/** Calls the core and throws ApiCallError on failure, the shape react-query expects. */
export async function call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const result = await api.call(method, input);
  if (!result.ok) throw new ApiCallError(result.error);
  return result.value;
}

export const errorCode = (error: unknown): ApiError['code'] | null => (error instanceof ApiCallError ? error.code : null);
