/**
 * The hub's logger. A log line names ids, error codes and what failed — never
 * a customer's words or a credential: errors are logged through
 * `errorForLog`, and every line has its URLs' passwords redacted on its way out.
 */
import { pino, type Logger } from 'pino';
import { redactCredentials } from './redact';

export function createLogger(opts: { logLevel?: string; logStream?: { write(line: string): void } }): Logger {
  const options = {
    level: opts.logLevel ?? 'info',
    // Tokens and passwords never reach a log line, whatever logs them.
    redact: ['req.headers.authorization', 'password', '*.password', 'token', '*.token', 'refreshToken', '*.refreshToken'],
    serializers: { err: errorForLog },
    hooks: { streamWrite: redactCredentials },
  };
  return opts.logStream ? pino(options, opts.logStream) : pino(options);
}

/** What an error may say in a log: these fields name codes and objects, not values. */
const NAMING_FIELDS = ['code', 'errno', 'syscall', 'statusCode', 'severity', 'schema', 'table', 'column', 'constraint', 'routine'] as const;

/**
 * SQLSTATE classes whose messages name objects (a constraint, a column, a
 * lock) and not the values that failed: integrity (23), transaction (25, 40),
 * syntax and access (42), connection (08), resources and state (53–57), 0A.
 * The others — invalid input (22), a raised exception (P0) — may quote a value.
 */
const NAMING_SQLSTATE_CLASSES = new Set(['08', '0A', '23', '25', '40', '42', '53', '54', '55', '57']);

const QUERY_SHOWN = 500;

/**
 * pino's `err` serializer. pino's own copies every field and the message with
 * its causes: drizzle's failed query carries its parameters (a note's body, a
 * customer's name) in both, a database error the failing row in `detail`.
 * Here: type, a message that holds no value, the stack frames, naming fields
 * and the cause, the same way.
 */
export function errorForLog(error: unknown, seen = new Set<unknown>()): unknown {
  if (!(error instanceof Error)) return error;
  seen.add(error);
  const type = error.constructor.name || error.name;
  const message = messageFor(error);
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const logged: Record<string, unknown> = { type, message, stack: [`${type}: ${message}`, ...frames].join('\n') };
  const fields = error as unknown as Record<string, unknown>;
  for (const field of NAMING_FIELDS) if (fields[field] !== undefined) logged[field] = fields[field];
  if (error.cause !== undefined && !seen.has(error.cause)) logged.cause = errorForLog(error.cause, seen);
  return logged;
}

function messageFor(error: Error): string {
  const { query, params, code, severity } = error as Error & { query?: unknown; params?: unknown; code?: unknown; severity?: unknown };
  // The database's own error (pg's or PGlite's, which also carries the query and its parameters).
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string') {
    return NAMING_SQLSTATE_CLASSES.has(code.slice(0, 2)) ? error.message : `database error ${code}`;
  }
  // drizzle's DrizzleQueryError: "Failed query: <sql>\nparams: <values>". The SQL (placeholders only) stays.
  if (typeof query === 'string' && Array.isArray(params)) {
    return `query failed: ${query.length > QUERY_SHOWN ? `${query.slice(0, QUERY_SHOWN)}…` : query}`;
  }
  return error.message;
}
