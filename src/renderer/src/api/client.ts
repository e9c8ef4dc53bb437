/** The renderer's one way to data: the typed console API, over IPC in Electron or the loopback bridge. */
import type { ApiError, ApiInput, ApiMethod, ApiOutput, ConsoleApi } from '../../../shared/api';
import { createBridgeApi } from './bridge';

export const api: ConsoleApi = window.switchboard ?? createBridgeApi();

export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }
}

/** Calls the core and throws ApiCallError on failure, for react-query. */
export async function call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const result = await api.call(method, input);
  if (!result.ok) throw new ApiCallError(result.error);
  return result.value;
}
