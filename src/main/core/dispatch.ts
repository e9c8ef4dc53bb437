/**
 * The one entry from any transport (IPC, browser bridge, headless): checks the
 * method name, validates the input with the contract's schema, and turns
 * every failure into an ApiError instead of a throw.
 */
import { z } from 'zod';
import { type ApiError, type ApiHandlers, type ApiMethod, type ApiOutput, type ApiResult, apiInputs, isApiMethod } from '../../shared/api';
import { wording } from '../../shared/wording';
import { CoreError } from './errors';

export async function dispatch(handlers: ApiHandlers, method: unknown, input: unknown): Promise<ApiResult<ApiOutput<ApiMethod>>> {
  if (!isApiMethod(method)) return fail('invalid_input', `unknown method ${JSON.stringify(method)}`);
  const parsed = apiInputs[method].safeParse(input ?? {});
  if (!parsed.success) return fail('invalid_input', z.prettifyError(parsed.error), inputWording(parsed.error));
  try {
    const handler = handlers[method] as (input: unknown) => Promise<ApiOutput<ApiMethod>>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    // A refusal carries its key from where it was made (the hub's, the policy's); one without is shown as it was said.
    if (error instanceof CoreError) return fail(error.code, error.message, error.wording);
    return fail('internal', error instanceof Error ? error.message : String(error));
  }
}

/** The contract's schema refused the input: a translated general sentence, the schema's English detail inside. */
const inputWording = (error: z.ZodError) => wording('core.invalidInput', { detail: z.prettifyError(error).slice(0, 2000) });

function fail(code: ApiError['code'], message: string, wording?: ApiError['wording']): ApiResult<never> {
  return { ok: false, error: wording ? { code, message, wording } : { code, message } };
}
