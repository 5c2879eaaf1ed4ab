import { TRPCError } from '@trpc/server';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import { appRouter } from '../router';

/*
 * A caller made with createCaller throws the raw TRPCError; the client gets it through the error
 * formatter (trpc/init.ts), which turns zod issues into "field: Swedish message". This gives a
 * test what the client would see.
 */

export type ClientError = { code: string; httpStatus: number; message: string };

/** The refusal a procedure call ends in, as the client sees it; fails if the call succeeds. */
export async function refusal(call: Promise<unknown>): Promise<ClientError> {
  let error: unknown;
  try {
    await call;
  } catch (caught) {
    error = caught;
  }
  if (!(error instanceof TRPCError)) {
    throw new Error(`expected a refusal, got ${error ? String(error) : 'a result'}`);
  }
  const shape = getErrorShape({
    config: appRouter._def._config,
    error,
    type: 'unknown',
    path: undefined,
    input: undefined,
    ctx: undefined,
  });
  return {
    code: error.code,
    httpStatus: (shape.data as { httpStatus: number }).httpStatus,
    message: shape.message,
  };
}
