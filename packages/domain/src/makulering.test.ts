import { describe, expect, it } from 'vitest';
import {
  assertEventFits,
  type CaseEvent,
  CaseEventSchema,
  caseStatus,
  DomainError,
  episodes,
  isVoided,
  mayVoid,
  prefillIndividrapport,
  quarterReport,
  quarterStatistics,
  voidedSinceFiling,
  voidedSinceFilingNote,
  voidingsOf,
  withoutVoided,
} from './index';
import { decision, ev } from './testing/fixtures';

const d = decision('2026-01-15');
const today = '2026-09-01';
const Q2 = { year: 2026, quarter: 2 } as const;

function voiding(target: CaseEvent, text = 'Registrerades på fel beslut'): CaseEvent {
  return ev({ type: 'makulering', date: today, makulerarId: target.id, text });
}

describe('the makulering event', () => {
  it('names the voided event and needs a bounded reason', () => {
    const base = { id: 'm1', decisionId: 'b1', date: today, type: 'makulering', makulerarId: 'e1' };
    expect(CaseEventSchema.safeParse({ ...base, text: 'Fel person' }).success).toBe(true);
    const noReason = CaseEventSchema.safeParse({ ...base, text: '  ' });
    expect(noReason.error?.issues[0]?.message).toBe('Skriv varför händelsen makuleras');
    const long = CaseEventSchema.safeParse({ ...base, text: 'x'.repeat(4001) });
    expect(long.error?.issues[0]?.message).toBe('Texten får vara högst 4 000 tecken');
    const noTarget = CaseEventSchema.safeParse({ ...base, makulerarId: '', text: 'Fel' });
    expect(noTarget.error?.issues[0]?.message).toBe('Den makulerade händelsens id saknas');
  });
});

describe('withoutVoided', () => {
  it('drops the voidings and what they void, and returns the same list when nothing is voided', () => {
    const offer = ev({ type: 'erbjudande', date: '2026-02-01', text: 'Plats på Eken' });
    const note = ev({ type: 'anteckning', date: '2026-02-02', text: 'Ringde' });
    const events = [offer, note];
    expect(withoutVoided(events)).toBe(events);
    const m = voiding(offer);
    expect(withoutVoided([...events, m])).toEqual([note]);
    expect(isVoided([...events, m], offer.id)).toBe(true);
    expect(voidingsOf([...events, m]).get(offer.id)).toBe(m);
  });
});

describe('every rule treats a voided event as never logged', () => {
  const executed = ev({ type: 'verkstalld', date: '2026-03-01' });

  it('a voided execution: the wait goes on, the deadlines and quarter lines come back', () => {
    const events = [executed, voiding(executed)];
    expect(episodes(d, events)).toEqual([{ kind: 'beslut', start: '2026-01-15' }]);
    expect(caseStatus(d, events, today)).toEqual(caseStatus(d, [], today));
    expect(caseStatus(d, events, today).waiting).toBe(true);
    expect(quarterReport(d, [executed], Q2)).toEqual([]);
    expect(quarterReport(d, events, Q2)).toMatchObject([
      { report: 'ny', status: 'ej_verkstalld', overdueFrom: '2026-04-16' },
    ]);
  });

  it('statistics count the decision as waiting again', () => {
    const subject = (events: CaseEvent[]) => ({
      decision: d,
      events,
      ivoId: '19800101-T123',
      kon: 'kvinna' as const,
    });
    expect(quarterStatistics([subject([executed])], Q2).total.total.total).toBe(0);
    expect(quarterStatistics([subject([executed, voiding(executed)])], Q2).total.total.total).toBe(
      1,
    );
  });

  it('the individrapport is prefilled without the voided refusal', () => {
    const offer = ev({ type: 'erbjudande', date: '2026-02-10', text: 'Plats på Eken' });
    const refusal = ev({
      type: 'tackat_nej',
      date: '2026-02-20',
      erbjudandedatum: '2026-02-10',
      orsak: 'geografiskt_lage',
      text: 'För lång resväg',
    });
    const events = [offer, refusal, voiding(refusal, 'Det var en annan person som tackade nej')];
    const [line] = quarterReport(d, events, Q2);
    const draft = prefillIndividrapport({
      quarter: Q2,
      line: line!,
      decision: { ...d, verksamhetsomrade: 'LSS' },
      person: {
        fornamn: 'Astrid',
        efternamn: 'Lind',
        personnummer: '191212121212',
        identitet: 'personnummer',
        skyddadIdentitet: false,
        ivoId: '19121212-T123',
      },
      namnd: 'Nämnden',
      rapportor: 'Rut',
      events,
    });
    expect(draft.skal).not.toBe('tackat_nej');
    expect(JSON.stringify(draft)).not.toContain('För lång resväg');
  });

  it('a new event is judged against the events as if the voided one was never logged', () => {
    // Executed, then voided: a second execution is no longer "verkställd twice".
    const again = ev({ type: 'verkstalld', date: '2026-03-05' });
    expect(() => assertEventFits(d, [executed], again, today)).toThrow(DomainError);
    expect(() => assertEventFits(d, [executed, voiding(executed)], again, today)).not.toThrow();
  });
});

describe('assertVoidingFits (through assertEventFits)', () => {
  const executed = ev({ type: 'verkstalld', date: '2026-03-01' });
  const interrupted = ev({ type: 'avbrott', date: '2026-04-01', text: 'Personalbrist' });
  const resumed = ev({ type: 'verkstalld', date: '2026-05-01' });

  it('accepts voiding the last event of a sequence', () => {
    const events = [executed, interrupted, resumed];
    expect(() => assertEventFits(d, events, voiding(resumed), today)).not.toThrow();
  });

  it('refuses voiding an interruption that a later execution resumes: void that one first', () => {
    const events = [executed, interrupted, resumed];
    expect(() => assertEventFits(d, events, voiding(interrupted), today)).toThrow(
      /Makulera först den senare händelsen ”Verkställt” den 1 maj 2026\./,
    );
    expect(() => assertEventFits(d, events, voiding(executed), today)).toThrow(
      /kan inte makuleras: Ett avbrott kan bara registreras när insatsen är verkställd/,
    );
    // Once the later event is voided, the earlier one may be.
    const m = voiding(resumed);
    expect(() => assertEventFits(d, [...events, m], voiding(interrupted), today)).not.toThrow();
  });

  it('refuses voiding an interruption whose wait has offers logged in it', () => {
    const offer = ev({ type: 'erbjudande', date: '2026-04-10', text: 'Ny kontaktperson' });
    expect(() =>
      assertEventFits(d, [executed, interrupted, offer], voiding(interrupted), today),
    ).toThrow(/väntade den enskilde inte/);
  });

  it('refuses an unknown event, a voiding, an event voided already, a future date', () => {
    const other = ev({ type: 'anteckning', date: '2026-02-01', text: 'x', decisionId: 'b2' });
    expect(() => assertEventFits(d, [executed], voiding(other), today)).toThrow(
      'Händelsen som ska makuleras finns inte på det här beslutet',
    );
    const m = voiding(executed);
    expect(() => assertEventFits(d, [executed, m], voiding(m), today)).toThrow(
      'En makulering kan inte makuleras',
    );
    expect(() => assertEventFits(d, [executed, m], voiding(executed), today)).toThrow(
      'Händelsen är redan makulerad',
    );
    const future = { ...voiding(executed), date: '2026-09-02' } as CaseEvent;
    expect(() => assertEventFits(d, [executed], future, today)).toThrow(/ligger i framtiden/);
  });
});

describe('mayVoid', () => {
  it('whoever logged the event, or the decision’s handläggare', () => {
    const decisionReach = { handlaggareId: 'h1' };
    expect(mayVoid({ id: 'u1' }, decisionReach, { recordedBy: 'u1' })).toBe(true);
    expect(mayVoid({ id: 'h1' }, decisionReach, { recordedBy: 'u1' })).toBe(true);
    expect(mayVoid({ id: 'u2' }, decisionReach, { recordedBy: 'u1' })).toBe(false);
  });
});

describe('voidedSinceFiling', () => {
  it('names the events a filed report used that were voided after it was filed', () => {
    const executed = ev({ type: 'verkstalld', date: '2026-05-01' });
    const m = voiding(executed);
    const filing = { episodeStart: '2026-01-15', referenceDate: '2026-06-30' };
    // Stored before the filing: the execution; after it: the voiding.
    const voided = voidedSinceFiling(filing, [executed, m], (e) => e.id === executed.id);
    expect(voided.map((e) => e.id)).toEqual([executed.id]);
    expect(voidedSinceFilingNote(voided)).toBe(
      'Den inlämnade rapporten bygger på en händelse som sedan makulerats: Verkställt 1 maj 2026.',
    );
    // Voided before the filing: the report never used it.
    expect(voidedSinceFiling(filing, [executed, m], () => true)).toEqual([]);
    // Dated after the quarter: not in the report.
    expect(
      voidedSinceFiling(
        { ...filing, referenceDate: '2026-03-31' },
        [executed, m],
        (e) => e.id === executed.id,
      ),
    ).toEqual([]);
    expect(voidedSinceFilingNote([])).toBeNull();
  });
});
