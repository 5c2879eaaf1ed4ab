import {
  addDays,
  addMonths,
  addQuarters,
  cycle,
  daysBetween,
  firstOverdueDay,
  type IsoDate,
  minDate,
  type Quarter,
  quarterBounds,
  quarterOf,
} from '@evb/domain';
import {
  closing,
  DecisionFactory,
  type DecisionSpec,
  drawBeslutsdatum,
  emptyBatch,
  interruption,
  OrgIndex,
  randomTransitions,
  type SeedBatch,
  type SeedDecision,
} from './decisions';
import { type DemoFillOptions, demoFills } from './fills';
import { PersonFactory, type SeedPerson } from './identity';
import { buildOrganisation, DEMO_KOMMUN, type Organisation } from './organisation';
import { Random } from './random';
import { Plan, type Refusal, type Transition } from './timeline';

/*
 * The demo kommun's decisions, relative to `today`. About fifty are placed so that the current and
 * the previous quarter each have every kind of report line (new and återrapportering, not executed,
 * executed, closed, after an interruption, a förhandsbesked, a decision that replaced an expired
 * one), and so that each demo user has something to do; the rest are drawn at random. The same day
 * gives the same data.
 */

export const DEMO_DECISIONS = 300;
const DEMO_SEED = 0x0e7b_2026;

export type DemoData = {
  org: Organisation;
  batch: SeedBatch;
  /** Events the domain refused (never written); empty unless the generator has a bug. */
  refused: Refusal[];
};

type Scenario = {
  spec: Omit<DecisionSpec, 'namndId'>;
  transitions: Transition[];
  fills?: DemoFillOptions;
};

/** A decision date whose first overdue day falls from `lo` to `hi`, or null if there is none. */
function decidedToBeOverdue(random: Random, lo: IsoDate, hi: IsoDate): IsoDate | null {
  if (lo > hi) return null;
  const candidates: IsoDate[] = [];
  for (let b = addDays(addMonths(lo, -3), -4); b <= addMonths(hi, -3); b = addDays(b, 1)) {
    const overdue = firstOverdueDay(b);
    if (overdue >= lo && overdue <= hi) candidates.push(b);
  }
  return candidates.length > 0 ? random.pick(candidates) : null;
}

function dateIn(random: Random, from: IsoDate, to: IsoDate): IsoDate {
  return addDays(from, random.int(0, Math.max(0, daysBetween(from, to))));
}

const SCENARIO_INSATSER = [
  'LSS_9_9_GRUPPBOSTAD',
  'LSS_9_4',
  'SOL_SARSKILT_BOENDE',
  'LSS_9_10',
  'LSS_9_6_KORTTIDSHEM',
  'SOL_KONTAKTPERSON',
  'LSS_9_9_SERVICEBOSTAD',
  'LSS_9_6_STODFAMILJ',
  'SOL_BOENDESTOD',
  'LSS_9_4',
  'SOL_HEMTJANST',
  'LSS_9_8',
];

/**
 * Decisions that give quarter `q` one line of each kind, as of `today` (for the current quarter,
 * what has happened so far).
 */
function quarterScenarios(random: Random, q: Quarter, today: IsoDate, next: () => string) {
  const { start, end } = quarterBounds(q);
  const horizon = minDate(end, today);
  const dayBefore = addDays(start, -1);
  const scenarios: (Scenario & { replaces?: Scenario })[] = [];
  const add = (b: IsoDate | null, make: (b: IsoDate) => Scenario | null) => {
    const scenario = b ? make(b) : null;
    if (scenario) scenarios.push(scenario);
  };
  const newIn = () => decidedToBeOverdue(random, start, horizon);
  const olderThan = () => decidedToBeOverdue(random, addMonths(start, -9), dayBefore);
  const spec = (b: IsoDate, extra: Partial<DecisionSpec> = {}) => ({
    beslutsdatum: b,
    insats: next(),
    ...extra,
  });

  for (let copy = 0; copy < 2; copy++) {
    // Nyrapportering, still not executed; and one for a förhandsbesked.
    add(newIn(), (b) => ({ spec: spec(b), transitions: [] }));
    if (copy === 0) {
      add(newIn(), (b) => ({
        spec: { beslutsdatum: b, insats: 'LSS_9_10', forhandsbesked: true },
        transitions: [],
      }));
    }
    // Nyrapportering that is also executed, or closed, in the same quarter (seed 003's case).
    add(newIn(), (b) => ({
      spec: spec(b),
      transitions: [{ type: 'verkstalld', date: dateIn(random, firstOverdueDay(b), horizon) }],
    }));
    add(newIn(), (b) => ({
      spec: spec(b),
      transitions: [closing(random, dateIn(random, firstOverdueDay(b), horizon))],
    }));
    // Återrapportering: still waiting, then executed or closed in the quarter (slutrapportering).
    add(olderThan(), (b) => ({ spec: spec(b), transitions: [] }));
    add(olderThan(), (b) => ({
      spec: spec(b),
      transitions: [{ type: 'verkstalld', date: dateIn(random, start, horizon) }],
    }));
    add(olderThan(), (b) => ({
      spec: spec(b),
      transitions: [closing(random, dateIn(random, start, horizon))],
    }));
    // An interruption reported for the first time, and one reported again.
    for (const interruptedOn of [
      decidedToBeOverdue(random, start, horizon),
      decidedToBeOverdue(random, addMonths(start, -6), dayBefore),
    ]) {
      add(interruptedOn, (a) => {
        const executed = addDays(a, -random.int(20, 200));
        const b = addDays(executed, -random.int(5, 90));
        return {
          spec: spec(b),
          transitions: [{ type: 'verkstalld', date: executed }, interruption(random, a)],
        };
      });
    }
  }
  // A decision that expired without being carried out, replaced by a new one from the next day.
  add(newIn(), (b) => {
    const expired = addDays(b, -1);
    const insats = next();
    const replaced: Scenario = {
      spec: { beslutsdatum: addDays(expired, -random.int(150, 300)), insats },
      transitions: [{ type: 'avslutad', date: expired, anledning: 'beslut_upphort' }],
    };
    return { spec: { beslutsdatum: b, insats }, transitions: [], replaces: replaced };
  });
  return scenarios;
}

/** Decisions that give the demo handläggare a follow-up call due now, and some overdue. */
function followUpScenarios(random: Random, today: IsoDate): Scenario[] {
  const find = (from: IsoDate, to: IsoDate, fits: (b: IsoDate) => boolean) => {
    const candidates: IsoDate[] = [];
    for (let b = from; b <= to; b = addDays(b, 1)) if (fits(b)) candidates.push(b);
    return candidates.length > 0 ? random.pick(candidates) : null;
  };
  const twoMonthsAgo = addMonths(today, -2);
  const due = find(addDays(twoMonthsAgo, -14), twoMonthsAgo, (b) => {
    const c = cycle(b, 1);
    return c.followUpFrom < today && c.followUpBy > today;
  });
  const overdue = find(addDays(twoMonthsAgo, -45), addDays(twoMonthsAgo, -17), (b) => {
    const c = cycle(b, 1);
    return c.followUpBy < addDays(today, -2) && cycle(b, 2).followUpFrom > today;
  });
  const fiveMonthsAgo = addMonths(today, -5);
  const overdueSecond = find(addDays(fiveMonthsAgo, -40), addDays(fiveMonthsAgo, -17), (b) => {
    const c = cycle(b, 2);
    return c.followUpBy < addDays(today, -2) && cycle(b, 3).followUpFrom > today;
  });
  const scenarios: Scenario[] = [];
  for (const [b, insats, skip] of [
    [due, 'LSS_9_4', [1]],
    [due, 'LSS_9_9_GRUPPBOSTAD', [1]],
    [overdue, 'SOL_SARSKILT_BOENDE', [1]],
    [overdueSecond, 'LSS_9_6_KORTTIDSHEM', [2]],
  ] as const) {
    if (b) {
      scenarios.push({
        spec: { beslutsdatum: b, insats },
        transitions: [],
        fills: { skipCallCycles: skip },
      });
    }
  }
  // Just decided and not yet ordered to a unit or team.
  for (const insats of ['LSS_9_4', 'SOL_HEMTJANST']) {
    scenarios.push({
      spec: { beslutsdatum: addDays(today, -random.int(0, 2)), insats, ordered: false },
      transitions: [],
    });
  }
  return scenarios;
}

/** The demo kommun and its decisions, as of `today`. */
export function generateDemoData(today: IsoDate, size = DEMO_DECISIONS): DemoData {
  const random = new Random(DEMO_SEED);
  const org = buildOrganisation(random.fork(1));
  const index = new OrgIndex(org);
  const factory = new DecisionFactory(
    index,
    random.fork(3),
    new PersonFactory(random.fork(2)),
    today,
  );
  const kommun = org.kommuner.find((k) => k.namn === DEMO_KOMMUN)!;
  const namnder = org.namnder.filter((n) => n.kommunId === kommun.id);
  const vard = namnder.find((n) => n.areas.includes('LSS'))!;
  const social = namnder.find((n) => n.areas.includes('SOL_IFO'))!;
  const demoHandlaggare = index.demoHandlaggareId!;

  const batch = emptyBatch();
  const refused: Refusal[] = [];
  const plans = random.fork(4);
  const write = (spec: DecisionSpec, transitions: Transition[], fills: DemoFillOptions = {}) => {
    const { decision, newPerson } = factory.draw(spec);
    if (newPerson) batch.persons.push(newPerson);
    const plan = new Plan(decision.beslutsdatum, today, transitions);
    const result = factory.events(
      decision,
      plan,
      demoFills(plans, plan, decision.insats, fills),
      true,
    );
    batch.decisions.push(decision);
    batch.events.push(...result.events);
    batch.handledMessages.push(...factory.handledMessages(decision, result.events));
    refused.push(...result.refused);
    return { decision, person: batch.persons.find((p) => p.id === decision.personId) };
  };

  const scenarioRandom = random.fork(5);
  let insatsIndex = 0;
  const nextInsats = () => SCENARIO_INSATSER[insatsIndex++ % SCENARIO_INSATSER.length]!;
  const current = quarterOf(today);
  const scenarios = [
    ...quarterScenarios(scenarioRandom, addQuarters(current, -1), today, nextInsats),
    ...quarterScenarios(scenarioRandom, current, today, nextInsats),
  ];
  scenarios.forEach((scenario, i) => {
    // Every other one is the demo handläggare's, so the demo user sees all kinds.
    const handlaggareId = i % 2 === 0 ? demoHandlaggare : undefined;
    let person: SeedPerson | undefined;
    let replaced: SeedDecision | undefined;
    if (scenario.replaces) {
      const old = write(
        {
          ...scenario.replaces.spec,
          namndId: vard.id,
          ...(handlaggareId ? { handlaggareId } : {}),
        },
        scenario.replaces.transitions,
      );
      replaced = old.decision;
      person = old.person;
    }
    write(
      {
        ...scenario.spec,
        namndId: vard.id,
        ...(handlaggareId ? { handlaggareId } : {}),
        ...(replaced
          ? { ersatterBeslutId: replaced.id, handlaggareId: replaced.handlaggareId }
          : {}),
        ...(person ? { person } : {}),
      },
      scenario.transitions,
      scenario.fills,
    );
  });
  for (const scenario of followUpScenarios(scenarioRandom, today)) {
    write(
      { ...scenario.spec, namndId: vard.id, handlaggareId: demoHandlaggare },
      scenario.transitions,
      scenario.fills,
    );
  }

  const drawn = random.fork(6);
  while (batch.decisions.length < size) {
    const namnd = drawn.chance(0.75) ? vard : social;
    const beslutsdatum = drawBeslutsdatum(drawn, today, 900);
    write(
      { namndId: namnd.id, beslutsdatum, forhandsbesked: drawn.chance(0.03) },
      randomTransitions(drawn, beslutsdatum, today),
    );
  }
  return { org, batch, refused };
}
