import { describe, expect, it } from 'vitest';
import {
  type Episode,
  type IndividrapportDraft,
  IndividrapportDraftSchema,
  validateIndividrapport,
} from './index';

const episode: Episode = { kind: 'beslut', start: '2026-02-03' };

/** A complete, valid nyrapportering of an LSS 9 § 10 decision still waiting at 2026-06-30. */
function draft(extra: Partial<IndividrapportDraft> = {}): IndividrapportDraft {
  return IndividrapportDraftSchema.parse({
    namnd: 'Vård- och omsorgsnämnden',
    verksamhetsomrade: 'LSS',
    rapportor: 'Rut Rapportör',
    rapporttyp: 'ny',
    fornamn: 'Anna',
    efternamn: 'Andersson',
    personnummer: '19800101-T123',
    insats: 'LSS_9_10',
    drojsmalAvser: 'beslut',
    drojsmalDatum: '2026-02-03',
    status: 'ej_verkstalld',
    skal: 'hos_kommunen',
    orsak: 'brist_plats',
    ...extra,
  });
}

const fieldsOf = (d: IndividrapportDraft, ctx = { episode, referenceDate: '2026-06-30' }) =>
  validateIndividrapport(d, ctx).map((f) => f.field);

describe('validateIndividrapport', () => {
  it('accepts a complete report', () => {
    expect(validateIndividrapport(draft(), { episode, referenceDate: '2026-06-30' })).toEqual([]);
  });

  it('names every missing mandatory field', () => {
    const findings = validateIndividrapport(IndividrapportDraftSchema.parse({}));
    expect(findings.map((f) => f.field)).toEqual([
      'namnd',
      'verksamhetsomrade',
      'rapportor',
      'rapporttyp',
      'fornamn',
      'efternamn',
      'personnummer',
      'insats',
      'drojsmalAvser',
      'drojsmalDatum',
      'status',
      'skal',
      'orsak',
    ]);
    expect(findings.every((f) => f.message.length > 0)).toBe(true);
  });

  it('needs free text for "Annat"', () => {
    expect(fieldsOf(draft({ skal: 'hos_den_enskilde', orsak: 'annat' }))).toEqual(['orsakText']);
    expect(
      fieldsOf(
        draft({ skal: 'hos_den_enskilde', orsak: 'annat', orsakText: 'Vill vänta till hösten' }),
      ),
    ).toEqual([]);
  });

  it('takes one skäl and an orsak from its list', () => {
    expect(fieldsOf(draft({ skal: 'hos_kommunen', orsak: 'vill_avvakta' }))).toEqual(['orsak']);
  });

  it('needs an offer date inside the episode when the person said no', () => {
    const refused = { skal: 'tackat_nej', orsak: 'geografiskt_lage' } as const;
    expect(fieldsOf(draft(refused))).toEqual(['erbjudandedatum']);
    expect(fieldsOf(draft({ ...refused, erbjudandedatum: '2026-01-20' }))).toEqual([
      'erbjudandedatum',
    ]);
    expect(fieldsOf(draft({ ...refused, erbjudandedatum: '2026-07-02' }))).toEqual([
      'erbjudandedatum',
    ]);
    expect(fieldsOf(draft({ ...refused, erbjudandedatum: '2026-03-10' }))).toEqual([]);
  });

  it('needs the compensatory insats text to start with the date it began', () => {
    const comp = { kompenserandeInsats: true };
    expect(fieldsOf(draft(comp))).toEqual(['kompenserandeText']);
    expect(fieldsOf(draft({ ...comp, kompenserandeText: 'Utökad hemtjänst 4 h/v' }))).toEqual([
      'kompenserandeText',
    ]);
    expect(fieldsOf(draft({ ...comp, kompenserandeText: '2026-01-01 Utökad hemtjänst' }))).toEqual([
      'kompenserandeText',
    ]);
    expect(
      fieldsOf(draft({ ...comp, kompenserandeText: '2026-03-01 Utökad hemtjänst 4 h/v' })),
    ).toEqual([]);
  });

  it('needs a date and a description of partial execution', () => {
    expect(fieldsOf(draft({ delvisVerkstalld: true }))).toEqual(['delvisDatum', 'delvisText']);
    expect(
      fieldsOf(
        draft({ delvisVerkstalld: true, delvisDatum: '2026-04-01', delvisText: '2 av 5 timmar' }),
      ),
    ).toEqual([]);
  });

  it('needs execution and closing dates inside the episode, and the reason for closing', () => {
    const ended: Episode = { ...episode, end: { type: 'verkstalld', date: '2026-06-01' } };
    const ctx = { episode: ended, referenceDate: '2026-06-30' };
    expect(fieldsOf(draft({ status: 'verkstalld' }), ctx)).toEqual(['statusDatum', 'status']);
    expect(fieldsOf(draft({ status: 'verkstalld', statusDatum: '2026-06-01' }), ctx)).toEqual([]);
    expect(fieldsOf(draft({ status: 'verkstalld', statusDatum: '2026-01-15' }), ctx)).toEqual([
      'statusDatum',
      'status',
    ]);
    expect(fieldsOf(draft({ status: 'avslutad', statusDatum: '2026-05-01' }))).toEqual([
      'avslutAnledning',
    ]);
  });

  it('checks the dröjsmål date and kind against the episode', () => {
    expect(fieldsOf(draft({ drojsmalDatum: '2026-02-04' }))).toEqual(['drojsmalDatum']);
    expect(fieldsOf(draft({ drojsmalAvser: 'avbrott' }))).toEqual(['drojsmalAvser']);
  });

  it('asks for inriktning under SoL FUNK and SoL IFO, with text for Övrigt', () => {
    const funk = { verksamhetsomrade: 'SOL_FUNK', insats: 'SOL_BOENDESTOD' } as const;
    expect(fieldsOf(draft(funk))).toEqual(['inriktning']);
    expect(fieldsOf(draft({ ...funk, inriktning: 'OVRIGT' }))).toEqual(['inriktningText']);
    expect(fieldsOf(draft({ ...funk, inriktning: 'FUNK_PSYKISK' }))).toEqual([]);
    expect(fieldsOf(draft({ verksamhetsomrade: 'SOL_ALDRE', insats: 'LSS_9_10' }))).toEqual([
      'insats',
    ]);
  });

  it('accepts a fictive number only for protected identity or no personnummer', () => {
    expect(fieldsOf(draft({ personnummer: 'X123' }))).toEqual(['personnummer']);
    expect(fieldsOf(draft({ personnummer: 'X123', skyddadePersonuppgifter: true }))).toEqual([]);
    expect(fieldsOf(draft({ personnummer: '19121212-1212' }))).toEqual([]);
  });

  it('locks fields filed before on an återrapportering, and the Covid-19 box once set', () => {
    const previous = draft({ covid19: true });
    const ctx = { episode, referenceDate: '2026-09-30', previous };
    const ater = draft({ rapporttyp: 'ater', covid19: true });
    expect(validateIndividrapport(ater, ctx)).toEqual([]);
    expect(
      validateIndividrapport(
        draft({ rapporttyp: 'ater', covid19: true, efternamn: 'Berg', insats: 'LSS_9_4' }),
        ctx,
      ).map((f) => f.field),
    ).toEqual(['efternamn', 'insats']);
    expect(validateIndividrapport(draft({ rapporttyp: 'ater', covid19: false }), ctx)).toEqual([
      {
        field: 'covid19',
        message: 'Covid-19-markeringen har rapporterats tidigare och kan inte tas bort',
      },
    ]);
    // The reason may change from one report to the next.
    expect(
      validateIndividrapport(
        draft({
          rapporttyp: 'ater',
          covid19: true,
          skal: 'utanfor_kommunen',
          orsak: 'extern_plats',
        }),
        ctx,
      ),
    ).toEqual([]);
  });
});
