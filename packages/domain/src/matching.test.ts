import { describe, expect, it } from 'vitest';
import { lagrumText, latestOffer } from './index';
import { ev } from './testing/fixtures';

describe('lagrumText', () => {
  it('tells Boendeteamet’s external 9 § 8 from 9 § 8 in the kommun’s own regi and 9 § 9', () => {
    expect(lagrumText('LSS_9_8', { extern: true })).toBe('LSS 9 § 8, externt');
    expect(lagrumText('LSS_9_8')).toBe('LSS 9 § 8, egen regi');
    expect(lagrumText('LSS_9_9_GRUPPBOSTAD', { extern: true })).toBe('LSS 9 § 9');
    expect(lagrumText('LSS_9_10')).toBe('LSS 9 § 10');
  });

  it('cites the SoL paragraph that applied on the decision date', () => {
    expect(lagrumText('SOL_SARSKILT_BOENDE', { beslutsdatum: '2026-01-15' })).toBe(
      'SoL 11 kap. 1 §',
    );
    expect(lagrumText('SOL_SARSKILT_BOENDE', { beslutsdatum: '2025-03-01' })).toBe(
      'SoL 4 kap. 1 §',
    );
  });
});

describe('latestOffer', () => {
  const offer = (date: string, text: string) => ev({ type: 'erbjudande', date, text });
  const refusal = (date: string, erbjudandedatum: string) =>
    ev({ type: 'tackat_nej', date, erbjudandedatum, orsak: 'geografiskt_lage' });

  it('is null when nothing was offered', () => {
    expect(latestOffer([ev({ type: 'anteckning', date: '2026-03-01', text: 'Söker' })])).toBeNull();
  });

  it('is the newest offer, unanswered until a refusal or the execution', () => {
    const events = [
      offer('2026-03-01', 'Gruppbostad Eken'),
      offer('2026-04-10', 'Servicebostad Ask'),
    ];
    expect(latestOffer(events)).toEqual({
      date: '2026-04-10',
      text: 'Servicebostad Ask',
      answer: 'inget_svar',
    });
  });

  it('is refused when a tackat nej names its date, even when an older offer was refused later', () => {
    const events = [
      offer('2026-03-01', 'Gruppbostad Eken'),
      offer('2026-04-10', 'Servicebostad Ask'),
      refusal('2026-04-20', '2026-04-10'),
      refusal('2026-04-25', '2026-03-01'),
    ];
    expect(latestOffer(events)).toMatchObject({
      date: '2026-04-10',
      text: 'Servicebostad Ask',
      answer: 'tackat_nej',
      answeredOn: '2026-04-20',
    });
  });

  it('takes an offer known only from its refusal', () => {
    const events = [offer('2026-03-01', 'Gruppbostad Eken'), refusal('2026-05-02', '2026-04-28')];
    expect(latestOffer(events)).toMatchObject({
      date: '2026-04-28',
      text: null,
      answer: 'tackat_nej',
    });
  });

  it('is accepted when the decision was carried out on or after the offer', () => {
    const events = [
      offer('2026-04-10', 'Servicebostad Ask'),
      ev({ type: 'verkstalld', date: '2026-05-15' }),
    ];
    expect(latestOffer(events)).toMatchObject({ answer: 'accepterat', answeredOn: '2026-05-15' });
  });

  it('treats a voided offer or refusal as never logged', () => {
    const wrong = refusal('2026-04-20', '2026-04-10');
    const events = [
      offer('2026-04-10', 'Servicebostad Ask'),
      wrong,
      ev({ type: 'makulering', date: '2026-04-21', makulerarId: wrong.id, text: 'Fel beslut' }),
    ];
    expect(latestOffer(events)).toMatchObject({ date: '2026-04-10', answer: 'inget_svar' });
    const mistaken = offer('2026-05-01', 'Fel person');
    expect(
      latestOffer([
        ...events,
        mistaken,
        ev({ type: 'makulering', date: '2026-05-02', makulerarId: mistaken.id, text: 'Fel' }),
      ]),
    ).toMatchObject({ date: '2026-04-10', text: 'Servicebostad Ask' });
  });
});
