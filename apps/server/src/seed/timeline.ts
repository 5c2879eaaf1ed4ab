import {
  assertEventFits,
  type CaseEvent,
  CaseEventSchema,
  type Decision,
  DomainError,
  type IsoDate,
} from '@evb/domain';
import { recordedOn } from './clock';

/*
 * A decision's seeded history in two layers. The transitions (verkställd, avbrott, avslutad) decide
 * when the person is waiting; the other events are placed only where they fit that: offers,
 * refusals, skäl, calls and summaries while the person waits, notes anywhere. Events on the same day
 * are ordered around the day's transition so that a wait-only event lands on the waiting side of
 * it. Every event is still checked with the domain's assertEventFits before it is kept.
 */

export type Transition =
  | { type: 'verkstalld'; date: IsoDate }
  | { type: 'avbrott'; date: IsoDate; text?: string }
  | { type: 'avslutad'; date: IsoDate; anledning: string; text?: string };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event's type and its type's own fields. */
export type EventFields = DistributiveOmit<CaseEvent, 'id' | 'decisionId' | 'date' | 'recordedAt'>;

/** Who logs an event: the unit or team the decision is ordered to, its handläggare, a rapportör. */
export type Actor = 'utforare' | 'handlaggare' | 'rapportor';

/** Before or after the transition of the same day (if there is one). */
export type Slot = 'before' | 'after';

export type Fill = { date: IsoDate; slot: Slot; actor: Actor; fields: EventFields };

/** A stretch of waiting: one episode, from its start to its end (or today, if still open). */
export type WaitPeriod = {
  start: IsoDate;
  last: IsoDate;
  endedBy: 'verkstalld' | 'avslutad' | null;
};

type State = 'vantar' | 'verkstalld' | 'avslutad';

/** The transitions of one decision, checked to be a sequence the rules allow. */
export class Plan {
  readonly periods: WaitPeriod[] = [];

  constructor(
    readonly beslutsdatum: IsoDate,
    readonly today: IsoDate,
    readonly transitions: readonly Transition[],
  ) {
    let state: State = 'vantar';
    let start = beslutsdatum;
    let previous = '';
    for (const t of transitions) {
      if (t.date <= previous || t.date < beslutsdatum || t.date > today) {
        throw new Error(`seed plan: transition dates out of order at ${t.date}`);
      }
      previous = t.date;
      const before = state;
      state = next(state, t);
      if (before === 'vantar' && t.type !== 'avbrott') {
        this.periods.push({ start, last: t.date, endedBy: t.type });
      }
      if (t.type === 'avbrott') start = t.date;
    }
    if (state === 'vantar') this.periods.push({ start, last: today, endedBy: null });
  }

  /** The state at a slot of `date`: after every transition before it (and that day's, if after). */
  private stateAt(date: IsoDate, slot: Slot): { state: State; episodeStart: IsoDate } {
    let state: State = 'vantar';
    let episodeStart = this.beslutsdatum;
    for (const t of this.transitions) {
      if (t.date > date || (t.date === date && slot === 'before')) break;
      state = next(state, t);
      if (t.type === 'avbrott') episodeStart = t.date;
    }
    return { state, episodeStart };
  }

  /**
   * Where on `date` a wait-only event fits, with the start of the episode it belongs to; null when
   * nobody is waiting that day.
   */
  waitingSlot(date: IsoDate): { slot: Slot; episodeStart: IsoDate } | null {
    if (date < this.beslutsdatum || date > this.today) return null;
    for (const slot of ['before', 'after'] as const) {
      const at = this.stateAt(date, slot);
      if (at.state === 'vantar') return { slot, episodeStart: at.episodeStart };
    }
    return null;
  }

  /** The state after every transition. */
  get finalState(): State {
    return this.transitions.reduce<State>(next, 'vantar');
  }
}

function next(state: State, t: Transition): State {
  switch (t.type) {
    case 'verkstalld':
      if (state !== 'vantar') throw new Error('seed plan: verkställd when nothing is waiting');
      return 'verkstalld';
    case 'avbrott':
      if (state !== 'verkstalld') throw new Error('seed plan: avbrott before verkställd');
      return 'vantar';
    case 'avslutad':
      if (state === 'avslutad') throw new Error('seed plan: avslutad twice');
      return 'avslutad';
  }
}

export type TimedEvent = { event: CaseEvent; actor: Actor };

/**
 * The plan's transitions and the fills as events in the order they happened, with ids from
 * `newId` and recordedAt stamps that keep that order within a day.
 */
export function materialise(
  decisionId: string,
  plan: Plan,
  fills: readonly Fill[],
  newId: () => string,
): TimedEvent[] {
  const rank = { before: 0, transition: 1, after: 2 } as const;
  const items: { date: IsoDate; rank: number; order: number; actor: Actor; fields: EventFields }[] =
    [];
  plan.transitions.forEach((t, order) => {
    const { date, ...fields } = t;
    items.push({
      date,
      rank: rank.transition,
      order,
      actor: t.type === 'avslutad' ? 'handlaggare' : 'utforare',
      fields: fields as EventFields,
    });
  });
  fills.forEach((f, order) => {
    items.push({ date: f.date, rank: rank[f.slot], order, actor: f.actor, fields: f.fields });
  });
  items.sort((a, b) => a.date.localeCompare(b.date) || a.rank - b.rank || a.order - b.order);
  let day = '';
  let index = 0;
  return items.map((item) => {
    index = item.date === day ? index + 1 : 0;
    day = item.date;
    const event = {
      ...item.fields,
      id: newId(),
      decisionId,
      date: item.date,
      recordedAt: recordedOn(item.date, index, plan.today).toISOString(),
    } as CaseEvent;
    return { event, actor: item.actor };
  });
}

export type Refusal = { event: CaseEvent; reason: string };

/**
 * Keeps the events the domain accepts, in order: each must parse with CaseEventSchema and fit the
 * events kept before it (assertEventFits, as the server checks a logged event). What it refuses is
 * returned, never kept.
 */
export function keepValid<T extends { event: CaseEvent }>(
  decision: Decision,
  events: readonly T[],
  today: IsoDate,
): { kept: T[]; refused: Refusal[] } {
  const kept: T[] = [];
  const accepted: CaseEvent[] = [];
  const refused: Refusal[] = [];
  for (const item of events) {
    const parsed = CaseEventSchema.safeParse(item.event);
    if (!parsed.success) {
      refused.push({ event: item.event, reason: parsed.error.issues[0]?.message ?? 'ogiltig' });
      continue;
    }
    try {
      assertEventFits(decision, accepted, item.event, today);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused.push({ event: item.event, reason: error.message });
      continue;
    }
    accepted.push(item.event);
    kept.push(item);
  }
  return { kept, refused };
}
