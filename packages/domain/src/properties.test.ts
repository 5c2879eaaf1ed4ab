import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addQuarters,
  type CaseEvent,
  CaseEventSchema,
  type CaseEventType,
  caseStatus,
  compareQuarters,
  cycles,
  type Decision,
  DomainError,
  type Episode,
  episodes,
  INSATSER,
  type IsoDate,
  isIsoDate,
  isValidPersonnummer,
  isWorkingDay,
  ivoIdSex,
  type Kon,
  lineMessageKeys,
  lineMessages,
  mintIvoPseudoId,
  nextWorkingDay,
  previousWorkingDay,
  type Quarter,
  quarterBounds,
  quarterKey,
  quarterOf,
  quarterReport,
  type ReportLine,
  rapportorMessages,
  swedishHolidays,
  walkTimeline,
} from './index';

// ---------------------------------------------------------------------------------------------
// Helpers computed independently of the package (plain UTC arithmetic).

const DAY_MS = 86_400_000;
const utcMs = (date: IsoDate): number => Date.parse(`${date}T00:00:00Z`);
const daysFrom = (from: IsoDate, to: IsoDate): number =>
  Math.round((utcMs(to) - utcMs(from)) / DAY_MS);
/** 0 = Sunday … 6 = Saturday. */
const weekday = (date: IsoDate): number => new Date(utcMs(date)).getUTCDay();
const lastDayOfMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);

const holidayCache = new Map<number, Set<IsoDate>>();
function isHolidayOrEve(date: IsoDate): boolean {
  const year = Number(date.slice(0, 4));
  let set = holidayCache.get(year);
  if (!set) {
    set = new Set(swedishHolidays(year).map((h) => h.date));
    holidayCache.set(year, set);
  }
  return set.has(date);
}

// ---------------------------------------------------------------------------------------------
// Arbitraries.

/** An IsoDate in [from, to], built from a whole-day offset. */
const isoDate = (from: IsoDate = '1990-01-01', to: IsoDate = '2100-12-31') =>
  fc.integer({ min: 0, max: daysFrom(from, to) }).map((n) => addDays(from, n));

/** Days close to a holiday or eve, where the working-day rules are interesting. */
const nearHoliday = fc
  .integer({ min: 1990, max: 2100 })
  .chain((year) => fc.constantFrom(...swedishHolidays(year).map((h) => h.date)))
  .chain((date) => fc.integer({ min: -3, max: 3 }).map((n) => addDays(date, n)));

const anyDay = fc.oneof(isoDate(), nearHoliday);

const decision = fc
  .record({
    insats: fc.constantFrom(...INSATSER),
    beslutsdatum: isoDate('1990-01-01', '2095-12-31'),
    forhandsbesked: fc.boolean(),
  })
  .map(
    ({ insats, beslutsdatum, forhandsbesked }): Decision => ({
      id: 'beslut-1',
      lagrum: insats.lagrum,
      insats: insats.code,
      beslutsdatum,
      forhandsbesked,
    }),
  );

/**
 * When the next event happens: a gap after the previous event, or a day close to the current
 * episode's k·3-month date (so that ends on the three-month date and on the first overdue day,
 * the boundary of reportability, are common).
 */
type When = { gap: number } | { k: number; edge: number };
const when: fc.Arbitrary<When> = fc.oneof(
  fc.integer({ min: 0, max: 3 }).map((gap) => ({ gap })),
  fc.integer({ min: 0, max: 120 }).map((gap) => ({ gap })),
  fc.integer({ min: 0, max: 400 }).map((gap) => ({ gap })),
  fc.record({ k: fc.integer({ min: 1, max: 2 }), edge: fc.integer({ min: -1, max: 2 }) }),
);
const step = fc.record({ when, pick: fc.nat(99) });

const INFORMATIONAL: CaseEventType[] = [
  'erbjudande',
  'tackat_nej',
  'delvis_verkstalld',
  'kompenserande_insats',
  'skal',
  'uppfoljning',
  'sammanfattning',
  'anteckning',
];

function makeEvent(
  type: CaseEventType,
  index: number,
  decisionId: string,
  date: IsoDate,
): CaseEvent {
  const base = {
    id: `e${pad(index, 3)}`,
    decisionId,
    date,
    // Orders events logged on the same date.
    recordedAt: `${date}T12:00:00.${pad(index, 3)}Z`,
  };
  switch (type) {
    case 'verkstalld':
      return { ...base, type };
    case 'avbrott':
      return { ...base, type, text: 'Kontaktpersonen slutade' };
    case 'avslutad':
      return { ...base, type, anledning: 'behov_upphort' };
    case 'erbjudande':
      return { ...base, type, text: 'Plats på gruppbostad erbjuden' };
    case 'tackat_nej':
      return { ...base, type, erbjudandedatum: date, orsak: 'vill_avvakta' };
    case 'delvis_verkstalld':
      return { ...base, type, text: '2 av 5 timmar' };
    case 'kompenserande_insats':
      return { ...base, type, text: `${date}: hemtjänst under väntetiden` };
    case 'skal':
      return { ...base, type, skal: 'hos_kommunen', orsak: 'brist_plats' };
    case 'uppfoljning':
      return { ...base, type, kontakt: 'Den enskilde', text: 'Väntar fortfarande' };
    case 'sammanfattning':
      return { ...base, type, text: 'Inget erbjudande de senaste tre månaderna' };
    case 'anteckning':
      return { ...base, type, text: 'Anteckning' };
    case 'makulering':
      return { ...base, type, makulerarId: 'e000', text: 'Registrerad av misstag' };
  }
}

type Scenario = { decision: Decision; events: CaseEvent[]; expected: Episode[]; lastDate: IsoDate };

/**
 * A random walk through the legal sequences: while waiting, execution, closing or an
 * informational event; after execution, an interruption or closing (or a note); nothing after
 * closing. Dates never decrease; ids and recordedAt follow the walk's order.
 */
function buildScenario(d: Decision, steps: { when: When; pick: number }[]): Scenario {
  const events: CaseEvent[] = [];
  const expected: Episode[] = [{ kind: 'beslut', start: d.beslutsdatum }];
  let state: 'vantar' | 'verkstalld' | 'avslutad' = 'vantar';
  let date = d.beslutsdatum;
  for (const { when: w, pick } of steps) {
    if (state === 'avslutad') break;
    const open = expected[expected.length - 1]!;
    const target =
      'gap' in w ? addDays(date, w.gap) : addDays(addMonths(open.start, 3 * w.k), w.edge);
    if (target > date) date = target;
    let type: CaseEventType;
    if (state === 'vantar') {
      const r = pick % 10;
      type =
        r < 3 ? 'verkstalld' : r === 3 ? 'avslutad' : INFORMATIONAL[pick % INFORMATIONAL.length]!;
    } else {
      const r = pick % 10;
      type = r < 6 ? 'avbrott' : r < 8 ? 'avslutad' : r === 8 ? 'anteckning' : 'sammanfattning';
    }
    events.push(makeEvent(type, events.length, d.id, date));
    if (type === 'verkstalld') {
      open.end = { type: 'verkstalld', date };
      state = 'verkstalld';
    } else if (type === 'avbrott') {
      expected.push({ kind: 'avbrott', start: date });
      state = 'vantar';
    } else if (type === 'avslutad') {
      if (state === 'vantar') open.end = { type: 'avslutad', date };
      state = 'avslutad';
    }
  }
  return { decision: d, events, expected, lastDate: date };
}

const scenario: fc.Arbitrary<Scenario> = fc
  .tuple(decision, fc.array(step, { maxLength: 12 }))
  .map(([d, steps]) => buildScenario(d, steps));

/**
 * A scenario plus the same events in another order, and once more relabelled: ids that no longer
 * sort in the order the events happened, and recordedAt in a random logging order across dates
 * (events can be logged late, backdated) that keeps the real order only among events on the same
 * date. Then only the date, then recordedAt, can put them back in order.
 */
const shuffledScenario = scenario.chain((s) => {
  const n = s.events.length;
  const all = { minLength: n, maxLength: n };
  const indices = s.events.map((_, i) => i);
  return fc
    .tuple(fc.shuffledSubarray(indices, all), fc.shuffledSubarray(indices, all))
    .map(([order, rank]) => {
      // Within each date, hand out that date's ranks in ascending order, in event order.
      const logged = new Array<number>(n);
      const byDate = new Map<IsoDate, number[]>();
      s.events.forEach((event, i) => {
        byDate.set(event.date, [...(byDate.get(event.date) ?? []), i]);
      });
      for (const group of byDate.values()) {
        const ranks = group.map((i) => rank[i]!).sort((a, b) => a - b);
        group.forEach((i, j) => {
          logged[i] = ranks[j]!;
        });
      }
      const relabel = (event: CaseEvent, i: number): CaseEvent => ({
        ...event,
        id: `x${pad(rank[n - 1 - i]!, 3)}`,
        recordedAt: new Date(Date.UTC(2101, 0, 1) + logged[i]! * 60_000).toISOString(),
      });
      return {
        ...s,
        shuffled: order.map((i) => s.events[i]!),
        relabeled: order.map((i) => relabel(s.events[i]!, i)),
      };
    });
});

function sameEpisode(a: Episode, b: Episode): boolean {
  return (
    a.kind === b.kind &&
    a.start === b.start &&
    a.end?.type === b.end?.type &&
    a.end?.date === b.end?.date
  );
}

function quartersFrom(first: Quarter, last: Quarter): Quarter[] {
  const out: Quarter[] = [];
  for (let q = first; compareQuarters(q, last) <= 0; q = addQuarters(q, 1)) out.push(q);
  return out;
}

// ---------------------------------------------------------------------------------------------

describe('the scenario generator', () => {
  it('covers the interesting cases (checked on a fixed sample)', () => {
    const counts = {
      open: 0,
      endedOnThreeMonthDate: 0,
      endedOnOverdueFrom: 0,
      endedInLaterQuarter: 0,
      reportableAvbrott: 0,
      avslutadWhileExecuted: 0,
      sameDayEvents: 0,
    };
    for (const { events, expected } of fc.sample(scenario, { numRuns: 2000, seed: 42 })) {
      for (const ep of expected) {
        const c1 = cycles(ep, 1)[0]!;
        if (!ep.end) counts.open++;
        else if (ep.end.date === c1.threeMonthDate) counts.endedOnThreeMonthDate++;
        else if (ep.end.date === c1.overdueFrom) counts.endedOnOverdueFrom++;
        if (
          ep.end &&
          ep.end.date >= c1.overdueFrom &&
          compareQuarters(quarterOf(ep.end.date), quarterOf(c1.overdueFrom)) > 0
        )
          counts.endedInLaterQuarter++;
        if (ep.kind === 'avbrott' && (!ep.end || ep.end.date >= c1.overdueFrom))
          counts.reportableAvbrott++;
      }
      const last = expected[expected.length - 1]!;
      if (events.some((e) => e.type === 'avslutad') && last.end?.type === 'verkstalld')
        counts.avslutadWhileExecuted++;
      if (events.some((e, i) => i > 0 && events[i - 1]!.date === e.date)) counts.sameDayEvents++;
    }
    for (const [name, count] of Object.entries(counts)) {
      expect({ name, enough: count >= 20 }).toEqual({ name, enough: true });
    }
  });
});

describe('(a) nextWorkingDay / previousWorkingDay', () => {
  it('nextWorkingDay: the first working day on or after the date', () => {
    fc.assert(
      fc.property(anyDay, (date) => {
        const next = nextWorkingDay(date);
        expect(next >= date).toBe(true);
        expect(isWorkingDay(next)).toBe(true);
        expect([0, 6]).not.toContain(weekday(next));
        expect(isHolidayOrEve(next)).toBe(false);
        expect(next === date).toBe(isWorkingDay(date));
        for (let d = date; d < next; d = addDays(d, 1)) expect(isWorkingDay(d)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('previousWorkingDay: the last working day on or before the date', () => {
    fc.assert(
      fc.property(anyDay, (date) => {
        const previous = previousWorkingDay(date);
        expect(previous <= date).toBe(true);
        expect(isWorkingDay(previous)).toBe(true);
        expect([0, 6]).not.toContain(weekday(previous));
        expect(isHolidayOrEve(previous)).toBe(false);
        expect(previous === date).toBe(isWorkingDay(date));
        for (let d = date; d > previous; d = addDays(d, -1)) expect(isWorkingDay(d)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('isWorkingDay is exactly: Monday–Friday and not a holiday or eve', () => {
    fc.assert(
      fc.property(anyDay, (date) => {
        const wd = weekday(date);
        expect(isWorkingDay(date)).toBe(wd >= 1 && wd <= 5 && !isHolidayOrEve(date));
      }),
      { numRuns: 500 },
    );
  });
});

describe('(b) addMonths and addDays', () => {
  it('addMonths keeps the day-of-month, clamped to the last day of the target month', () => {
    fc.assert(
      fc.property(isoDate(), fc.integer({ min: -600, max: 600 }), (date, n) => {
        const [y, m, day] = date.split('-').map(Number) as [number, number, number];
        const total = y * 12 + (m - 1) + n;
        const ty = Math.floor(total / 12);
        const tm = (total % 12) + 1;
        const expected = `${pad(ty, 4)}-${pad(tm, 2)}-${pad(Math.min(day, lastDayOfMonth(ty, tm)), 2)}`;
        const result = addMonths(date, n);
        expect(result).toBe(expected);
        expect(isIsoDate(result)).toBe(true);
        // Going back never overshoots the original date (clamping only ever shortens).
        expect(addMonths(result, -n) <= date).toBe(true);
        // Whatever comes out can be used further.
        expect(isIsoDate(addDays(result, -1))).toBe(true);
        expect(isIsoDate(addDays(result, 1))).toBe(true);
        expect(isIsoDate(nextWorkingDay(result))).toBe(true);
        expect(isIsoDate(previousWorkingDay(result))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('addDays moves exactly n calendar days and back', () => {
    fc.assert(
      fc.property(isoDate(), fc.integer({ min: -5000, max: 5000 }), (date, n) => {
        const result = addDays(date, n);
        expect(isIsoDate(result)).toBe(true);
        expect(daysFrom(date, result)).toBe(n);
        expect(addDays(result, -n)).toBe(date);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('(c) episodes', () => {
  it('the generated events are valid CaseEvents (the arbitraries are realistic)', () => {
    fc.assert(
      fc.property(scenario, ({ events }) => {
        for (const event of events) expect(CaseEventSchema.safeParse(event).success).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('are what the walk produced: ordered, non-overlapping, only the last one open', () => {
    fc.assert(
      fc.property(scenario, ({ decision: d, events, expected }) => {
        const eps = episodes(d, events);
        expect(eps).toEqual(expected);
        expect(eps[0]).toMatchObject({ kind: 'beslut', start: d.beslutsdatum });
        eps.forEach((ep, i) => {
          if (i > 0) expect(ep.kind).toBe('avbrott');
          if (ep.end) expect(ep.end.date >= ep.start).toBe(true);
          if (i < eps.length - 1) {
            expect(ep.end).toBeDefined();
            expect(ep.end!.date <= eps[i + 1]!.start).toBe(true);
            expect(ep.start <= eps[i + 1]!.start).toBe(true);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('do not depend on the order the events are given in', () => {
    fc.assert(
      fc.property(shuffledScenario, ({ decision: d, events, shuffled, relabeled }) => {
        const eps = episodes(d, events);
        expect(episodes(d, shuffled)).toEqual(eps);
        // recordedAt, not the id, orders events logged on the same date.
        expect(episodes(d, relabeled)).toEqual(eps);
        // Without recordedAt, the id breaks ties on the same date.
        const bare = shuffled.map(({ recordedAt: _, ...event }) => event as CaseEvent);
        expect(episodes(d, bare)).toEqual(eps);
      }),
      { numRuns: 300 },
    );
  });
});

describe('(d) the quarter report over an episode’s life', () => {
  it('each reportable episode has one unbroken run of lines: ny first, then återrapportering until it ends', () => {
    fc.assert(
      fc.property(scenario, ({ decision: d, events, lastDate }) => {
        const eps = episodes(d, events);
        const range = quartersFrom(quarterOf(d.beslutsdatum), addQuarters(quarterOf(lastDate), 8));
        const linesByEpisode = eps.map(() => [] as { q: Quarter; line: ReportLine }[]);

        for (const q of range) {
          const lines = quarterReport(d, events, q);
          const used = new Set<number>();
          for (const line of lines) {
            const j = eps.findIndex((ep, i) => !used.has(i) && sameEpisode(ep, line.episode));
            expect(j).toBeGreaterThanOrEqual(0);
            used.add(j);
            linesByEpisode[j]!.push({ q, line });
          }
        }

        eps.forEach((ep, j) => {
          const overdueFrom = cycles(ep, 1)[0]!.overdueFrom;
          const got = linesByEpisode[j]!;
          if (ep.end && ep.end.date < overdueFrom) {
            // Executed or closed within three months: never reported.
            expect(got).toEqual([]);
            return;
          }
          const runEnd = ep.end ? quarterOf(ep.end.date) : range[range.length - 1]!;
          expect(got.map(({ q }) => quarterKey(q))).toEqual(
            quartersFrom(quarterOf(overdueFrom), runEnd).map(quarterKey),
          );
          got.forEach(({ q, line }, i) => {
            const last = i === got.length - 1;
            const referenceDate = quarterBounds(q).end;
            expect(line.decisionId).toBe(d.id);
            expect(line.report).toBe(i === 0 ? 'ny' : 'ater');
            expect(line.overdueFrom).toBe(overdueFrom);
            if (last && ep.end) {
              expect(line.status).toBe(ep.end.type);
              expect(line.statusDate).toBe(ep.end.date);
            } else {
              expect(line.status).toBe('ej_verkstalld');
              expect(line.statusDate).toBeUndefined();
            }
            expect(line.daysWaited).toBeGreaterThanOrEqual(0);
            const until = ep.end ? minDate(ep.end.date, referenceDate) : referenceDate;
            expect(line.daysWaited).toBe(daysFrom(ep.start, until));
          });
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('(e) cycles', () => {
  it('follow the three-month routine', () => {
    fc.assert(
      fc.property(
        isoDate(),
        fc.constantFrom<Episode['kind']>('beslut', 'avbrott'),
        fc.integer({ min: 1, max: 16 }),
        (start, kind, n) => {
          const cs = cycles({ kind, start }, n);
          expect(cs).toHaveLength(n);
          cs.forEach((c, i) => {
            const k = i + 1;
            expect(c.k).toBe(k);
            expect(c.threeMonthDate).toBe(addMonths(start, 3 * k));
            if (i > 0) expect(c.threeMonthDate > cs[i - 1]!.threeMonthDate).toBe(true);
            expect(c.overdueFrom).toBe(addDays(c.threeMonthDate, 1));
            expect(c.followUpFrom).toBe(addMonths(start, 3 * k - 1));
            expect(c.followUpBy).toBe(addDays(c.followUpFrom, 14));
            expect(c.summaryDue <= c.threeMonthDate).toBe(true);
            expect(isWorkingDay(c.summaryDue)).toBe(true);
            expect(c.summaryDue).toBe(previousWorkingDay(c.threeMonthDate));
            expect(c.messageDue >= c.overdueFrom).toBe(true);
            expect(isWorkingDay(c.messageDue)).toBe(true);
            expect(c.messageDue).toBe(nextWorkingDay(c.overdueFrom));
            expect(c.followUpFrom > start).toBe(true);
            expect(c.followUpFrom < c.threeMonthDate).toBe(true);
          });
          // The end of the episode does not change its calendar.
          expect(cycles({ kind, start, end: { type: 'verkstalld', date: start } }, n)).toEqual(cs);
          expect(cycles({ kind, start }, 0)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('(f) mintIvoPseudoId', () => {
  const kon = fc.constantFrom<Kon>('kvinna', 'man');
  const birthDate = isoDate('1900-01-01', '2026-12-31');

  it('gives the requested sex, never a taken id, and the same id for the same input', () => {
    const withTaken = fc.tuple(birthDate, kon).chain(([b, k]) => {
      const prefix = b.replaceAll('-', '');
      const taken = fc.uniqueArray(
        fc.oneof(
          fc.integer({ min: 0, max: 999 }).map((n) => `${prefix}-T${pad(n, 3)}`),
          fc.integer({ min: 0, max: 99 }).map((n) => `${prefix}-TF${pad(n, 2)}`),
          fc.integer({ min: 0, max: 999 }).map((n) => `19800101-T${pad(n, 3)}`),
        ),
        { maxLength: 300 },
      );
      return taken.map((t) => ({ birthDate: b, kon: k, taken: t }));
    });
    fc.assert(
      fc.property(withTaken, ({ birthDate: b, kon: k, taken }) => {
        const id = mintIvoPseudoId({ birthDate: b, kon: k }, taken);
        expect(id).toMatch(/^\d{8}-(T\d{3}|TF\d{2})$/);
        expect(id.slice(0, 8)).toBe(b.replaceAll('-', ''));
        expect(ivoIdSex(id)).toBe(k);
        expect(taken).not.toContain(id);
        expect(mintIvoPseudoId({ birthDate: b, kon: k }, taken)).toBe(id);
      }),
      { numRuns: 300 },
    );
  });

  it('minting repeatedly while adding to taken yields distinct ids', () => {
    fc.assert(
      fc.property(birthDate, kon, fc.integer({ min: 1, max: 120 }), (b, k, count) => {
        const taken: string[] = [];
        for (let i = 0; i < count; i++) {
          const id = mintIvoPseudoId({ birthDate: b, kon: k }, taken);
          expect(ivoIdSex(id)).toBe(k);
          taken.push(id);
        }
        expect(new Set(taken).size).toBe(count);
      }),
      { numRuns: 50 },
    );
  });

  it('uses every T and TF number of one sex (500 + 50) before it gives up', () => {
    for (const k of ['kvinna', 'man'] as const) {
      const taken = new Set<string>();
      for (let i = 0; i < 550; i++) {
        const id = mintIvoPseudoId({ birthDate: '1980-01-01', kon: k }, taken);
        expect(taken.has(id)).toBe(false);
        expect(ivoIdSex(id)).toBe(k);
        taken.add(id);
      }
      expect([...taken].filter((id) => id.includes('-TF'))).toHaveLength(50);
      expect(() => mintIvoPseudoId({ birthDate: '1980-01-01', kon: k }, taken)).toThrow(
        DomainError,
      );
    }
  });
});

describe('(g) isValidPersonnummer', () => {
  /** The Luhn check digit over YYMMDDNNN (weights 2, 1, 2, …). */
  function luhnDigit(nine: string): number {
    let sum = 0;
    for (let i = 0; i < 9; i++) {
      let v = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
      if (v > 9) v -= 9;
      sum += v;
    }
    return (10 - (sum % 10)) % 10;
  }

  const number = fc
    .record({
      birth: isoDate('1900-01-01', '2026-12-31'),
      serial: fc.integer({ min: 0, max: 999 }),
      samordning: fc.boolean(),
    })
    .map(({ birth, serial, samordning }) => {
      const [y, m, d] = birth.split('-') as [string, string, string];
      const day = samordning ? pad(Number(d) + 60, 2) : d;
      const date = `${y}${m}${day}`;
      const nnn = pad(serial, 3);
      const check = luhnDigit(`${date.slice(2)}${nnn}`);
      return { date, nnn, check };
    });

  it('accepts valid numbers and samordningsnummer, with and without the dash', () => {
    fc.assert(
      fc.property(number, ({ date, nnn, check }) => {
        expect(isValidPersonnummer(`${date}${nnn}${check}`)).toBe(true);
        expect(isValidPersonnummer(`${date}-${nnn}${check}`)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects the same number with any other check digit', () => {
    fc.assert(
      fc.property(number, fc.integer({ min: 1, max: 9 }), ({ date, nnn, check }, delta) => {
        const wrong = (check + delta) % 10;
        expect(isValidPersonnummer(`${date}${nnn}${wrong}`)).toBe(false);
        expect(isValidPersonnummer(`${date}-${nnn}${wrong}`)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('known examples', () => {
    // Skatteverket's test person Tolvan Tolvansson.
    expect(isValidPersonnummer('19121212-1212')).toBe(true);
    expect(isValidPersonnummer('191212121212')).toBe(true);
    expect(isValidPersonnummer('19121212-1213')).toBe(false);
    // Ten digits, a plus sign or a non-date are not accepted.
    expect(isValidPersonnummer('121212-1212')).toBe(false);
    expect(isValidPersonnummer('19121212+1212')).toBe(false);
    expect(isValidPersonnummer('19121312-1212')).toBe(false);
  });
});

describe('(h) the messages of a quarter’s line', () => {
  it('are the episode’s messages dated by the reference date, and their keys the same', () => {
    fc.assert(
      fc.property(scenario, fc.nat(400), ({ decision: d, events, lastDate }, later) => {
        const until = addDays(lastDate, later);
        const all = rapportorMessages(d, events, until);
        for (const q of quartersFrom(quarterOf(d.beslutsdatum), quarterOf(until))) {
          const { end } = quarterBounds(q);
          for (const line of quarterReport(d, events, q)) {
            const expected = all.filter(
              (m) => sameEpisode(m.episode, line.episode) && m.date <= end,
            );
            const messages = lineMessages(d, line, q, until);
            expect(messages).toEqual(expected);
            expect(lineMessageKeys(d, line, q, until)).toEqual(expected.map((m) => m.key));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('(h) makulering', () => {
  it('the rules on events with one of them voided equal the rules on the events without it', () => {
    const pickedScenario = scenario
      .filter((s) => s.events.length > 0)
      .chain((s) => fc.nat(s.events.length - 1).map((i) => ({ ...s, i })));
    fc.assert(
      fc.property(pickedScenario, ({ decision: d, events, lastDate, i }) => {
        const voided = events[i]!;
        const voiding: CaseEvent = {
          id: 'void',
          decisionId: d.id,
          type: 'makulering',
          makulerarId: voided.id,
          text: 'Registrerad av misstag',
          date: lastDate,
          recordedAt: `${lastDate}T23:59:59.000Z`,
        };
        const withVoiding = [...events, voiding];
        const without = events.filter((e) => e.id !== voided.id);
        let expected: ReturnType<typeof walkTimeline>;
        try {
          expected = walkTimeline(d, without);
        } catch (error) {
          // Voiding it leaves an impossible sequence: the rules throw the same either way.
          expect(error).toBeInstanceOf(DomainError);
          expect(() => walkTimeline(d, withVoiding)).toThrow(DomainError);
          return;
        }
        expect(walkTimeline(d, withVoiding)).toEqual(expected);
        const today = addDays(lastDate, 200);
        expect(caseStatus(d, withVoiding, today)).toEqual(caseStatus(d, without, today));
        for (const q of quartersFrom(quarterOf(d.beslutsdatum), quarterOf(today))) {
          expect(quarterReport(d, withVoiding, q)).toEqual(quarterReport(d, without, q));
        }
        expect(rapportorMessages(d, withVoiding, today)).toEqual(
          rapportorMessages(d, without, today),
        );
      }),
      { numRuns: 200 },
    );
  });
});
