import { describe, expect, it } from 'vitest';
import {
  type Episode,
  INDIVIDRAPPORT_DATE_FIELDS,
  INDIVIDRAPPORT_MAX_LENGTH,
  type IndividrapportDraft,
  IndividrapportDraftSchema,
  IndividrapportEditsSchema,
  StoredIndividrapportDraftSchema,
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

describe('the limits of a draft’s fields', () => {
  const issuesOf = (input: Record<string, unknown>) => {
    const result = IndividrapportEditsSchema.safeParse(input);
    return result.success
      ? []
      : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('gives every text field a maximum, with a Swedish message, and accepts a text at it', () => {
    const limits = Object.entries(INDIVIDRAPPORT_MAX_LENGTH);
    // Every field that holds a string is limited: a text or a date.
    const stringFields = Object.entries(IndividrapportDraftSchema.shape)
      .filter(([, schema]) => schema.safeParse('').success && !schema.safeParse(true).success)
      .map(([field]) => field);
    expect([...limits.map(([f]) => f), ...INDIVIDRAPPORT_DATE_FIELDS].sort()).toEqual(
      stringFields.sort(),
    );
    for (const [field, max] of limits) {
      expect(issuesOf({ [field]: 'a'.repeat(max) }), field).toEqual([]);
      const [issue] = issuesOf({ [field]: 'a'.repeat(max + 1) });
      expect(issue, field).toMatch(new RegExp(`^${field}: .+ får vara högst [0-9 ]+ tecken$`));
      // The draft's schema itself refuses it, as the edits' does.
      expect(IndividrapportDraftSchema.safeParse({ [field]: 'a'.repeat(max + 1) }).success).toBe(
        false,
      );
    }
    expect(issuesOf({ ovrigt: 'x'.repeat(4001) })).toEqual([
      'ovrigt: Texten får vara högst 4 000 tecken',
    ]);
    expect(issuesOf({ fornamn: 'x'.repeat(201) })).toEqual([
      'fornamn: Namnet får vara högst 200 tecken',
    ]);
    // A megabyte is refused as quickly as one character too many.
    expect(issuesOf({ orsakText: 'x'.repeat(1_000_000) })).toEqual([
      'orsakText: Texten får vara högst 4 000 tecken',
    ]);
  });

  it('takes a date field only as a real day written YYYY-MM-DD, or empty', () => {
    for (const field of INDIVIDRAPPORT_DATE_FIELDS) {
      expect(issuesOf({ [field]: '2026-02-28' }), field).toEqual([]);
      expect(issuesOf({ [field]: '' }), field).toEqual([]);
      for (const bad of [
        '2026-02-30',
        '2026-2-3',
        '=HYPERLINK("http://example.test")',
        '+46 8 123',
        '-2026-01-01',
        '@SUM(A1)',
        '2026-02-28T00:00',
        'x'.repeat(100_000),
      ]) {
        expect(issuesOf({ [field]: bad }), `${field} ${bad.slice(0, 20)}`).toEqual([
          `${field}: Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD`,
        ]);
      }
      expect(issuesOf({ [field]: 20260228 })).toEqual([
        `${field}: Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD`,
      ]);
    }
  });

  it('reads an old draft that breaks the limits as it is, and finds every broken field that applies', () => {
    const long = 'ord'.repeat(2000);
    const old = StoredIndividrapportDraftSchema.parse({
      ...draft(),
      skal: 'tackat_nej',
      orsak: 'geografiskt_lage',
      erbjudandedatum: '=1+1',
      ovrigt: long,
      fornamn: 'A'.repeat(300),
      delvisVerkstalld: true,
      delvisDatum: '2026-04-31',
      delvisText: '2 av 5 timmar',
      // Not in the report (the status is ej verkställt): not reported, not filed.
      statusDatum: 'igår',
    });
    expect(old.ovrigt).toBe(long);
    expect(old.erbjudandedatum).toBe('=1+1');
    expect(IndividrapportDraftSchema.safeParse(old).success).toBe(false);
    const findings = validateIndividrapport(old, { episode, referenceDate: '2026-06-30' });
    expect(findings).toEqual([
      { field: 'fornamn', message: 'Namnet får vara högst 200 tecken; nu 300' },
      { field: 'ovrigt', message: 'Texten får vara högst 4 000 tecken; nu 6 000' },
      { field: 'erbjudandedatum', message: 'Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD' },
      { field: 'delvisDatum', message: 'Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD' },
    ]);
  });

  it('refuses a date that is no date even where the orsak does not ask for one', () => {
    // An offer date with an orsak that needs none is still printed in the report.
    const old = StoredIndividrapportDraftSchema.parse({ ...draft(), erbjudandedatum: '@SUM(1)' });
    expect(fieldsOf(old)).toEqual(['erbjudandedatum']);
  });
});
