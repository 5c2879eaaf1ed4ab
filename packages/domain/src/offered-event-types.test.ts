import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  assertEventFits,
  type CaseEvent,
  CaseEventSchema,
  DomainError,
  EVENT_FORM_TYPES,
  EVENT_TYPES_BY_ROLE,
  type FormEventType,
  type IsoDate,
  latestOfferOfWait,
  offeredEventTypes,
  type Role,
  walkTimeline,
} from './index';
import { decision, ev } from './testing/fixtures';

const d = decision('2026-02-03');
const today = '2026-06-15';
const roleTypes = (role: Role) => new Set(EVENT_TYPES_BY_ROLE[role]);
const offered = (events: CaseEvent[], role: Role, on: IsoDate = today) =>
  offeredEventTypes(d, events, on, roleTypes(role));

const WAIT_FORMS_UTFORARE: FormEventType[] = [
  'erbjudande',
  'tackat_nej',
  'delvis_verkstalld',
  'kompenserande_insats',
  'verkstalld',
  'sammanfattning',
  'skal',
  'anteckning',
];

const STATES: Record<string, CaseEvent[]> = {
  waiting: [ev({ type: 'erbjudande', date: '2026-03-01', text: 'Plats på Eken' })],
  'partially executed': [ev({ type: 'delvis_verkstalld', date: '2026-03-01', text: '2 av 5' })],
  executed: [ev({ type: 'verkstalld', date: '2026-03-01' })],
  interrupted: [
    ev({ type: 'verkstalld', date: '2026-03-01' }),
    ev({ type: 'avbrott', date: '2026-04-01' }),
  ],
  closed: [ev({ type: 'avslutad', date: '2026-03-01', anledning: 'behov_upphort' })],
};

describe('offeredEventTypes', () => {
  it.each([
    ['waiting', 'utforare', WAIT_FORMS_UTFORARE],
    [
      'waiting',
      'handlaggare',
      [
        'erbjudande',
        'tackat_nej',
        'delvis_verkstalld',
        'kompenserande_insats',
        'verkstalld',
        'sammanfattning',
        'uppfoljning',
        'skal',
        'anteckning',
        'avslutad',
      ],
    ],
    ['waiting', 'rapportor', ['skal', 'anteckning']],
    ['waiting', 'admin', []],
    ['partially executed', 'utforare', WAIT_FORMS_UTFORARE],
    ['partially executed', 'matchare', WAIT_FORMS_UTFORARE],
    ['executed', 'utforare', ['avbrott', 'anteckning']],
    ['executed', 'handlaggare', ['avbrott', 'anteckning', 'avslutad']],
    ['executed', 'rapportor', ['anteckning']],
    ['interrupted', 'utforare', WAIT_FORMS_UTFORARE],
    ['interrupted', 'huvudrapportor', ['skal', 'anteckning']],
    ['closed', 'utforare', ['anteckning']],
    ['closed', 'handlaggare', ['anteckning']],
    ['closed', 'rapportor', ['anteckning']],
    ['closed', 'admin', []],
  ] as const)('%s, %s: offers %j', (state, role, expected) => {
    expect(offered(STATES[state]!, role)).toEqual(expected);
  });

  it('never offers a voiding (makulering) as a form', () => {
    for (const events of Object.values(STATES)) {
      const all = new Set<never>(EVENT_FORM_TYPES as never);
      expect(offeredEventTypes(d, events, today, all)).not.toContain('makulering');
    }
  });

  it('keeps the wait-only forms on the day of the execution, and drops them the day after', () => {
    const executed = [ev({ type: 'verkstalld', date: '2026-03-01' })];
    expect(offered(executed, 'utforare', '2026-03-01')).toContain('sammanfattning');
    expect(offered(executed, 'utforare', '2026-03-02')).toEqual(['avbrott', 'anteckning']);
  });

  it('offers nothing before the decision date', () => {
    expect(offered([], 'handlaggare', '2026-02-02')).toEqual([]);
  });
});

describe('latestOfferOfWait', () => {
  it('is the wait’s latest offer, none from before an interruption and none once executed', () => {
    const first = ev({ type: 'erbjudande', date: '2026-03-01', text: 'Eken' });
    const second = ev({ type: 'erbjudande', date: '2026-03-10', text: 'Björken' });
    expect(latestOfferOfWait(d, [second, first])).toBe(second);
    const executed = ev({ type: 'verkstalld', date: '2026-03-20' });
    expect(latestOfferOfWait(d, [first, second, executed])).toBeUndefined();
    const interrupted = [first, executed, ev({ type: 'avbrott', date: '2026-04-01' })];
    expect(latestOfferOfWait(d, interrupted)).toBeUndefined();
    const third = ev({ type: 'erbjudande', date: '2026-04-02', text: 'Linden' });
    expect(latestOfferOfWait(d, [...interrupted, third])).toBe(third);
  });
});

/*
 * The property: for any history the rules accept, on any day after it, and for every role, a form
 * is offered exactly when the event a user would send from it (a full valid event dated today,
 * recorded after the others) is accepted by assertEventFits and the role may log its type.
 */
type Step = { gap: number; pick: number };
const step = fc.record({ gap: fc.integer({ min: 0, max: 40 }), pick: fc.nat(99) });

function fullEvent(type: FormEventType, date: IsoDate, n: number): CaseEvent {
  const base = {
    id: `x${n}`,
    decisionId: d.id,
    date,
    recordedAt: `2027-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
  };
  const fields: Record<FormEventType, object> = {
    erbjudande: { text: 'Lägenhet på Storgatan 5' },
    tackat_nej: { erbjudandedatum: date, orsak: 'geografiskt_lage' },
    delvis_verkstalld: { text: '2 av 5 timmar' },
    kompenserande_insats: { text: 'Hemtjänst under tiden' },
    avbrott: { text: 'Assistenten slutade' },
    verkstalld: {},
    sammanfattning: { text: 'Sökt stödfamilj via annons' },
    uppfoljning: { kontakt: 'Vårdnadshavare', text: 'Vill vänta' },
    skal: { skal: 'tackat_nej', orsak: 'vill_avvakta', erbjudandedatum: date },
    anteckning: { text: 'Ringde' },
    avslutad: { anledning: 'behov_upphort' },
  };
  return CaseEventSchema.parse({ ...base, type, ...fields[type] });
}

function accepts(events: CaseEvent[], event: CaseEvent, on: IsoDate): boolean {
  try {
    assertEventFits(d, events, event, on);
    return true;
  } catch (e) {
    if (e instanceof DomainError) return false;
    throw e;
  }
}

/** A history the rules accept: each step tries a type picked from `pick`, kept when it fits. */
function history(steps: Step[]): { events: CaseEvent[]; last: IsoDate } {
  const events: CaseEvent[] = [];
  let date: IsoDate = d.beslutsdatum;
  steps.forEach(({ gap, pick }, i) => {
    date = addDays(date, gap);
    const type = EVENT_FORM_TYPES[pick % EVENT_FORM_TYPES.length]!;
    const event = fullEvent(type, date, i);
    if (accepts(events, event, date)) events.push(event);
  });
  return { events, last: date };
}

describe('offeredEventTypes, as a property', () => {
  it('is tried on histories of every state: waiting, partially executed, executed, interrupted, closed', () => {
    const seen = new Set<string>();
    for (const steps of fc.sample(fc.array(step, { maxLength: 10 }), { numRuns: 400, seed: 12 })) {
      const { events } = history(steps);
      const { state } = walkTimeline(d, events);
      seen.add(state);
      if (state === 'vantar' && events.some((e) => e.type === 'avbrott')) seen.add('interrupted');
      if (state === 'vantar' && events.some((e) => e.type === 'delvis_verkstalld')) {
        seen.add('partially executed');
      }
    }
    expect([...seen].sort()).toEqual(
      ['avslutad', 'interrupted', 'partially executed', 'vantar', 'verkstalld'].sort(),
    );
  });

  it('offers a form exactly when its event would be accepted and the role may log it', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 10 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom<Role>('utforare', 'matchare', 'handlaggare', 'rapportor', 'admin'),
        (steps, after, role) => {
          const { events, last } = history(steps);
          const on = addDays(last, after);
          const forms = offeredEventTypes(d, events, on, roleTypes(role));
          for (const type of EVENT_FORM_TYPES) {
            const expected =
              EVENT_TYPES_BY_ROLE[role].includes(type) &&
              accepts(events, fullEvent(type, on, 99), on);
            expect(forms.includes(type), `${type} on ${on}`).toBe(expected);
          }
        },
      ),
      { numRuns: 400, seed: 12 },
    );
  });
});
