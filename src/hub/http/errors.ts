import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ErrorResponse } from '../../shared/protocol';

export function sendError(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  const body: ErrorResponse = { error, message };
  return reply.code(status).send(body);
}

/** Parses with zod or answers 400 with the issues spelled out; returns undefined when it answered. */
export function parseOr400<T extends z.ZodType>(reply: FastifyReply, schema: T, value: unknown): z.output<T> | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  sendError(reply, 400, 'invalid_request', z.prettifyError(result.error));
  return undefined;
}
