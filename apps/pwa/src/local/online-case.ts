import { type CaseEvent, caseStatus, type IsoDate, sortEvents } from '@evb/domain';
import { useQuery } from '@tanstack/react-query';
import { api, errorMessage, errorStatus, type RouterOutputs } from '../api/client';
import { useServices, useSyncState, useToday } from '../app/context';
import { type LocalCase, readCase, type TimelineEvent, toDomainDecision } from './cases';
import type { LocalDb, OutboxItem, StoredDecision } from './db';

/*
 * A decision's page reads the device's copy first. A device keeps only the decisions its user works
 * on (those that wait, and those settled within the sync window: see the server's sync/pull.ts), so
 * a link to an older decision finds nothing there: it is then read from the server (decisions.get,
 * which checks access and audits the read) while online, and shown as the device's copy would be,
 * with the same forms. Events logged on it go through the outbox like any other; the events the
 * device holds of it (sent and acknowledged, or still waiting to be sent) count as well, so the page
 * shows the decision as it will be once they are sent. When the decision waits again, the next pull
 * brings it to the device and the page reads the device's copy again.
 */

export type DecisionDetail = RouterOutputs['decisions']['get'];

export type DecisionLookup =
  | { kind: 'loading' }
  /** On the device (`source: 'device'`) or read from the server (`'server'`). */
  | { kind: 'found'; item: LocalCase; source: 'device' | 'server' }
  /** Not on the device and offline: it is read when there is a connection. */
  | { kind: 'offline' }
  /** The server has no such decision, or the user may not see it (decisions.get answers 404 for both). */
  | { kind: 'not-found' }
  /** The server could not be asked (down, a fault): why, in Swedish. */
  | { kind: 'error'; message: string; retry: () => void };

/** The decision as the device stores it, from decisions.get's summary. */
export function storedDecisionOf(summary: DecisionDetail['decision']): StoredDecision {
  return {
    id: summary.id,
    namndId: summary.namndId,
    verksamhetsomrade: summary.verksamhetsomrade,
    inriktning: summary.inriktning,
    inriktningText: summary.inriktningText,
    lagrum: summary.lagrum,
    insats: summary.insats,
    beslutsdatum: summary.beslutsdatum,
    forhandsbesked: summary.forhandsbesked,
    ersatterBeslutId: summary.ersatterBeslutId,
    handlaggareId: summary.handlaggare.id,
    enhetId: summary.enhet?.id ?? null,
    extern: summary.extern,
    person: summary.person,
  };
}

/** What the device holds of a decision it does not keep: events sent from here, and the outbox's. */
export type DeviceExtras = { events: CaseEvent[]; outbox: OutboxItem[] };

export async function readDeviceExtras(db: LocalDb, id: string): Promise<DeviceExtras> {
  const [events, outbox] = await Promise.all([
    db.getAllFromIndex('events', 'byDecision', id),
    db.getAll('outbox'),
  ]);
  return { events, outbox: outbox.filter((o) => o.mutation.event.decisionId === id) };
}

/**
 * A decision read from the server, in the shape the screens read from the device: its events with
 * who logged them, the device's own events of it not yet in the answer (acknowledged after the read,
 * or waiting in the outbox), and the status by the domain's caseStatus with the quarters filed.
 */
export function caseFromDetail(
  detail: DecisionDetail,
  extras: DeviceExtras,
  today: IsoDate,
): LocalCase {
  const decision = storedDecisionOf(detail.decision);
  const byId = new Map<string, TimelineEvent>();
  for (const e of detail.events) byId.set(e.id, { ...e, pending: false, rejected: null });
  for (const e of extras.events) {
    if (!byId.has(e.id)) byId.set(e.id, { ...e, pending: false, rejected: null });
  }
  for (const item of extras.outbox) {
    const e = item.mutation.event;
    if (!byId.has(e.id)) {
      byId.set(e.id, { ...e, pending: true, rejected: item.rejected?.reason ?? null });
    }
  }
  const events = sortEvents([...byId.values()]);
  // A refused event is shown, but does not count until it is fixed (as on the device's copy).
  const status = caseStatus(
    toDomainDecision(decision),
    events.filter((e) => !e.rejected),
    today,
    { filedQuarters: detail.filings.map((f) => f.quarter) },
  );
  return { decision, events, status };
}

/**
 * One decision for its page: the device's copy, or, when the device does not keep it, the server's
 * while online. See {@link DecisionLookup}.
 */
export function useDecision(id: string): DecisionLookup {
  const { db } = useServices();
  const { online } = useSyncState();
  const today = useToday();
  // The device's queries are under 'local': the sync engine's changes make them read again.
  const local = useQuery({
    queryKey: ['local', 'case', id, today],
    queryFn: () => readCase(db, id, today),
    networkMode: 'always',
    staleTime: Number.POSITIVE_INFINITY,
  });
  const missing = local.isSuccess && local.data === null;
  const extras = useQuery({
    queryKey: ['local', 'case-extras', id],
    queryFn: () => readDeviceExtras(db, id),
    networkMode: 'always',
    staleTime: Number.POSITIVE_INFINITY,
    enabled: missing,
  });
  const remote = useQuery({
    queryKey: ['decision-online', id],
    queryFn: () => api.decisions.get.query({ id }),
    // Each read is audited: once per visit, not on every focus or sync.
    enabled: missing && online,
    networkMode: 'always',
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    retry: (count, error) => errorStatus(error) === null && count < 2,
  });

  if (local.isPending) return { kind: 'loading' };
  if (local.isError) {
    return {
      kind: 'error',
      message: 'Beslutet kunde inte läsas på enheten.',
      retry: () => void local.refetch(),
    };
  }
  if (local.data) return { kind: 'found', item: local.data, source: 'device' };
  if (remote.data && extras.data) {
    return {
      kind: 'found',
      item: caseFromDetail(remote.data, extras.data, today),
      source: 'server',
    };
  }
  if (remote.isError) {
    const status = errorStatus(remote.error);
    if (status === 404 || status === 403) return { kind: 'not-found' };
    if (!online) return { kind: 'offline' };
    return {
      kind: 'error',
      message: errorMessage(remote.error),
      retry: () => void remote.refetch(),
    };
  }
  if (!online) return { kind: 'offline' };
  return { kind: 'loading' };
}
