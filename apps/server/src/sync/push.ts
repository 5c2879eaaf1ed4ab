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
  insertClientMutations,
  type StoredMutation,
  saveDraft,
} from '../data/sync';
import type { Db } from '../db/database';
import type { DB } from '../db/schema';
import { logError } from '../logging';
import { appendCaseEvent, CaseEventBatch } from '../services/case-events';
import type { AuthUser } from '../trpc/context';
import { notFound } from '../trpc/init';
import { describeIssues, findForbiddenInput } from './issues';
import {
  type DraftInput,
  type Mutation,
  MutationIdSchema,
  MutationSchema,
  type PushInput,
} from './schemas';

/*
 * sync.push: a phone's outbox, applied in order in one transaction, each item on its own so that a
 * refused item never takes the others with it. Events are checked one by one in memory and written
 * together (see answerRun); drafts, and a batch the database refuses, go one item per savepoint.
 *
 * Idempotency lives here, not in the phone's retries: every answer (applied or rejected) is stored
 * in client_mutation under the mutation's id, in the same savepoint as its effect. A mutation id
 * seen before is answered with the stored answer and changes nothing; an id that belongs to
 * another user is refused. The whole push holds the change-sequence lock, so two pushes of the
 * same batch run one after the other and the second finds the first one's answers; the primary
 * key on client_mutation is the last guard (a violation re-reads the stored answer).
 *
 * A refusal by the rules (invalid input, a date the domain refuses, no access, a conflict) is
 * final for its mutation id: retrying the same id answers the same rejection, even if what caused
 * it has changed since (the phone shows the reason; to try again after a fix, it sends the item
 * under a new mutation id, or the user discards it). An unexpected error while applying an item
 * (a fault of the server, a row the database refused) is not the item's fault: it is answered as
 * INTERNAL_SERVER_ERROR for that item, its effects are undone, and nothing is stored under its id,
 * so the phone keeps it and the same mutation id applied later succeeds. Failures of the database
 * connection or transaction itself are not answered per item: the whole push fails and nothing
 * of it is stored, so the phone's retry of the same batch is safe.
 *
 * An event is recorded when the server receives it: its recordedAt is the server's clock, whatever
 * the phone sent (a phone's clock may be wrong, and recordedAt orders a day's events).
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
    const items = input.mutations.map(readItem);
    // Read once: while this push holds the lock, no other push can store an answer.
    const known = await findClientMutations(
      trx,
      items.flatMap((item) => (item.kind === 'unidentified' ? [] : [item.id])),
    );
    const outcomes: Outcome[] = [];
    for (let start = 0; start < items.length; ) {
      // Drafts are saved one by one; each run of other items (events, refusals) as one batch.
      let end = start;
      while (end < items.length && !isDraft(items[end]!)) end++;
      if (end === start) {
        outcomes.push(await answerMutation(trx, user, items[start]!, clock, known));
        start++;
      } else {
        outcomes.push(...(await answerRun(trx, user, items.slice(start, end), clock, known)));
        start = end;
      }
    }
    const answers = outcomes.map((o) => o.answer);
    const replayed = outcomes.filter((o) => o.replayed).length;
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

/** One pushed item, read: its id and what it asks for, or why it is refused. */
type Item =
  /** Without a usable id there is nothing to remember the answer by. */
  | { kind: 'unidentified'; id: string; rejection: Rejection }
  | { kind: 'refused'; id: string; rejection: Rejection }
  | { kind: 'mutation'; id: string; mutation: Mutation };

type Outcome = { answer: PushAnswer; replayed: boolean };

function readItem(item: PushInput['mutations'][number]): Item {
  const id = MutationIdSchema.safeParse(item.id);
  if (!id.success) {
    return { kind: 'unidentified', id: item.id, rejection: rejectionFor(id.error, 'id') };
  }
  // Before the schema: it must never walk input nested past the bounds.
  const problem = findForbiddenInput(item);
  if (problem) {
    return {
      kind: 'refused',
      id: id.data,
      rejection: { code: 'BAD_REQUEST', reason: `${problem.path.join('.')}: ${problem.message}` },
    };
  }
  const parsed = MutationSchema.safeParse(item);
  if (!parsed.success) {
    return { kind: 'refused', id: id.data, rejection: rejectionFor(parsed.error) };
  }
  return { kind: 'mutation', id: id.data, mutation: receivedNow(parsed.data) };
}

/** The mutation without the phone's recordedAt: the server records when it received an event. */
function receivedNow(mutation: Mutation): Mutation {
  if (mutation.kind !== 'event') return mutation;
  const { recordedAt: _clientTime, ...event } = mutation.event;
  return { ...mutation, event: event as CaseEvent };
}

function isDraft(item: Item): boolean {
  return item.kind === 'mutation' && item.mutation.kind !== 'event';
}

/**
 * A run of items without drafts, answered as one batch: a few set-based reads, every event
 * checked in order in memory (against the stored timeline and the run's events accepted before
 * it), then the events, their audit rows and the answers written in one statement each. The
 * answers are those the one-by-one path gives. If the database refuses any of it (a unique
 * violation from a writer that did not wait for the lock, a row it will not store), the run is
 * undone and answered one by one, where each item's failure stays its own.
 */
async function answerRun(
  trx: ControlledTransaction<DB>,
  user: AuthUser,
  items: readonly Item[],
  clock: PushClock,
  known: Map<string, StoredMutation>,
): Promise<Outcome[]> {
  const savepoint = await trx.savepoint('run').execute();
  let run: { outcomes: Outcome[]; stored: Map<string, StoredMutation> };
  try {
    run = await applyRun(savepoint, user, items, clock, known);
  } catch (error) {
    if (isTransactionFailure(error)) throw error;
    await savepoint.rollbackToSavepoint('run').execute();
    await savepoint.releaseSavepoint('run').execute();
    const outcomes: Outcome[] = [];
    for (const item of items) outcomes.push(await answerMutation(trx, user, item, clock, known));
    return outcomes;
  }
  await savepoint.releaseSavepoint('run').execute();
  for (const [id, mutation] of run.stored) known.set(id, mutation);
  return run.outcomes;
}

async function applyRun(
  db: Db,
  user: AuthUser,
  items: readonly Item[],
  clock: PushClock,
  known: ReadonlyMap<string, StoredMutation>,
): Promise<{ outcomes: Outcome[]; stored: Map<string, StoredMutation> }> {
  const events = items.flatMap((item) =>
    item.kind === 'mutation' && item.mutation.kind === 'event' && !known.has(item.id)
      ? [item.mutation.event]
      : [],
  );
  const batch = await CaseEventBatch.load(db, user, events);
  // Each item's answer, or the event whose stored form it answers with (known after the write).
  type Slot =
    | { answer: PushAnswer; replayed: boolean; store: boolean }
    | { applied: string; replayed: false; store: true }
    | { sameAs: number; replayed: true; store: false };
  const slots: Slot[] = [];
  const firstOf = new Map<string, number>();
  for (const item of items) {
    if (item.kind === 'unidentified') {
      slots.push({ answer: rejected(item.id, item.rejection), replayed: false, store: false });
      continue;
    }
    const stored = known.get(item.id);
    if (stored) {
      slots.push({ answer: answerOf(stored, user, item.id), replayed: true, store: false });
      continue;
    }
    // The same id twice in one batch: the second is answered like a repeated push.
    const first = firstOf.get(item.id);
    if (first !== undefined) {
      slots.push({ sameAs: first, replayed: true, store: false });
      continue;
    }
    firstOf.set(item.id, slots.length);
    if (item.kind === 'refused') {
      slots.push({ answer: rejected(item.id, item.rejection), replayed: false, store: true });
      continue;
    }
    if (item.mutation.kind !== 'event') throw new Error('A draft cannot be part of a run');
    try {
      batch.add(item.mutation.event, clock.today, clock.now);
      slots.push({ applied: item.mutation.event.id, replayed: false, store: true });
    } catch (error) {
      const rejection = failureOf(error, user);
      // Only a refusal by the rules is stored; after a fault the same id may come again.
      slots.push({
        answer: rejected(item.id, rejection),
        replayed: false,
        store: isFinal(rejection),
      });
    }
  }
  await batch.write(db);

  const outcomes: Outcome[] = [];
  const stored = new Map<string, StoredMutation>();
  for (const [index, slot] of slots.entries()) {
    const id = items[index]!.id;
    let answer: PushAnswer;
    if ('sameAs' in slot) answer = outcomes[slot.sameAs]!.answer;
    else if ('applied' in slot) {
      answer = asStored({
        id,
        status: 'applied',
        result: { event: batch.storedEvent(slot.applied) },
      });
    } else answer = slot.store ? asStored(slot.answer) : slot.answer;
    if (slot.store) stored.set(id, { userId: user.id, response: answer });
    outcomes.push({ answer, replayed: slot.replayed });
  }
  await insertClientMutations(
    db,
    [...stored].map(([id, mutation]) => ({ id, ...mutation })),
  );
  return { outcomes, stored };
}

/**
 * One item in a savepoint of its own: drafts, and the items of a run the database refused as a
 * batch.
 */
async function answerMutation(
  trx: ControlledTransaction<DB>,
  user: AuthUser,
  item: Item,
  clock: PushClock,
  known: Map<string, StoredMutation>,
): Promise<Outcome> {
  if (item.kind === 'unidentified') {
    return { answer: rejected(item.id, item.rejection), replayed: false };
  }
  const stored = known.get(item.id);
  if (stored) return { answer: answerOf(stored, user, item.id), replayed: true };

  const savepoint = await trx.savepoint('mutation').execute();
  let answer: PushAnswer;
  if (item.kind === 'refused') {
    answer = rejected(item.id, item.rejection);
  } else {
    try {
      const result = await applyMutation(savepoint, user, item.mutation, clock);
      answer = { id: item.id, status: 'applied', result };
    } catch (error) {
      if (isTransactionFailure(error)) throw error;
      await savepoint.rollbackToSavepoint('mutation').execute();
      const rejection = failureOf(error, user);
      answer = rejected(item.id, rejection);
      if (!isFinal(rejection)) {
        // A fault, not a refusal: nothing is stored, so the same id applied later succeeds.
        await savepoint.releaseSavepoint('mutation').execute();
        return { answer: asStored(answer), replayed: false };
      }
    }
  }
  answer = asStored(answer);
  try {
    await insertClientMutation(savepoint, { id: item.id, userId: user.id, response: answer });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another push stored this id first: undo ours and answer what it stored.
    await savepoint.rollbackToSavepoint('mutation').execute();
    await savepoint.releaseSavepoint('mutation').execute();
    const winner = await findClientMutation(trx, item.id);
    if (!winner) throw error;
    known.set(item.id, winner);
    return { answer: answerOf(winner, user, item.id), replayed: true };
  }
  await savepoint.releaseSavepoint('mutation').execute();
  // The same id twice in one batch: the second is answered like a repeated push.
  known.set(item.id, { userId: user.id, response: answer });
  return { answer, replayed: false };
}

/**
 * What is stored is JSON: answer the first push exactly as a repeated one will be answered. A
 * reason may quote a field name sent with a NUL in it, which jsonb cannot hold.
 */
function asStored(answer: PushAnswer): PushAnswer {
  return JSON.parse(
    JSON.stringify(answer, (_key, value) =>
      typeof value === 'string' ? value.replaceAll('\u0000', '\uFFFD') : value,
    ),
  ) as PushAnswer;
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

/** Whether a rejection is the rules' answer (stored, final) rather than a fault of the server. */
function isFinal(rejection: Rejection): boolean {
  return rejection.code !== 'INTERNAL_SERVER_ERROR';
}

/** The rejection of an item that failed; an unexpected error is logged (without personal data). */
function failureOf(error: unknown, user: AuthUser): Rejection {
  const rejection = rejectionFor(error);
  if (!isFinal(rejection)) {
    logError('sync.push item failed', error, { path: 'sync.push', userId: user.id });
  }
  return rejection;
}

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
