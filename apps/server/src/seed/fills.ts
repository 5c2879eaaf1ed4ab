import { addDays, cycle, daysBetween, type IsoDate, orsakerFor, type Skal } from '@evb/domain';
import {
  CALL_CONTACTS,
  CALL_TEXTS,
  compensatoryText,
  NOTE_TEXTS,
  offerText,
  PARTIAL_TEXTS,
  SUMMARY_TEXTS,
} from './catalogue';
import type { Random } from './random';
import type { Actor, EventFields, Fill, Plan, WaitPeriod } from './timeline';

/*
 * The events between the transitions. The demo's are shaped like a real case: a call in each
 * follow-up window (mostly), a summary before each three-month date, a skäl early on, an offer that
 * is sometimes refused. The bulk ones are cheaper: dates drawn at random over the decision's life,
 * each given a type that fits the day.
 */

/**
 * A skäl drawn at random; `offeredOn` is the offer's date should the skäl be that the person
 * refused (a refusal always gives it). It draws nothing itself, so the demo stays the same.
 */
export function drawSkal(
  random: Random,
  offeredOn: IsoDate,
): Extract<EventFields, { type: 'skal' }> {
  const skal = random.weighted<Skal>([
    ['hos_kommunen', 55],
    ['hos_den_enskilde', 20],
    ['utanfor_kommunen', 10],
    ['tackat_nej', 15],
  ]);
  const orsak = random.pick(orsakerFor(skal));
  return {
    type: 'skal',
    skal,
    orsak: orsak.code,
    ...(skal === 'tackat_nej' ? { erbjudandedatum: offeredOn } : {}),
    ...(orsak.needsText ? { text: 'Väntar på besked om lämplig lösning' } : {}),
  };
}

function refusal(random: Random, offeredOn: IsoDate): EventFields {
  const orsak = random.pick(orsakerFor('tackat_nej'));
  return {
    type: 'tackat_nej',
    erbjudandedatum: offeredOn,
    orsak: orsak.code,
    ...(orsak.needsText ? { text: 'Vill vänta tills syskonet får plats på samma ställe' } : {}),
  };
}

function note(random: Random): EventFields {
  return { type: 'anteckning', text: random.pick(NOTE_TEXTS) };
}

/** Adds a wait-only event on `date` if someone is waiting then. */
function addWaiting(
  fills: Fill[],
  plan: Plan,
  date: IsoDate,
  actor: Actor,
  fields: EventFields,
): boolean {
  const at = plan.waitingSlot(date);
  if (!at) return false;
  fills.push({ date, slot: at.slot, actor, fields });
  return true;
}

/** The date of an offer a skäl on `date` refers to: a week before, within the wait. */
function offerBefore(waitStart: IsoDate, date: IsoDate): IsoDate {
  const weekBefore = addDays(date, -7);
  return weekBefore < waitStart ? waitStart : weekBefore;
}

function dateIn(random: Random, from: IsoDate, to: IsoDate): IsoDate {
  return addDays(from, random.int(0, Math.max(0, daysBetween(from, to))));
}

export type DemoFillOptions = {
  /** Leave out the follow-up call of these cycles (to show one due or overdue). */
  skipCallCycles?: readonly number[];
};

/** The events of one waiting period, as a careful demo case has them. */
function periodFills(
  random: Random,
  plan: Plan,
  period: WaitPeriod,
  insats: string,
  options: DemoFillOptions,
): Fill[] {
  const fills: Fill[] = [];
  const { start, last } = period;
  const span = daysBetween(start, last);
  for (let k = 1; ; k++) {
    const c = cycle(start, k);
    if (c.followUpFrom > last) break;
    if (!options.skipCallCycles?.includes(k) && random.chance(0.85)) {
      // Mostly within the two weeks; now and then a little late.
      const late = random.chance(0.1);
      const date = addDays(c.followUpFrom, late ? random.int(15, 30) : random.int(0, 13));
      if (date <= last) {
        addWaiting(fills, plan, date, 'handlaggare', {
          type: 'uppfoljning',
          kontakt: random.pick(CALL_CONTACTS),
          text: random.pick(CALL_TEXTS),
        });
      }
    }
    if (random.chance(0.7)) {
      const date = addDays(c.summaryDue, -random.int(0, 7));
      if (date >= start && date <= last) {
        addWaiting(fills, plan, date, 'utforare', {
          type: 'sammanfattning',
          text: random.pick(SUMMARY_TEXTS),
        });
      }
    }
  }
  if (span > 20 && random.chance(0.85)) {
    const date = addDays(start, random.int(7, Math.min(60, span)));
    addWaiting(
      fills,
      plan,
      date,
      random.chance(0.7) ? 'utforare' : 'handlaggare',
      drawSkal(random, offerBefore(start, date)),
    );
    if (span > 150 && random.chance(0.3)) {
      const later = dateIn(random, addDays(start, 120), last);
      addWaiting(fills, plan, later, 'rapportor', drawSkal(random, offerBefore(start, later)));
    }
  }
  if (span > 30 && random.chance(0.55)) {
    const offeredOn = addDays(start, random.int(14, span));
    if (
      addWaiting(fills, plan, offeredOn, 'utforare', {
        type: 'erbjudande',
        text: offerText(random, insats),
      })
    ) {
      const refusedOn = addDays(offeredOn, random.int(1, 10));
      if (refusedOn <= last && random.chance(0.5)) {
        addWaiting(fills, plan, refusedOn, 'utforare', refusal(random, offeredOn));
      }
    }
  }
  if (span > 30 && random.chance(0.15)) {
    addWaiting(fills, plan, dateIn(random, addDays(start, 20), last), 'utforare', {
      type: 'delvis_verkstalld',
      text: random.pick(PARTIAL_TEXTS),
    });
  }
  if (span > 45 && random.chance(0.2)) {
    const date = dateIn(random, addDays(start, 30), last);
    addWaiting(fills, plan, date, 'utforare', {
      type: 'kompenserande_insats',
      text: compensatoryText(random, date),
    });
  }
  return fills;
}

/** The demo events between a decision's transitions. */
export function demoFills(
  random: Random,
  plan: Plan,
  insats: string,
  options: DemoFillOptions = {},
): Fill[] {
  const fills = plan.periods.flatMap((period) =>
    periodFills(random, plan, period, insats, options),
  );
  if (random.chance(0.4)) {
    const date = dateIn(random, plan.beslutsdatum, plan.today);
    fills.push({
      date,
      slot: 'after',
      actor: random.pick(['utforare', 'handlaggare'] as const),
      fields: note(random),
    });
  }
  return fills;
}

const BULK_WAIT_TYPES = [
  ['erbjudande', 14],
  ['tackat_nej', 6],
  ['skal', 12],
  ['uppfoljning', 14],
  ['sammanfattning', 14],
  ['delvis_verkstalld', 4],
  ['kompenserande_insats', 4],
  ['anteckning', 32],
] as const;

/** Days after a decision settles (executed, closed) in which notes are still written on it. */
const NOTES_AFTER_SETTLING_DAYS = 90;

/**
 * The last day anyone writes on the decision: today while it waits; otherwise a few months after
 * it settled. Nobody writes on a case executed years ago, and a device's sync window (issue 13)
 * counts on that.
 */
function activeUntil(plan: Plan): IsoDate {
  const last = plan.transitions.at(-1);
  if (plan.finalState === 'vantar' || !last) return plan.today;
  const until = addDays(last.date, NOTES_AFTER_SETTLING_DAYS);
  if (until > plan.today) return plan.today;
  return until;
}

/**
 * `count` events at random dates over the decision's active life (while it waits, and in the
 * months after it settles): a wait-only type where someone is
 * waiting that day, a note otherwise. Valid by construction, so it needs no domain check per event
 * (the seed command still samples some).
 */
export function bulkFills(random: Random, plan: Plan, insats: string, count: number): Fill[] {
  const fills: Fill[] = [];
  const days = daysBetween(plan.beslutsdatum, activeUntil(plan));
  for (let i = 0; i < count; i++) {
    const date = addDays(plan.beslutsdatum, random.int(0, days));
    const at = plan.waitingSlot(date);
    if (!at) {
      fills.push({ date, slot: 'after', actor: 'utforare', fields: note(random) });
      continue;
    }
    const type = random.weighted(BULK_WAIT_TYPES);
    const fields: EventFields = (() => {
      switch (type) {
        case 'erbjudande':
          return { type, text: offerText(random, insats) };
        case 'tackat_nej':
          return refusal(random, dateIn(random, at.episodeStart, date));
        case 'skal':
          return drawSkal(random, offerBefore(at.episodeStart, date));
        case 'uppfoljning':
          return { type, kontakt: random.pick(CALL_CONTACTS), text: random.pick(CALL_TEXTS) };
        case 'sammanfattning':
          return { type, text: random.pick(SUMMARY_TEXTS) };
        case 'delvis_verkstalld':
          return { type, text: random.pick(PARTIAL_TEXTS) };
        case 'kompenserande_insats':
          return { type, text: compensatoryText(random, date) };
        case 'anteckning':
          return note(random);
      }
    })();
    const actor: Actor = type === 'uppfoljning' ? 'handlaggare' : 'utforare';
    fills.push({ date, slot: at.slot, actor, fields });
  }
  return fills;
}
