import {
  type CaseEvent,
  type CaseStatus,
  caseStatus,
  type Decision,
  type IsoDate,
  sortEvents,
} from '@evb/domain';
import type { LocalDb, OutboxItem, StoredDecision } from './db';

/*
 * What the screens show about decisions, read from the phone's copy and computed with the same
 * domain rules as the server, so the deadlines are right offline too. Events still in the outbox
 * count: the user sees the decision as it will be once they are sent.
 */

export type TimelineEvent = CaseEvent & {
  /** Not yet acknowledged by the server. */
  pending: boolean;
  /** The server refused it: why. */
  rejected: string | null;
  /** Who logged it, as sync.pull tells; absent on the phone's own events still in the outbox. */
  recordedBy?: { id: string; namn: string };
};

export type LocalCase = {
  decision: StoredDecision;
  events: TimelineEvent[];
  status: CaseStatus;
};

export function toDomainDecision(d: StoredDecision): Decision {
  return {
    id: d.id,
    lagrum: d.lagrum,
    insats: d.insats,
    beslutsdatum: d.beslutsdatum,
    forhandsbesked: d.forhandsbesked,
    ersatterBeslutId: d.ersatterBeslutId,
  };
}

function outboxEvents(outbox: readonly OutboxItem[]): TimelineEvent[] {
  return outbox.map((item) => ({
    ...item.mutation.event,
    pending: true,
    rejected: item.rejected?.reason ?? null,
  }));
}

/** A refused event is shown, but does not count in the status until it is fixed. */
function statusOf(
  decision: StoredDecision,
  events: readonly TimelineEvent[],
  filedQuarters: readonly string[],
  today: IsoDate,
): CaseStatus {
  return caseStatus(
    toDomainDecision(decision),
    events.filter((e) => !e.rejected),
    today,
    { filedQuarters },
  );
}

const offThread = new WeakMap<LocalDb, (today: IsoDate) => Promise<LocalCase[]>>();

/**
 * Has {@link readCases} on this database ask `read` (in the browser: the sync worker, which reads
 * the same IndexedDB and works out the statuses off the main thread). Should it fail (the worker
 * did not start), the read is done here.
 */
export function readCasesWith(db: LocalDb, read: (today: IsoDate) => Promise<LocalCase[]>): void {
  offThread.set(db, read);
}

/** Every decision on the device with its timeline and status. */
export async function readCases(db: LocalDb, today: IsoDate): Promise<LocalCase[]> {
  const read = offThread.get(db);
  if (read) {
    try {
      return await read(today);
    } catch {
      // The worker could not answer: read in this thread.
    }
  }
  return readCasesHere(db, today);
}

/** {@link readCases} in the calling thread (the sync worker's own read). */
export async function readCasesHere(db: LocalDb, today: IsoDate): Promise<LocalCase[]> {
  const tx = db.transaction(['decisions', 'events', 'filings', 'outbox']);
  const [decisions, events, filings, outbox] = await Promise.all([
    tx.objectStore('decisions').getAll(),
    tx.objectStore('events').getAll(),
    tx.objectStore('filings').getAll(),
    tx.objectStore('outbox').getAll(),
  ]);
  const byDecision = new Map<string, TimelineEvent[]>();
  for (const event of [
    ...events.map((e) => ({ ...e, pending: false, rejected: null })),
    ...outboxEvents(outbox),
  ]) {
    const list = byDecision.get(event.decisionId);
    if (list) list.push(event);
    else byDecision.set(event.decisionId, [event]);
  }
  const filed = new Map<string, string[]>();
  for (const f of filings) filed.set(f.decisionId, [...(filed.get(f.decisionId) ?? []), f.quarter]);
  return decisions.map((decision) => {
    const timeline = sortEvents(byDecision.get(decision.id) ?? []);
    return {
      decision,
      events: timeline,
      status: statusOf(decision, timeline, filed.get(decision.id) ?? [], today),
    };
  });
}

export async function readCase(db: LocalDb, id: string, today: IsoDate): Promise<LocalCase | null> {
  const decision = await db.get('decisions', id);
  if (!decision) return null;
  const [events, filings, outbox] = await Promise.all([
    db.getAllFromIndex('events', 'byDecision', id),
    db.getAllFromIndex('filings', 'byDecision', id),
    db.getAll('outbox'),
  ]);
  const timeline = sortEvents([
    ...events.map((e) => ({ ...e, pending: false, rejected: null })),
    ...outboxEvents(outbox.filter((o) => o.mutation.event.decisionId === id)),
  ]);
  return {
    decision,
    events: timeline,
    status: statusOf(
      decision,
      timeline,
      filings.map((f) => f.quarter),
      today,
    ),
  };
}

/**
 * Most urgent first: an overdue deadline, then the nearest deadline, then the longest wait; the
 * decisions with nothing pending last.
 */
export function byUrgency(a: LocalCase, b: LocalCase): number {
  const an = a.status.next;
  const bn = b.status.next;
  if (an && bn) {
    const d = Number(b.status.overdue) - Number(a.status.overdue) || an.date.localeCompare(bn.date);
    if (d) return d;
  } else if (an || bn) {
    return an ? -1 : 1;
  }
  return (
    (b.status.daysWaited ?? -1) - (a.status.daysWaited ?? -1) ||
    a.decision.beslutsdatum.localeCompare(b.decision.beslutsdatum) ||
    a.decision.id.localeCompare(b.decision.id)
  );
}
