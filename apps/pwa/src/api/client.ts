import type { AppRouter } from '@evb/server/router';
import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCLink } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { observable } from '@trpc/server/observable';

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type Api = ReturnType<typeof createApi>;
export type AuthStatus = RouterOutputs['auth']['status'];
/** Why the server ended a session: idle too long, at its absolute end, or revoked. */
export type SessionEnded = NonNullable<AuthStatus['sessionEnded']>;

type UnauthorizedListener = (ended: SessionEnded | null) => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/**
 * Called when any call (a screen's as well as the sync's) is refused because the session has
 * ended, with the server's reason. The sign-in calls themselves (auth.*) are not reported.
 */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

type MfaEnrolmentListener = () => void;
const mfaEnrolmentListeners = new Set<MfaEnrolmentListener>();

/**
 * Called when a call is refused because the kommun requires a second factor and this session has
 * none yet (FORBIDDEN with data.mfaEnrolmentRequired): the app then shows only adding one.
 */
export function onMfaEnrolmentRequired(listener: MfaEnrolmentListener): () => void {
  mfaEnrolmentListeners.add(listener);
  return () => mfaEnrolmentListeners.delete(listener);
}

/** Whether a failed call was refused until the user adds a second factor. */
export function mfaEnrolmentRequiredOf(error: unknown): boolean {
  return (
    error instanceof TRPCClientError &&
    errorStatus(error) === 403 &&
    (error.data as { mfaEnrolmentRequired?: unknown } | undefined)?.mfaEnrolmentRequired === true
  );
}

const reportUnauthorized: TRPCLink<AppRouter> =
  () =>
  ({ next, op }) =>
    observable((observer) =>
      next(op).subscribe({
        next: (value) => observer.next(value),
        error: (error) => {
          const unauthorized = op.path.startsWith('auth.') ? null : unauthorizedOf(error);
          if (unauthorized)
            for (const listener of unauthorizedListeners) listener(unauthorized.ended);
          if (!op.path.startsWith('auth.') && mfaEnrolmentRequiredOf(error))
            for (const listener of mfaEnrolmentListeners) listener();
          observer.error(error);
        },
        complete: () => observer.complete(),
      }),
    );

/** The tRPC client of the server that served the app (same origin: the session cookie goes along). */
export function createApi(url = '/api/trpc') {
  return createTRPCClient<AppRouter>({
    links: [
      reportUnauthorized,
      httpBatchLink({
        url,
        // The server takes at most 20 calls in one request (MAX_BATCH_SIZE).
        maxItems: 10,
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

const SESSION_ENDED: readonly SessionEnded[] = ['idle', 'absolute', 'revoked'];

/**
 * A refusal because the caller is not signed in (401), with why the session ended when the
 * server said; null for any other failure.
 */
export function unauthorizedOf(error: unknown): { ended: SessionEnded | null } | null {
  if (errorStatus(error) !== 401 || !(error instanceof TRPCClientError)) return null;
  const ended = (error.data as { sessionEnded?: unknown } | undefined)?.sessionEnded;
  return {
    ended: SESSION_ENDED.includes(ended as SessionEnded) ? (ended as SessionEnded) : null,
  };
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
