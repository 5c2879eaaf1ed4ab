import { describe, expect, it } from 'vitest';
import { assertEventFits, DomainError } from './index';
import { decision, ev } from './testing/fixtures';

const d = decision('2026-02-03');
const today = '2026-06-15';

describe('assertEventFits', () => {
  it('lets an utförare log what happens while the person waits', () => {
    expect(() =>
      assertEventFits(
        d,
        [],
        ev({ type: 'erbjudande', date: '2026-03-01', text: 'Plats på Eken' }),
        today,
      ),
    ).not.toThrow();
  });

  it('refuses a date in the future or before the decision', () => {
    expect(() =>
      assertEventFits(d, [], ev({ type: 'verkstalld', date: '2026-06-16' }), today),
    ).toThrow(/ligger i framtiden/);
    expect(() =>
      assertEventFits(d, [], ev({ type: 'verkstalld', date: '2026-02-02' }), today),
    ).toThrow(/före beslutsdatum/);
  });

  it('refuses a second execution, and wait-only events while nothing is waiting', () => {
    const executed = [ev({ type: 'verkstalld', date: '2026-03-01' })];
    expect(() =>
      assertEventFits(d, executed, ev({ type: 'verkstalld', date: '2026-04-01' }), today),
    ).toThrow(DomainError);
    expect(() =>
      assertEventFits(
        d,
        executed,
        ev({ type: 'erbjudande', date: '2026-04-01', text: 'Ny plats' }),
        today,
      ),
    ).toThrow(/väntade den enskilde inte/);
    expect(() =>
      assertEventFits(
        d,
        executed,
        ev({ type: 'anteckning', date: '2026-04-01', text: 'Fungerar bra' }),
        today,
      ),
    ).not.toThrow();
  });

  it('refuses a refusal of an offer made before the wait began', () => {
    const events = [
      ev({ type: 'verkstalld', date: '2026-03-01' }),
      ev({ type: 'avbrott', date: '2026-04-01' }),
    ];
    const refusal = ev({
      type: 'tackat_nej',
      date: '2026-05-01',
      erbjudandedatum: '2026-03-15',
      orsak: 'vill_avvakta',
    });
    expect(() => assertEventFits(d, events, refusal, today)).toThrow(
      /före väntetidens början 1 april 2026/,
    );
  });

  it('allows only notes after the decision was closed', () => {
    const closed = [ev({ type: 'avslutad', date: '2026-04-01', anledning: 'ansokan_aterkallad' })];
    expect(() =>
      assertEventFits(
        d,
        closed,
        ev({ type: 'erbjudande', date: '2026-04-02', text: 'Plats' }),
        today,
      ),
    ).toThrow(/bara anteckningar/);
    expect(() =>
      assertEventFits(
        d,
        closed,
        ev({ type: 'anteckning', date: '2026-04-02', text: 'Arkiverat' }),
        today,
      ),
    ).not.toThrow();
  });

  it('refuses an event for another decision', () => {
    expect(() =>
      assertEventFits(
        d,
        [],
        { ...ev({ type: 'verkstalld', date: '2026-03-01' }), decisionId: 'b2' },
        today,
      ),
    ).toThrow(/annat beslut/);
  });
  it('refuses a skäl "tackat nej" whose offer was made before the wait began', () => {
    const interrupted = [
      ev({ type: 'verkstalld', date: '2026-03-01' }),
      ev({ type: 'avbrott', date: '2026-05-01' }),
    ];
    const skal = (erbjudandedatum: string) =>
      ev({
        type: 'skal',
        date: '2026-05-20',
        skal: 'tackat_nej',
        orsak: 'vill_avvakta',
        erbjudandedatum,
      });
    expect(() => assertEventFits(d, interrupted, skal('2026-04-20'), today)).toThrow(
      'Erbjudandet (20 april 2026) gjordes före väntetidens början 1 maj 2026',
    );
    expect(() => assertEventFits(d, interrupted, skal('2026-05-02'), today)).not.toThrow();
  });

  it('records korttidsvistelse offered on a call only for a stödfamilj (LSS 9 § 6)', () => {
    const call = ev({
      type: 'uppfoljning',
      date: '2026-04-05',
      kontakt: 'Vårdnadshavare',
      text: 'Ingen stödfamilj ännu',
      korttidsenhetErbjuden: true,
    });
    const stodfamilj = { ...d, insats: 'LSS_9_6_STODFAMILJ' };
    expect(() => assertEventFits(stodfamilj, [], call, today)).not.toThrow();
    expect(() => assertEventFits(d, [], call, today)).toThrow(
      /bara för korttidsvistelse i form av stödfamilj/,
    );
  });
});
