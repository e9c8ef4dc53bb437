/**
 * What every HTTP sender does with its provider: one fetch bound to the
 * worker's AbortSignal, the answer read as JSON, and a failed call turned
 * into a DeliveryError — transient for what trying again can fix (a network
 * error, a timeout, 408, 429, 5xx), permanent for any other 4xx, with the
 * provider's own words as the reason.
 */
import type { z } from 'zod';
import { DeliveryError } from './outbound';

export interface ProviderAnswer {
  status: number;
  /** The JSON body, or its text when it is not JSON, or null when empty. */
  body: unknown;
}

/** 408 Request Timeout, 425 Too Early, 429 Too Many Requests: the request may succeed later. */
const RETRYABLE_4XX = new Set([408, 425, 429]);

export const isTransientStatus = (status: number): boolean => status >= 500 || RETRYABLE_4XX.has(status);

/**
 * Calls the provider. A network failure or the signal firing is a transient
 * DeliveryError; any HTTP status is returned for the sender to judge.
 */
export async function callProvider(provider: string, url: string, init: { method?: string; headers?: Record<string, string>; json?: unknown }, signal: AbortSignal): Promise<ProviderAnswer> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { method: init.method ?? (init.json === undefined ? 'GET' : 'POST'), headers, body: init.json === undefined ? undefined : JSON.stringify(init.json), signal });
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw new DeliveryError(`${provider} did not answer in time`, false);
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    throw new DeliveryError(`${provider} could not be reached: ${cause}`, false);
  }
  let body: unknown = text === '' ? null : text;
  try {
    if (text !== '') body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): keep the text as the reason.
  }
  return { status: response.status, body };
}

/** The error for a failed call: `reason` in the provider's words, else the status and any text it sent. */
export function providerFailure(provider: string, answer: ProviderAnswer, reason: string | undefined, transient = isTransientStatus(answer.status)): DeliveryError {
  const fallback = typeof answer.body === 'string' && answer.body.trim() ? answer.body.trim().slice(0, 300) : `${provider} answered HTTP ${answer.status}`;
  return new DeliveryError(reason?.trim() ? reason.trim() : fallback, !transient);
}

/**
 * A 2xx answer read with the provider's schema. An answer that does not fit
 * is permanent: the provider accepted the call, so sending again could post twice.
 */
export function parseSuccess<S extends z.ZodType>(provider: string, schema: S, answer: ProviderAnswer): z.infer<S> {
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) throw new DeliveryError(`${provider} accepted the reply but its answer could not be read; check before sending again`, true);
  return parsed.data;
}
