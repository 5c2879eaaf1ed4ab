import { randomUUID } from 'node:crypto';

/*
 * The server's one way to log an error. Logs carry ids and counts, never personal data.
 *
 * An error's message cannot be trusted with that: a database error's message and its `detail`
 * quote the values of the row it refused ("Key (personnummer)=(198001011234) already exists"),
 * `where` and `hint` quote more, PGlite attaches the query and its parameters to the error, a
 * zod error quotes the input it refused, and our own messages may name a person. So none of that
 * text is ever printed. What is printed is what an operator needs to find the fault: where it
 * happened (the tRPC path or route), who asked (user id), which request (a request id), and for
 * each error of the chain (an error, its cause, …) its class, its code (a tRPC code, a Node code,
 * PostgreSQL's SQLSTATE), the constraint, table and column a database error names, and the first
 * frames of its stack (function names and files, without the message the stack starts with).
 */

export type ErrorLogContext = {
  /** The tRPC procedure or the HTTP route. */
  path?: string | null;
  userId?: string | null;
  /** requestIdOf(req) of the request being answered. */
  requestId?: string | null;
};

/** One error of a chain, as logged. */
export type LoggedError = {
  class: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  /** The first frames of the stack: `at function (file:line:column)`. */
  at: string[];
};

export type ErrorLogLine = {
  level: 'error';
  time: string;
  /** A short fixed text saying what failed, e.g. "tRPC" or "sync.push item". */
  event: string;
  path: string | null;
  userId: string | null;
  requestId: string | null;
  errors: LoggedError[];
};

const MAX_CHAIN = 5;
const MAX_FRAMES = 5;

/** A name or code made only of identifier characters; anything else is left out. */
function identifier(value: unknown, pattern: RegExp): string | undefined {
  return typeof value === 'string' && pattern.test(value) ? value : undefined;
}

/** Codes: SQLSTATE (23505), tRPC (INTERNAL_SERVER_ERROR), Node (ECONNREFUSED, ERR_…). */
const CODE = /^[A-Z0-9_]{1,64}$/;
/** Class, constraint, table and column names: SQL and JavaScript identifiers. */
const NAME = /^[A-Za-z_$][\w$.]{0,62}$/;

function framesOf(error: object): string[] {
  const stack = (error as { stack?: unknown }).stack;
  if (typeof stack !== 'string') return [];
  // A stack starts with "Class: message" (the message may span lines): only the frames are kept.
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, MAX_FRAMES)
    .map((line) => line.trim());
}

function describe(error: unknown): LoggedError {
  if (typeof error !== 'object' || error === null) {
    return { class: typeof error, at: [] };
  }
  const e = error as Record<string, unknown>;
  const described: LoggedError = {
    class: identifier(error.constructor?.name, NAME) ?? 'Object',
    at: framesOf(error),
  };
  const code = identifier(e.code, CODE);
  if (code) described.code = code;
  for (const key of ['constraint', 'table', 'column'] as const) {
    const value = identifier(e[key], NAME);
    if (value) described[key] = value;
  }
  return described;
}

/** An error and its causes, outermost first, without their messages. */
export function describeError(error: unknown): LoggedError[] {
  const chain: LoggedError[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < MAX_CHAIN) {
    if (seen.has(current)) break;
    seen.add(current);
    chain.push(describe(current));
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

/** Logs an error as one JSON line on stderr: see the top of this file for what it holds. */
export function logError(event: string, error: unknown, context: ErrorLogContext = {}): void {
  const line: ErrorLogLine = {
    level: 'error',
    time: new Date().toISOString(),
    event,
    path: context.path ?? null,
    userId: context.userId ?? null,
    requestId: context.requestId ?? null,
    errors: describeError(error),
  };
  console.error(JSON.stringify(line));
}

/**
 * Logs something an operator should know that is not an error (an export stopped at its time
 * limit, refused while too many wait) as one JSON line on stderr, with the same context fields as
 * an error line; `counts` holds ids, limits and counts only.
 */
export function logWarning(
  event: string,
  context: ErrorLogContext,
  counts: Record<string, string | number | null> = {},
): void {
  console.warn(
    JSON.stringify({
      level: 'warn',
      time: new Date().toISOString(),
      event,
      path: context.path ?? null,
      userId: context.userId ?? null,
      requestId: context.requestId ?? null,
      ...counts,
    }),
  );
}

const requestIds = new WeakMap<Request, string>();

/**
 * The request's id, the same for every log line of one request: made by the server (a header the
 * client sends could carry anything, so none is taken from the request).
 */
export function requestIdOf(req: Request): string {
  let id = requestIds.get(req);
  if (!id) {
    id = randomUUID();
    requestIds.set(req, id);
  }
  return id;
}
