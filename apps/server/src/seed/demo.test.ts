import {
  addDays,
  addMonths,
  addQuarters,
  type CaseEvent,
  firstOverdueDay,
  type IsoDate,
  isValidPersonnummer,
  ivoIdSex,
  konOfPersonnummer,
  type Quarter,
  quarterBounds,
  quarterOf,
  quarterReport,
  todayInStockholm,
} from '@evb/domain';
import { describe, expect, it } from 'vitest';
import { domainDecision, domainEvent } from './decisions';
import { generateDemoData } from './demo';
import { makePersonnummer } from './identity';
import { LINE_KINDS, type LineKind, lineKinds } from './line-kinds';
import { Random } from './random';

function kindsIn(demo: ReturnType<typeof generateDemoData>, q: Quarter, namndId?: string) {
  const events = new Map<string, CaseEvent[]>();
  for (const e of demo.batch.events) {
    events.set(e.decisionId, [...(events.get(e.decisionId) ?? []), domainEvent(e)]);
  }
  const kinds = new Set<LineKind>();
  for (const d of demo.batch.decisions) {
    if (namndId && d.namndId !== namndId) continue;
    const decision = domainDecision(d);
    for (const line of quarterReport(decision, events.get(d.id) ?? [], q)) {
      for (const kind of lineKinds(decision, line)) kinds.add(kind);
    }
  }
  return kinds;
}

/**
 * Kinds that cannot exist yet in the current quarter: a new report that is already executed or
 * closed needs a first overdue day from the quarter's start to today, and on 1 January there is
 * none: a first overdue day of 1 January would need a decision dated 31 September.
 */
function impossibleSoFar(today: IsoDate): LineKind[] {
  const { start } = quarterBounds(quarterOf(today));
  for (let b = addDays(addMonths(start, -3), -4); b <= today; b = addDays(b, 1)) {
    const overdue = firstOverdueDay(b);
    if (overdue >= start && overdue <= today) return [];
  }
  return ['nyrapportering, verkställt samma kvartal', 'nyrapportering, avslutat samma kvartal'];
}

describe('the demo data for a given day', () => {
  // Today, and the days that are hard to cover: a quarter's first and last day, a leap day, the
  // day after 1 January, and 1 January itself.
  const days = [
    todayInStockholm(),
    '2026-04-01',
    '2026-06-30',
    '2026-09-30',
    '2027-01-02',
    '2028-02-29',
    '2026-01-01',
  ];

  it.each(days)('on %s has every kind of report line in this and the previous quarter', (today) => {
    const demo = generateDemoData(today);
    const vard = demo.org.namnder.find((n) => n.namn === 'Vård- och omsorgsnämnden')!;
    const current = quarterOf(today);
    for (const [q, expected] of [
      [addQuarters(current, -1), LINE_KINDS],
      [current, LINE_KINDS.filter((k) => !impossibleSoFar(today).includes(k))],
    ] as const) {
      // Within Vård- och omsorgsnämnden alone, the nämnd the demo rapportör reports for.
      const kinds = kindsIn(demo, q, vard.id);
      expect([...expected].filter((k) => !kinds.has(k))).toEqual([]);
    }
    expect(demo.refused).toEqual([]);
  });

  it('is the same for the same day, and different for another day', () => {
    const a = generateDemoData('2026-11-22');
    const b = generateDemoData('2026-11-22');
    expect(b.batch).toEqual(a.batch);
    expect(b.org).toEqual(a.org);
    const c = generateDemoData('2026-11-23');
    expect(c.batch.events.map((e) => e.date)).not.toEqual(a.batch.events.map((e) => e.date));
  });

  it('has a few hundred decisions across LSS 9 § 1–10, with forms for 9 § 6 and 9 § 9, and SoL', () => {
    const demo = generateDemoData('2026-11-22');
    const insatser = new Set(demo.batch.decisions.map((d) => d.insats));
    expect(demo.batch.decisions).toHaveLength(300);
    for (let n = 1; n <= 10; n++) {
      expect([...insatser].some((i) => i === `LSS_9_${n}` || i.startsWith(`LSS_9_${n}_`))).toBe(
        true,
      );
    }
    expect([...insatser].filter((i) => i.startsWith('LSS_9_6_')).length).toBeGreaterThanOrEqual(3);
    expect([...insatser].filter((i) => i.startsWith('LSS_9_9_')).length).toBeGreaterThanOrEqual(2);
    for (const area of ['SOL_ALDRE', 'SOL_FUNK', 'SOL_IFO', 'LSS']) {
      expect(demo.batch.decisions.some((d) => d.verksamhetsomrade === area)).toBe(true);
    }
    // Some still under three months, and no decision or event dated after today.
    expect(demo.batch.decisions.some((d) => d.beslutsdatum > addMonths('2026-11-22', -3))).toBe(
      true,
    );
    expect(demo.batch.events.every((e) => e.date <= '2026-11-22')).toBe(true);
  });

  it('gives persons valid personnummer, some samordningsnummer, some none, a few protected', () => {
    const { persons } = generateDemoData('2026-11-22').batch;
    for (const p of persons) {
      if (p.personnummer) {
        expect(isValidPersonnummer(p.personnummer)).toBe(true);
        expect(konOfPersonnummer(p.personnummer)).toBe(p.kon);
      }
      expect(ivoIdSex(p.ivoId)).toBe(p.kon);
      expect(p.ivoId.slice(0, 8)).toBe(p.fodelsedatum.replaceAll('-', ''));
    }
    const count = (what: (typeof persons)[number]['identitet']) =>
      persons.filter((p) => p.identitet === what).length;
    expect(count('personnummer')).toBeGreaterThan(200);
    expect(count('samordningsnummer')).toBeGreaterThan(0);
    expect(count('saknas')).toBeGreaterThan(0);
    expect(
      persons.filter((p) => p.identitet === 'saknas').every((p) => p.personnummer === null),
    ).toBe(true);
    expect(persons.some((p) => p.skyddadIdentitet)).toBe(true);
    expect(new Set(persons.map((p) => p.ivoId)).size).toBe(persons.length);
    expect(new Set(persons.map((p) => p.personnummer ?? p.id)).size).toBe(persons.length);
  });
});

describe('makePersonnummer', () => {
  it('makes valid numbers with the right sex digit, and samordningsnummer with day + 60', () => {
    const random = new Random(1);
    for (let i = 0; i < 2000; i++) {
      const birth = addDays('1930-01-01', random.int(0, 30_000));
      const kon = random.chance(0.5) ? 'kvinna' : 'man';
      const samordning = random.chance(0.2);
      const pnr = makePersonnummer(birth, kon, random.int(0, 499), samordning);
      expect(isValidPersonnummer(pnr), pnr).toBe(true);
      expect(konOfPersonnummer(pnr)).toBe(kon);
      expect(Number(pnr.slice(6, 8)) > 60).toBe(samordning);
    }
  });
});
