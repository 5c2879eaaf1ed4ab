import { type CaseEvent, DomainError } from '@evb/domain';
import { TRPCError } from '@trpc/server';
import type { ControlledTransaction } from 'kysely';
import { ZodError } from 'zod';
import { decisionScope } from '../access/scope';
import { insertAudit } from '../data/audit';
import { findVisibleDecision, lockChangeSequence } from '../data/decisions';
import {
  type DraftRow,
  deleteDraft,
  findClientMutation,
  findClientMutations,
  findDraft,
  insertClientMutation,
  type StoredMutation,
  saveDraft,
} from '../data/sync';
import type { Db } from '../db/database';
import type { DB } from '../db/schema';
import { appendCaseEvent } from '../services/case-events';
import type { AuthUser } from '../trpc/context';
import { notFound } from '../trpc/init';
import { describeIssues, pathOfNulCharacter } from './issues';
import {
  type DraftInput,
  type Mutation,
  MutationIdSchema,
  MutationSchema,
  type PushInput,
} from './schemas';

/*
 * sync.push: a phone's outbox, applied in order in one transaction, each item in a savepoint of
 * its own so that a refused item never takes the others with it.
 *
 * Idempotency lives here, not in the phone's retries: every answer (applied or rejected) is stored
 * in client_mutation under the mutation's id, in the same savepoint as its effect. A mutation id
 * seen before is answered with the stored answer and changes nothing; an id that belongs to
 * another user is refused. The whole push holds the change-sequence lock, so two pushes of the
 * same batch run one after the other and the second finds the first one's answers; the primary
 * key on client_mutation is the last guard (a violation re-reads the stored answer).
 *
 * A rejection is final for its mutation id: retrying the same id answers the same rejection, even
 * if what caused it has changed since (the phone shows the reason; to try again after a fix, it
 * sends the item under a new mutation id, or the user discards it). Only failures of the database
 * connection or transaction itself are not answered per item: the whole push fails and nothing
 * of it is stored, so the phone's retry of the same batch is safe.
 */

export type RejectionCode =
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'INTERNAL_SERVER_ERROR';

export type DraftView = {
  id: string;
  decisionId: string | null;
  form: string;
  data: Record<string, unknown>;
  /** When it was last edited, by the client's clock (never later than the server's). */
  updatedAt: string;
};

/**
 * The event as the server stored it (with its recordedAt). Not the decision's status: an answer is
 * replayed verbatim to a repeated push, when a status would be stale, and the phone computes the
 * status with the domain from what it pulls.
 */
export type EventResult = { event: CaseEvent };
/** The draft as stored; `superseded` when the server kept a newer edit from another device. */
export type DraftResult = { draft: DraftView; superseded: boolean };
export type DraftDeleteResult = { draftId: string; deleted: true };

export type PushAnswer =
  | { id: string; status: 'applied'; result: EventResult | DraftResult | DraftDeleteResult }
  | { id: string; status: 'rejected'; code: RejectionCode; reason: string };

export type PushClock = { now: Date; today: string };

type Savepoint = ControlledTransaction<DB, ['mutation']>;

export async function pushMutations(
  db: Db,
  user: AuthUser,
  input: PushInput,
  clock: PushClock,
): Promise<PushAnswer[]> {
  const trx = await db.startTransaction().execute();
  try {
    await lockChangeSequence(trx);
    // Read once: while this push holds the lock, no other push can store an answer.
    const known = await findClientMutations(
      trx,
      input.mutations.map((m) => m.id).filter((id) => MutationIdSchema.safeParse(id).success),
    );
    const answers: PushAnswer[] = [];
    let replayed = 0;
    for (const item of input.mutations) {
      const outcome = await answerMutation(trx, user, item, clock, known);
      answers.push(outcome.answer);
      if (outcome.replayed) replayed++;
    }
    const applied = answers.filter((a) => a.status === 'applied').length;
    await insertAudit(trx, {
      userId: user.id,
      role: user.roles.map((r) => r.role).join(','),
      action: 'sync_push',
      details: {
        klient: input.clientId ?? null,
        andringar: answers.length,
        tillampade: applied,
        avvisade: answers.length - applied,
        upprepade: replayed,
      },
    });
    await trx.commit().execute();
    return answers;
  } catch (error) {
    await trx
      .rollback()
      .execute()
      .catch(() => {});
    throw error;
  }
}

async function answerMutation(
  trx: ControlledTransaction<DB>,
  user: AuthUser,
  item: PushInput['mutations'][number],
  clock: PushClock,
  known: Map<string, StoredMutation>,
): Promise<{ answer: PushAnswer; replayed: boolean }> {
  const id = MutationIdSchema.safeParse(item.id);
  // Without a usable id there is nothing to remember the answer by.
  if (!id.success) {
    return { answer: rejected(item.id, rejectionFor(id.error, 'id')), replayed: false };
  }
  const stored = known.get(id.data);
  if (stored) return { answer: answerOf(stored, user, id.data), replayed: true };

  const parsed = MutationSchema.safeParse(item);
  const nul = pathOfNulCharacter(item);
  const savepoint = await trx.savepoint('mutation').execute();
  let answer: PushAnswer;
  if (!parsed.success) {
    answer = rejected(id.data, rejectionFor(parsed.error));
  } else if (nul) {
    answer = rejected(id.data, {
      code: 'BAD_REQUEST',
      reason: `${nul.join('.')}: Texten innehåller ett otillåtet tecken`,
    });
  } else {
    try {
      const result = await applyMutation(savepoint, user, parsed.data, clock);
      answer = { id: id.data, status: 'applied', result };
    } catch (error) {
      if (isTransactionFailure(error)) throw error;
      await savepoint.rollbackToSavepoint('mutation').execute();
      answer = rejected(id.data, rejectionFor(error));
    }
  }
  // What is stored is JSON: answer the first push exactly as a repeated one will be answered.
  // A reason may quote a field name sent with a NUL in it, which jsonb cannot hold.
  answer = JSON.parse(
    JSON.stringify(answer, (_key, value) =>
      typeof value === 'string' ? value.replaceAll('\u0000', '\uFFFD') : value,
    ),
  ) as PushAnswer;
  try {
    await insertClientMutation(savepoint, { id: id.data, userId: user.id, response: answer });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another push stored this id first: undo ours and answer what it stored.
    await savepoint.rollbackToSavepoint('mutation').execute();
    await savepoint.releaseSavepoint('mutation').execute();
    const winner = await findClientMutation(trx, id.data);
    if (!winner) throw error;
    known.set(id.data, winner);
    return { answer: answerOf(winner, user, id.data), replayed: true };
  }
  await savepoint.releaseSavepoint('mutation').execute();
  // The same id twice in one batch: the second is answered like a repeated push.
  known.set(id.data, { userId: user.id, response: answer });
  return { answer, replayed: false };
}

/** The stored answer for a mutation id of this user, or a refusal if the id is someone else's. */
function answerOf(stored: StoredMutation, user: AuthUser, id: string): PushAnswer {
  if (stored.userId !== user.id) {
    return rejected(id, {
      code: 'CONFLICT',
      reason: 'Ändringens id används redan. Skicka den med ett nytt id.',
    });
  }
  return stored.response as PushAnswer;
}

async function applyMutation(
  db: Savepoint,
  user: AuthUser,
  mutation: Mutation,
  clock: PushClock,
): Promise<EventResult | DraftResult | DraftDeleteResult> {
  switch (mutation.kind) {
    case 'event':
      return logEvent(db, user, mutation.event, clock);
    case 'draft':
      return storeDraft(db, user, mutation.draft, clock);
    case 'draft.delete':
      return removeDraft(db, user, mutation.draftId, clock);
  }
}

async function logEvent(
  db: Db,
  user: AuthUser,
  event: CaseEvent,
  clock: PushClock,
): Promise<EventResult> {
  const appended = await appendCaseEvent(db, user, event, clock.today, clock.now);
  return { event: appended.event };
}

async function storeDraft(
  db: Db,
  user: AuthUser,
  draft: DraftInput,
  clock: PushClock,
): Promise<DraftResult> {
  const existing = await findDraft(db, draft.id);
  if (existing && existing.userId !== user.id) {
    throw new TRPCError({ code: 'CONFLICT', message: 'Utkastets id används redan.' });
  }
  if (existing?.deletedAt) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: 'Utkastet har redan skickats eller tagits bort, kanske på en annan enhet.',
    });
  }
  const decisionId = draft.decisionId ?? null;
  if (decisionId && !(await findVisibleDecision(db, decisionScope(user), decisionId))) {
    throw notFound();
  }
  // A clock ahead of the server's must not let a device win every later edit.
  const clientTime = new Date(draft.updatedAt);
  const updatedAt = clientTime > clock.now ? clock.now : clientTime;
  if (existing && existing.updatedAt > updatedAt) {
    return { draft: draftView(existing), superseded: true };
  }
  const saved = await saveDraft(db, {
    id: draft.id,
    userId: user.id,
    decisionId,
    form: draft.form,
    data: draft.data as Record<string, unknown>,
    updatedAt,
  });
  return { draft: draftView(saved), superseded: false };
}

async function removeDraft(
  db: Db,
  user: AuthUser,
  draftId: string,
  clock: PushClock,
): Promise<DraftDeleteResult> {
  const existing = await findDraft(db, draftId);
  if (existing && existing.userId !== user.id) throw notFound('Utkastet');
  // Deleting an unknown draft leaves a tombstone too: a save of it that arrives later (from
  // another device's outbox) must not bring it back.
  if (!existing?.deletedAt)
    await deleteDraft(db, { id: draftId, userId: user.id, deletedAt: clock.now });
  return { draftId, deleted: true };
}

export function draftView(row: DraftRow): DraftView {
  return {
    id: row.id,
    decisionId: row.decisionId,
    form: row.form ?? '',
    data: row.data ?? {},
    updatedAt: row.updatedAt.toISOString(),
  };
}

type Rejection = { code: RejectionCode; reason: string };

function rejected(id: string, rejection: Rejection): PushAnswer {
  return { id, status: 'rejected', ...rejection };
}

/** The Swedish reason a phone shows for a refused item. */
function rejectionFor(error: unknown, pathPrefix?: string): Rejection {
  if (error instanceof ZodError) {
    return { code: 'BAD_REQUEST', reason: describeIssues(error.issues, pathPrefix) };
  }
  if (error instanceof DomainError) return { code: 'BAD_REQUEST', reason: error.message };
  if (error instanceof TRPCError) {
    if (error.cause instanceof DomainError) {
      return { code: 'BAD_REQUEST', reason: error.cause.message };
    }
    const code = (
      ['BAD_REQUEST', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT'] as RejectionCode[]
    ).includes(error.code as RejectionCode)
      ? (error.code as RejectionCode)
      : 'INTERNAL_SERVER_ERROR';
    if (code !== 'INTERNAL_SERVER_ERROR') return { code, reason: error.message };
  }
  // A fault of the server (or data the database refused): the item is kept on the phone.
  console.error('sync.push: a mutation failed unexpectedly', error);
  return {
    code: 'INTERNAL_SERVER_ERROR',
    reason: 'Ändringen kunde inte sparas på grund av ett oväntat fel.',
  };
}

function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function isUniqueViolation(error: unknown): boolean {
  return pgCode(error) === '23505';
}

/**
 * The connection or the transaction failed (lost connection, deadlock, serialization failure,
 * shutdown, out of resources): not the item's fault, so the whole push fails and can be retried.
 */
function isTransactionFailure(error: unknown): boolean {
  const code = pgCode(error);
  return code !== undefined && ['08', '40', '53', '57', '58', 'XX'].includes(code.slice(0, 2));
}
