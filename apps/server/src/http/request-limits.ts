import { IMPORT_LIMITS } from '@evb/domain';
import type { Context, MiddlewareHandler } from 'hono';

/*
 * What the API reads of a request before anything else looks at it. A hostile body — megabytes,
 * or brackets nested a hundred thousand deep — is refused here, after reading at most the limit and
 * one pass over the text, so that it costs the server no more than an ordinary call and never
 * reaches JSON.parse, zod or a query. Every refusal is a 4xx in tRPC's own error shape, so the app
 * shows its Swedish message like any other.
 */

/** The largest body of an ordinary call (a phone's push of 100 events is about 50 kB). */
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * The largest body of an import call: the case system's file (IMPORT_LIMITS.maxBytes) as a JSON
 * string, where a quote or a line break takes two bytes.
 */
export const MAX_IMPORT_BODY_BYTES = 2 * IMPORT_LIMITS.maxBytes + 64 * 1024;
/** How deeply a call's JSON may nest: the deepest real input (a draft in a push) needs 8. */
export const MAX_JSON_DEPTH = 32;
/** The most calls one batched request may carry; the PWA's client sends at most 10. */
export const MAX_BATCH_SIZE = 20;

const IMPORT_PROCEDURES = new Set([
  'imports.dryRun',
  'imports.run',
  'imports.filingsDryRun',
  'imports.filingsRun',
]);

/** The procedures a tRPC request names: `/api/trpc/a.b,c.d` → ['a.b', 'c.d']. */
export function proceduresOf(pathname: string): string[] {
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  return decodeURIComponent(last).split(',').filter(Boolean);
}

export function bodyLimitFor(procedures: readonly string[]): number {
  return procedures.length > 0 && procedures.every((p) => IMPORT_PROCEDURES.has(p))
    ? MAX_IMPORT_BODY_BYTES
    : MAX_BODY_BYTES;
}

/**
 * Whether JSON text nests arrays and objects deeper than `max`, found in one pass without parsing
 * (brackets inside strings do not count). Malformed text is left for the JSON parser to refuse.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 92 /* \ */) i++;
      else if (code === 34 /* " */) inString = false;
    } else if (code === 34) {
      inString = true;
    } else if (code === 91 /* [ */ || code === 123 /* { */) {
      if (++depth > max) return true;
    } else if (code === 93 /* ] */ || code === 125 /* } */) {
      depth--;
    }
  }
  return false;
}

/**
 * The body as text, or null as soon as it grows past `limit` bytes (the rest is never read: a
 * client that declares no length, or a false one, is cut off all the same).
 */
export async function readBodyWithin(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

export type Refusal = {
  status: 400 | 403 | 413;
  code: 'BAD_REQUEST' | 'FORBIDDEN' | 'PAYLOAD_TOO_LARGE';
  message: string;
};

const JSON_RPC_CODE = {
  BAD_REQUEST: -32600,
  FORBIDDEN: -32003,
  PAYLOAD_TOO_LARGE: -32413,
} as const;

/**
 * A refusal before tRPC sees the request, answered as tRPC would: one error, or one per call of a
 * batch, so the app shows its message like any other.
 */
export function refuseTrpcRequest(c: Context, refusal: Refusal): Response {
  return refuse(c, proceduresOf(c.req.path), refusal);
}

function refuse(c: Context, procedures: readonly string[], refusal: Refusal): Response {
  const error = (path?: string) => ({
    error: {
      message: refusal.message,
      code: JSON_RPC_CODE[refusal.code],
      data: { code: refusal.code, httpStatus: refusal.status, ...(path ? { path } : {}) },
    },
  });
  // The rest of a refused body is never read: the connection is not used again.
  if (refusal.status === 413) c.header('Connection', 'close');
  const batched = c.req.query('batch') === '1';
  const body = batched
    ? procedures.slice(0, MAX_BATCH_SIZE).map((path) => error(path))
    : error(procedures[0]);
  return c.json(body, refusal.status);
}

function tooLarge(limit: number): Refusal {
  const megabytes = Math.round((limit / (1024 * 1024)) * 10) / 10;
  return {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: `Begäran är för stor (högst ${String(megabytes).replace('.', ',')} MB).`,
  };
}

const TOO_DEEP: Refusal = {
  status: 400,
  code: 'BAD_REQUEST',
  message: 'Begäran är för djupt nästlad och avvisades.',
};

const TOO_MANY: Refusal = {
  status: 400,
  code: 'BAD_REQUEST',
  message: `Högst ${MAX_BATCH_SIZE} anrop kan skickas i samma begäran.`,
};

/**
 * The tRPC endpoint's gate: a batch of at most MAX_BATCH_SIZE calls, a body within its limit, and
 * JSON (the body, or a query's `input`) nested at most MAX_JSON_DEPTH deep. The body that passes
 * is handed on as text already read.
 */
export function limitTrpcRequests(): MiddlewareHandler {
  return async (c, next) => {
    const procedures = proceduresOf(c.req.path);
    if (procedures.length > MAX_BATCH_SIZE) return refuse(c, procedures, TOO_MANY);
    const input = c.req.query('input');
    if (input !== undefined && jsonNestsDeeperThan(input, MAX_JSON_DEPTH)) {
      return refuse(c, procedures, TOO_DEEP);
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();

    const limit = bodyLimitFor(procedures);
    const declared = Number(c.req.header('content-length'));
    if (Number.isFinite(declared) && declared > limit) {
      return refuse(c, procedures, tooLarge(limit));
    }
    const body = await readBodyWithin(c.req.raw, limit);
    if (body === null) return refuse(c, procedures, tooLarge(limit));
    if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH)) return refuse(c, procedures, TOO_DEEP);
    c.req.raw = new Request(c.req.raw.url, {
      method: c.req.method,
      headers: c.req.raw.headers,
      body,
      signal: c.req.raw.signal,
    });
    return next();
  };
}
