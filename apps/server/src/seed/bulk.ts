import type { IsoDate } from '@evb/domain';
import {
  DecisionFactory,
  drawBeslutsdatum,
  emptyBatch,
  OrgIndex,
  randomTransitions,
  type SeedBatch,
} from './decisions';
import { bulkFills } from './fills';
import { PersonFactory } from './identity';
import { buildOrganisation, DEMO_KOMMUN, type Organisation, type SeedNamnd } from './organisation';
import { Random } from './random';
import { Plan, type Refusal } from './timeline';

/*
 * Large data for benchmarks: the demo kommun plus made-up kommuner with the same structure, and N
 * decisions drawn like the demo's random ones, with a chosen average number of events each. One
 * large nämnd (the demo kommun's Vård- och omsorgsnämnden) gets 18 % of the decisions, so that at
 * 100 000 decisions it has about 5 000 still waiting; the others about 5 000 decisions each.
 */

export type BulkOptions = {
  size: number;
  /** The average number of events per decision. */
  eventsPerDecision: number;
  today: IsoDate;
  /** Decisions per batch (written in one transaction). */
  batchSize?: number;
  /** Every n-th decision's events are checked one by one with the domain (default 1: all). */
  checkEvery?: number;
  seed?: number;
};

export const LARGE_NAMND_SHARE = 0.18;
const DECISIONS_PER_OTHER_NAMND = 5000;

export type BulkPlan = {
  org: Organisation;
  large: SeedNamnd;
  others: SeedNamnd[];
};

export function bulkOrganisation(options: BulkOptions): BulkPlan {
  const random = new Random(options.seed ?? 0x0b01_2026);
  const rest = options.size * (1 - LARGE_NAMND_SHARE);
  // Each extra kommun brings two nämnder.
  const extraKommuner = Math.max(1, Math.ceil(rest / (2 * DECISIONS_PER_OTHER_NAMND)));
  const org = buildOrganisation(random.fork(1), extraKommuner);
  const demoKommun = org.kommuner.find((k) => k.namn === DEMO_KOMMUN)!;
  const large = org.namnder.find((n) => n.kommunId === demoKommun.id && n.areas.includes('LSS'))!;
  return { org, large, others: org.namnder.filter((n) => n !== large) };
}

export type BulkBatch = SeedBatch & { refused: Refusal[]; checked: number; waitingInLarge: number };

/** The decisions in batches of `batchSize`, each with its persons, events and handled messages. */
export function* bulkBatches(plan: BulkPlan, options: BulkOptions): Generator<BulkBatch> {
  const random = new Random((options.seed ?? 0x0b01_2026) ^ 0x5eed);
  const factory = new DecisionFactory(
    new OrgIndex(plan.org),
    random.fork(3),
    new PersonFactory(random.fork(2)),
    options.today,
  );
  const batchSize = options.batchSize ?? 2000;
  const checkEvery = options.checkEvery ?? 1;
  const whole = Math.floor(options.eventsPerDecision);
  const fraction = options.eventsPerDecision - whole;
  // Below two events per decision the courses (about 1.3 transitions each) would not fit.
  const keepCourses = options.eventsPerDecision >= 2;
  let surplus = 0;
  for (let from = 0; from < options.size; from += batchSize) {
    const batch: BulkBatch = { ...emptyBatch(), refused: [], checked: 0, waitingInLarge: 0 };
    for (let i = from; i < Math.min(options.size, from + batchSize); i++) {
      const namnd = random.chance(LARGE_NAMND_SHARE) ? plan.large : random.pick(plan.others);
      const beslutsdatum = drawBeslutsdatum(random, options.today, 1100);
      const { decision, newPerson } = factory.draw({
        namndId: namnd.id,
        beslutsdatum,
        forhandsbesked: random.chance(0.03),
      });
      if (newPerson) batch.persons.push(newPerson);
      // A count around the average: uniform from 0 to twice the whole part, plus the fraction,
      // less what earlier decisions went over it. The decision's course (its transitions) is kept
      // whole when the average leaves room for it, and cut short only when it does not.
      const drawn = random.int(0, 2 * whole) + (random.chance(fraction) ? 1 : 0);
      const target = Math.max(0, drawn - surplus);
      const course = randomTransitions(random, beslutsdatum, options.today);
      const transitions = keepCourses ? course : course.slice(0, target);
      const count = Math.max(target, transitions.length);
      surplus += count - drawn;
      const timeline = new Plan(beslutsdatum, options.today, transitions);
      const fills = bulkFills(random, timeline, decision.insats, count - transitions.length);
      const check = i % checkEvery === 0;
      const { events, refused } = factory.events(decision, timeline, fills, check);
      if (check) batch.checked += events.length + refused.length;
      batch.decisions.push(decision);
      batch.events.push(...events);
      batch.refused.push(...refused);
      batch.handledMessages.push(...factory.handledMessages(decision, events));
      if (namnd === plan.large && timeline.finalState === 'vantar') batch.waitingInLarge++;
    }
    yield batch;
  }
}
