import {
  AVSLUTSANLEDNINGAR,
  addDays,
  type CaseEvent,
  type Decision,
  findInsats,
  type IsoDate,
  rapportorMessages,
  type Verksamhetsomrade,
} from '@evb/domain';
import {
  AREA_WEIGHTS,
  ageRange,
  drawInriktning,
  INSATS_WEIGHTS,
  INTERRUPTION_TEXTS,
} from './catalogue';
import { registeredAfter, stockholmTime } from './clock';
import type { PersonFactory, SeedPerson } from './identity';
import { type Organisation, orderRecipients, type SeedNamnd } from './organisation';
import type { Random } from './random';
import {
  type Actor,
  type Fill,
  keepValid,
  materialise,
  type Plan,
  type Refusal,
  type Transition,
} from './timeline';

/** A decision as the seed writes it (the `decision` table). */
export type SeedDecision = {
  id: string;
  namndId: string;
  verksamhetsomrade: Verksamhetsomrade;
  inriktning: string | null;
  inriktningText: string | null;
  personId: string;
  lagrum: 'SoL' | 'LSS';
  insats: string;
  beslutsdatum: IsoDate;
  forhandsbesked: boolean;
  ersatterBeslutId: string | null;
  handlaggareId: string;
  enhetId: string | null;
  orderedAt: Date | null;
  extern: boolean;
  createdAt: Date;
};

/** An event as the seed writes it (the `case_event` table): the type's own fields in `data`. */
export type SeedEvent = {
  id: string;
  decisionId: string;
  type: string;
  date: IsoDate;
  recordedAt: Date;
  recordedBy: string;
  data: Record<string, unknown>;
};

export type SeedHandledMessage = {
  messageKey: string;
  decisionId: string;
  handledBy: string;
  handledAt: Date;
};

/** Rows to write together. */
export type SeedBatch = {
  persons: SeedPerson[];
  decisions: SeedDecision[];
  events: SeedEvent[];
  handledMessages: SeedHandledMessage[];
};

export function emptyBatch(): SeedBatch {
  return { persons: [], decisions: [], events: [], handledMessages: [] };
}

/** The domain's view of a seeded decision. */
export function domainDecision(d: SeedDecision): Decision {
  return {
    id: d.id,
    lagrum: d.lagrum,
    insats: d.insats,
    beslutsdatum: d.beslutsdatum,
    forhandsbesked: d.forhandsbesked,
    ersatterBeslutId: d.ersatterBeslutId,
  };
}

/** The domain's view of a seeded event (as the server's toDomainEvent reads it back). */
export function domainEvent(e: SeedEvent): CaseEvent {
  return {
    ...e.data,
    id: e.id,
    decisionId: e.decisionId,
    type: e.type,
    date: e.date,
    recordedAt: e.recordedAt.toISOString(),
  } as CaseEvent;
}

/** Who is who in an organisation, for picking the people a decision involves. */
export class OrgIndex {
  private readonly handlaggareByNamnd = new Map<string, string[]>();
  private readonly staffByEnhet = new Map<string, string[]>();
  private readonly rapportorerByNamnd = new Map<string, { id: string; area: string | null }[]>();
  readonly namndById: Map<string, SeedNamnd>;
  readonly demoHandlaggareId: string | undefined;

  constructor(readonly org: Organisation) {
    const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
      map.set(key, [...(map.get(key) ?? []), value]);
    };
    for (const user of org.users) {
      for (const g of user.grants) {
        if (g.role === 'handlaggare' && g.namndId)
          push(this.handlaggareByNamnd, g.namndId, user.id);
        if ((g.role === 'utforare' || g.role === 'matchare') && g.enhetId) {
          push(this.staffByEnhet, g.enhetId, user.id);
        }
        if ((g.role === 'rapportor' || g.role === 'huvudrapportor') && g.namndId) {
          push(this.rapportorerByNamnd, g.namndId, {
            id: user.id,
            area: g.verksamhetsomrade ?? null,
          });
        }
      }
    }
    this.namndById = new Map(org.namnder.map((n) => [n.id, n]));
    this.demoHandlaggareId = org.users.find((u) => u.demo && u.username === 'handlaggare')?.id;
  }

  handlaggare(namndId: string): string[] {
    return this.handlaggareByNamnd.get(namndId) ?? [];
  }

  staff(enhetId: string): string[] {
    return this.staffByEnhet.get(enhetId) ?? [];
  }

  rapportorer(namndId: string, area: string): string[] {
    return (this.rapportorerByNamnd.get(namndId) ?? [])
      .filter((r) => r.area === null || r.area === area)
      .map((r) => r.id);
  }
}

export type DecisionSpec = {
  namndId: string;
  beslutsdatum: IsoDate;
  area?: Verksamhetsomrade;
  insats?: string;
  handlaggareId?: string;
  forhandsbesked?: boolean;
  ersatterBeslutId?: string | null;
  /** The person of an earlier decision (a new decision for the same person). */
  person?: SeedPerson;
  /** False: registered but not yet ordered to a unit or team. */
  ordered?: boolean;
};

/**
 * Draws decisions: area, insats and inriktning by how often they are decided, a person of the
 * right age (now and then someone who already has a decision), a handläggare of the nämnd, and the
 * order routed as the domain's defaultOrderRecipient says.
 */
export class DecisionFactory {
  private readonly recentPersons = new Map<string, SeedPerson[]>();

  constructor(
    readonly index: OrgIndex,
    private readonly random: Random,
    private readonly persons: PersonFactory,
    readonly today: IsoDate,
  ) {}

  /** The decision and, when one had to be made, its new person. */
  draw(spec: DecisionSpec): { decision: SeedDecision; newPerson: SeedPerson | null } {
    const r = this.random;
    const namnd = this.index.namndById.get(spec.namndId)!;
    const area =
      spec.area ??
      (spec.insats
        ? findInsats(spec.insats)!.verksamhetsomraden.find((a) => namnd.areas.includes(a))!
        : r.weighted(namnd.areas.map((a) => [a, AREA_WEIGHTS[a]] as const)));
    const insats = spec.insats ?? r.weighted(INSATS_WEIGHTS[area]);
    const lagrum = findInsats(insats)!.lagrum;
    const extern = insats === 'LSS_9_8' && r.chance(0.4);
    const createdAt = registeredAfter(spec.beslutsdatum, r.int(0, 1), this.today, r.int(0, 300));
    const { person, newPerson } = this.personFor(spec, namnd.kommunId, insats, area, createdAt);
    const recipients = orderRecipients(this.index.org, namnd.id, insats, extern);
    const ordered = (spec.ordered ?? true) && recipients.length > 0;
    const colleagues = this.index.handlaggare(namnd.id);
    const demo = this.index.demoHandlaggareId;
    const handlaggareId =
      spec.handlaggareId ??
      (demo && colleagues.includes(demo) && r.chance(0.4)
        ? demo
        : r.pick(colleagues.filter((id) => id !== demo)));
    const decision: SeedDecision = {
      id: r.uuid(),
      namndId: namnd.id,
      verksamhetsomrade: area,
      ...drawInriktning(r, area, insats),
      personId: person.id,
      lagrum,
      insats,
      beslutsdatum: spec.beslutsdatum,
      forhandsbesked: spec.forhandsbesked ?? false,
      ersatterBeslutId: spec.ersatterBeslutId ?? null,
      handlaggareId,
      enhetId: ordered ? r.pick(recipients).id : null,
      orderedAt: ordered
        ? registeredAfter(spec.beslutsdatum, r.int(0, 3), this.today, r.int(300, 480))
        : null,
      extern,
      createdAt,
    };
    return { decision, newPerson };
  }

  private personFor(
    spec: DecisionSpec,
    kommunId: string,
    insats: string,
    area: Verksamhetsomrade,
    createdAt: Date,
  ): { person: SeedPerson; newPerson: SeedPerson | null } {
    if (spec.person) return { person: spec.person, newPerson: null };
    const [minAge, maxAge] = ageRange(insats, area);
    const recent = this.recentPersons.get(kommunId) ?? [];
    if (recent.length > 0 && this.random.chance(0.1)) {
      const candidate = this.random.pick(recent);
      const age = Number(this.today.slice(0, 4)) - Number(candidate.fodelsedatum.slice(0, 4));
      if (age >= minAge && age <= maxAge) return { person: candidate, newPerson: null };
    }
    const person = this.persons.make(kommunId, this.today, minAge, maxAge, createdAt);
    recent.push(person);
    if (recent.length > 50) recent.shift();
    this.recentPersons.set(kommunId, recent);
    return { person, newPerson: person };
  }

  /** Who logs what the actor does: a member of the unit or team, the handläggare, a rapportör. */
  recorder(decision: SeedDecision, actor: Actor): string {
    if (actor === 'utforare' && decision.enhetId) {
      const staff = this.index.staff(decision.enhetId);
      if (staff.length > 0) return this.random.pick(staff);
    }
    if (actor === 'rapportor') {
      const rapportorer = this.index.rapportorer(decision.namndId, decision.verksamhetsomrade);
      if (rapportorer.length > 0) return this.random.pick(rapportorer);
    }
    return decision.handlaggareId;
  }

  /**
   * The decision's events from its plan and fills, each logged by someone who may log it. With
   * `check`, only what the domain accepts is kept and the rest is returned as refused.
   */
  events(
    decision: SeedDecision,
    plan: Plan,
    fills: readonly Fill[],
    check: boolean,
  ): { events: SeedEvent[]; refused: Refusal[] } {
    const timed = materialise(decision.id, plan, fills, () => this.random.uuid());
    const { kept, refused } = check
      ? keepValid(domainDecision(decision), timed, this.today)
      : { kept: timed, refused: [] };
    const events = kept.map(({ event, actor }) => {
      const { id, decisionId, type, date, recordedAt, ...data } = event;
      return {
        id,
        decisionId,
        type,
        date,
        recordedAt: new Date(recordedAt!),
        recordedBy: this.recorder(decision, actor),
        data,
      };
    });
    return { events, refused };
  }

  /**
   * The rapportör's messages already dealt with: those due more than a week ago, nearly all, so the
   * inbox shows the recent ones and a few forgotten.
   */
  handledMessages(decision: SeedDecision, events: readonly SeedEvent[]): SeedHandledMessage[] {
    const rapportorer = this.index.rapportorer(decision.namndId, decision.verksamhetsomrade);
    if (rapportorer.length === 0) return [];
    const weekAgo = addDays(this.today, -7);
    return rapportorMessages(domainDecision(decision), events.map(domainEvent), weekAgo)
      .filter(() => this.random.chance(0.95))
      .map((m) => ({
        messageKey: m.key,
        decisionId: decision.id,
        handledBy: this.random.pick(rapportorer),
        handledAt: stockholmTime(addDays(m.due, this.random.int(0, 3)), 10 * 60),
      }));
  }
}

/** A decision date up to `maxDaysBack` days ago, recent ones more likely. */
export function drawBeslutsdatum(random: Random, today: IsoDate, maxDaysBack: number): IsoDate {
  return addDays(today, -Math.floor(maxDaysBack * random.next() ** 1.6));
}

const CLOSING_REASONS = AVSLUTSANLEDNINGAR.filter((a) => a.code !== 'nytt_beslut');

export function closing(random: Random, date: IsoDate): Transition {
  const reason = random.weighted(
    CLOSING_REASONS.map((a) => [a, a.code === 'annat' ? 1 : a.code === 'avliden' ? 3 : 6] as const),
  );
  return {
    type: 'avslutad',
    date,
    anledning: reason.code,
    ...(reason.needsText ? { text: 'Den enskilde har fått insatsen genom Försäkringskassan' } : {}),
  };
}

export function interruption(random: Random, date: IsoDate): Transition {
  return { type: 'avbrott', date, text: random.pick(INTERRUPTION_TEXTS) };
}

/**
 * A decision's course: carried out soon (most), after a while, after a long wait, or closed
 * without execution; sometimes interrupted later and resumed; sometimes closed when the need ends.
 * Only what has happened by today is kept.
 */
export function randomTransitions(
  random: Random,
  beslutsdatum: IsoDate,
  today: IsoDate,
): Transition[] {
  const transitions: Transition[] = [];
  const upTo = (date: IsoDate) => date <= today;
  const course = random.weighted([
    ['soon', 45],
    ['later', 20],
    ['long', 27],
    ['closed', 8],
  ] as const);
  if (course === 'closed') {
    const date = addDays(beslutsdatum, random.int(20, 400));
    if (upTo(date)) transitions.push(closing(random, date));
    return transitions;
  }
  const delay =
    course === 'soon'
      ? random.int(3, 60)
      : course === 'later'
        ? random.int(61, 110)
        : random.int(111, 500);
  const executed = addDays(beslutsdatum, delay);
  if (!upTo(executed)) return transitions;
  transitions.push({ type: 'verkstalld', date: executed });
  let last = executed;
  if (random.chance(0.14)) {
    const interrupted = addDays(executed, random.int(30, 400));
    if (upTo(interrupted)) {
      transitions.push(interruption(random, interrupted));
      last = interrupted;
      const resumed = addDays(interrupted, random.int(10, 200));
      if (random.chance(0.6) && upTo(resumed)) {
        transitions.push({ type: 'verkstalld', date: resumed });
        last = resumed;
      } else {
        return transitions;
      }
    }
  }
  if (random.chance(0.1)) {
    const closed = addDays(last, random.int(60, 500));
    if (upTo(closed)) transitions.push(closing(random, closed));
  }
  return transitions;
}
