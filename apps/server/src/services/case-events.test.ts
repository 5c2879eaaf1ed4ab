import { addDays, assertEventFits, type CaseEvent, type CaseEventType } from '@evb/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TYPES_AN_EVENT_IS_CHECKED_AGAINST } from './case-events';

/*
 * sync.push checks a batch's events against only the stored events of the types in
 * TYPES_AN_EVENT_IS_CHECKED_AGAINST (plus the batch's own). That is safe only as long as the
 * domain's assertEventFits answers the same with or without the other stored events: this property
 * checks it on random histories, each built from events the domain accepted in turn, as stored
 * timelines are.
 */

const ALL_TYPES: CaseEventType[] = [
  'verkstalld',
  'avbrott',
  'avslutad',
  'erbjudande',
  'tackat_nej',
  'delvis_verkstalld',
  'kompenserande_insats',
  'skal',
  'uppfoljning',
  'sammanfattning',
  'anteckning',
];

const BESLUTSDATUM = '2025-03-10';
const TODAY = '2026-02-15';
const decision = {
  id: 'b1',
  lagrum: 'LSS' as const,
  insats: 'LSS_9_9',
  beslutsdatum: BESLUTSDATUM,
};

/** A plausible event of each type; the fields a type's form asks for. */
function eventOf(type: CaseEventType, id: string, date: string, recordedAt: string): CaseEvent {
  const base = { id, decisionId: decision.id, date, recordedAt };
  switch (type) {
    case 'avslutad':
      return { ...base, type, anledning: 'behov_upphort' };
    case 'tackat_nej':
      return { ...base, type, erbjudandedatum: addDays(date, -20), orsak: 'annan', text: 'x' };
    case 'skal':
      return { ...base, type, skal: 'hos_kommunen', orsak: 'personal', text: 'x' };
    case 'uppfoljning':
      return { ...base, type, kontakt: 'Den enskilde', text: 'x' };
    case 'verkstalld':
      return { ...base, type };
    default:
      return { ...base, type, text: 'x' } as CaseEvent;
  }
}

/** The domain's answer: accepted, or the reason it refuses. */
function verdict(events: readonly CaseEvent[], event: CaseEvent): string {
  try {
    assertEventFits(decision, events, event, TODAY);
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  }
}

const step = fc.record({
  type: fc.constantFrom(...ALL_TYPES),
  // Mostly forward in time, sometimes the same day, now and then before the decision or after today.
  days: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 60 }) },
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: -500, max: 400 }) },
  ),
  hour: fc.integer({ min: 0, max: 23 }),
  /** Whether a reader that leaves out the other types keeps this event anyway (a batch's own). */
  kept: fc.boolean(),
});

describe('the events a new event is checked against', () => {
  it('are the episode events: the domain answers the same without the others', () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const stored: { event: CaseEvent; kept: boolean }[] = [];
        let date = BESLUTSDATUM;
        steps.forEach((s, i) => {
          const day = s.days < -100 || s.days > 100 ? addDays(BESLUTSDATUM, s.days) : date;
          date = s.days < -100 || s.days > 100 ? date : addDays(date, s.days);
          const recordedAt = `${day}T${String(s.hour).padStart(2, '0')}:00:00.000Z`;
          const event = eventOf(s.type, `e${String(i).padStart(3, '0')}`, day, recordedAt);
          const full = verdict(
            stored.map((x) => x.event),
            event,
          );
          const subset = verdict(
            stored
              .filter((x) => x.kept || TYPES_AN_EVENT_IS_CHECKED_AGAINST.includes(x.event.type))
              .map((x) => x.event),
            event,
          );
          expect(subset).toBe(full);
          compared++;
          if (full === 'ok') stored.push({ event, kept: s.kept });
        });
      }),
      { numRuns: 400 },
    );
    expect(compared).toBeGreaterThan(1000);
  });
});
