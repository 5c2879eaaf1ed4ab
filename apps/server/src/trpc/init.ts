import { DomainError } from '@evb/domain';
import { initTRPC, TRPCError } from '@trpc/server';
import {
  enrolmentRequiredError,
  MfaEnrolmentRequired,
  openDuringEnrolment,
} from '../auth/mfa/policy';
import type { SessionEnded } from '../auth/sessions';
import type { Role } from '../db/schema';
import type { Context } from './context';
import { findForbiddenInput } from './forbidden-input';

type Issue = { path?: readonly PropertyKey[] | readonly { key: PropertyKey }[]; message: string };

function pathOf(issue: Issue): string {
  return (issue.path ?? [])
    .map((p) => (typeof p === 'object' ? String(p.key) : String(p)))
    .join('.');
}

/** Input errors name the field and say what is wrong, in Swedish: "beslutsdatum: Ange ett …". */
function describeIssues(issues: readonly Issue[]): string {
  return issues.map((i) => (pathOf(i) ? `${pathOf(i)}: ${i.message}` : i.message)).join('; ');
}

/**
 * tRPC's own refusals of a malformed call, in English as tRPC writes them, said in Swedish. The
 * procedures never raise these codes themselves; a NOT_FOUND is tRPC's only for an unknown path.
 */
function protocolMessage(code: string, message: string, cause: unknown): string | null {
  // tRPC's JSON.parse of the body failed: its SyntaxError names a position, in English.
  if (code === 'BAD_REQUEST' && cause instanceof SyntaxError) {
    return 'Begäran kunde inte läsas: den är inte giltig JSON.';
  }
  switch (code) {
    case 'PARSE_ERROR':
      return 'Begäran kunde inte läsas: den är inte giltig JSON.';
    case 'METHOD_NOT_SUPPORTED':
      return 'Anropet gjordes med fel metod (en fråga med GET, en ändring med POST).';
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'Begäran ska skickas som JSON (Content-Type: application/json).';
    case 'PAYLOAD_TOO_LARGE':
      return 'Begäran är för stor.';
    case 'NOT_FOUND':
      return message.startsWith('No procedure found') ? 'Anropet finns inte i evb.' : null;
    default:
      return null;
  }
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const protocol = protocolMessage(error.code, error.message, error.cause);
    if (protocol) {
      return {
        ...shape,
        message: protocol,
        data: { ...shape.data, stack: undefined, sessionEnded: null },
      };
    }
    const cause = error.cause as { issues?: Issue[] } | undefined;
    // A 401 says whether the request's session ended, and why (idle, absolute, revoked), so the
    // PWA can tell the user; null on every other error.
    const sessionEnded: SessionEnded | null =
      error.code === 'UNAUTHORIZED' ? (ctx?.sessionEnded ?? null) : null;
    if (error.code === 'BAD_REQUEST' && Array.isArray(cause?.issues)) {
      return {
        ...shape,
        message: describeIssues(cause.issues),
        data: {
          ...shape.data,
          stack: undefined,
          sessionEnded,
          issues: cause.issues.map((i) => ({ path: pathOf(i), message: i.message })),
        },
      };
    }
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      // Nothing of the inside reaches the user; the server log has it.
      return {
        ...shape,
        message: 'Ett oväntat fel inträffade. Försök igen.',
        data: { ...shape.data, stack: undefined, sessionEnded },
      };
    }
    // An enrolment-only session (MFA required, no factor yet): the PWA shows the enrolment.
    const mfa = error.cause instanceof MfaEnrolmentRequired ? { mfaEnrolmentRequired: true } : {};
    return { ...shape, data: { ...shape.data, stack: undefined, sessionEnded, ...mfa } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** A domain rule refused the request: the user gets its Swedish message, as a 400. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: result.error.cause.message,
      cause: result.error.cause,
    });
  }
  return result;
});

/**
 * Input with a NUL character or a lone surrogate, or nested or sized past the bounds, is refused
 * before its schema or a query sees it (each was a 500).
 */
const checkedInput = t.middleware(async ({ getRawInput, next }) => {
  const problem = findForbiddenInput(await getRawInput());
  if (problem) {
    const where = problem.path.length > 0 ? `${problem.path.join('.')}: ` : '';
    throw new TRPCError({ code: 'BAD_REQUEST', message: `${where}${problem.message}` });
  }
  return next();
});

export const publicProcedure = t.procedure.use(checkedInput).use(domainErrors);

/**
 * A signed-in user; a session that may only enrol a second factor (auth/mfa/policy.ts) reaches
 * nothing else but auth.*.
 */
const signedIn = t.middleware(({ ctx, next, path }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Du är inte inloggad.' });
  if (ctx.mfaEnrolmentRequired && !openDuringEnrolment(path)) throw enrolmentRequiredError();
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const protectedProcedure = publicProcedure.use(signedIn);

/**
 * For a procedure that answers each item of a batch on its own (sync.push): it refuses a NUL
 * character per item itself, so that one bad item in a phone's outbox never blocks the others.
 */
export const itemwiseProtectedProcedure = t.procedure.use(domainErrors).use(signedIn);

/** A procedure for users holding one of `roles`; anyone else gets 403. */
export function roleProcedure(...roles: Role[]) {
  return protectedProcedure.use(({ ctx, next }) => {
    if (!ctx.user.roles.some((grant) => roles.includes(grant.role))) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: 'Din roll har inte behörighet till detta.',
      });
    }
    return next();
  });
}

/** The same answer for "does not exist" and "you may not see it": nothing leaks. */
export function notFound(what = 'Beslutet'): TRPCError {
  return new TRPCError({
    code: 'NOT_FOUND',
    message: `${what} finns inte eller så saknar du behörighet.`,
  });
}
