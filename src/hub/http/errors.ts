import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ErrorResponse } from '../../shared/protocol';
import { invalidInputWording, type Wording } from '../../shared/wording';
import type { Rejection } from '../repos/rejection';

/** `wording`: the refusal as a key and parameters, so a console says it in its user's language; `message` stays English for logs and scripts. */
export function sendError(reply: FastifyReply, status: number, error: string, message: string, wording?: Wording): FastifyReply {
  const body: ErrorResponse = wording ? { error, message, wording } : { error, message };
  return reply.code(status).send(body);
}

/** A refusal the hub's logic threw (repos/rejection.ts) as its error body: its code, its English and its wording. */
export function sendRejection(reply: FastifyReply, status: number, rejection: Rejection): FastifyReply {
  return sendError(reply, status, rejection.reason, rejection.detail ?? rejection.message, rejection.wording);
}

/** Parses with zod or answers 400 with the issues spelled out; returns undefined when it answered. */
export function parseOr400<T extends z.ZodType>(reply: FastifyReply, schema: T, value: unknown): z.output<T> | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = z.prettifyError(result.error);
  sendError(reply, 400, 'invalid_request', detail, invalidInputWording(detail));
  return undefined;
}

const CODE_FOR_STATUS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * Errors fastify raises itself (bad JSON, wrong content type, body too large,
 * rate limit, unknown route) get the same `{error, message}` shape as ours;
 * anything unexpected is a logged 500 that reveals nothing. The log line
 * names who and what failed, never the values (ops/logger.ts, `errorForLog`).
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      request.log.error({ err: error, userId: request.actor?.id }, 'request failed');
      return sendError(reply, 500, 'internal', 'internal error');
    }
    return sendError(reply, status, CODE_FOR_STATUS[status] ?? 'bad_request', error.message);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
}
