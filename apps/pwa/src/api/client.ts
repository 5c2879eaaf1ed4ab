import type { AppRouter } from '@evb/server/router';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type Api = ReturnType<typeof createApi>;

/** The tRPC client of the server that served the app (same origin: the session cookie goes along). */
export function createApi(url = '/api/trpc') {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url,
        fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }),
      }),
    ],
  });
}

export const api = createApi();

/** The HTTP status of a failed call, or null when the server was never reached. */
export function errorStatus(error: unknown): number | null {
  if (error instanceof TRPCClientError) {
    const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
    return typeof status === 'number' ? status : null;
  }
  return null;
}

/** A Swedish sentence for a failed call: the server's own message, or why it could not be reached. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError && errorStatus(error) !== null) return error.message;
  if (typeof navigator !== 'undefined' && !navigator.onLine) {
    return 'Du är inte ansluten till nätet. Försök igen när du har anslutning.';
  }
  return 'Servern svarar inte just nu. Försök igen om en stund.';
}

/** The Swedish message per field of a refused input (400), keyed by the field's path ("person.fornamn"). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof TRPCClientError)) return {};
  const issues = (error.data as { issues?: { path: string; message: string }[] } | undefined)
    ?.issues;
  const byField: Record<string, string> = {};
  for (const issue of issues ?? []) {
    byField[issue.path] = byField[issue.path]
      ? `${byField[issue.path]} ${issue.message}`
      : issue.message;
  }
  return byField;
}
