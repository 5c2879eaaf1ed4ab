import { describe, expect, it } from 'vitest';
import { CaseEventSchema, DecisionSchema, IsoDateSchema } from './index';

const base = { id: 'e1', decisionId: 'b1', date: '2026-03-05' };

function messages(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  return (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('DecisionSchema', () => {
  it('accepts a decision as the API describes it', () => {
    const decision = {
      id: 'b1',
      lagrum: 'LSS',
      insats: 'LSS_9_6_STODFAMILJ',
      beslutsdatum: '2026-02-03',
      forhandsbesked: true,
      ersatterBeslutId: null,
    };
    expect(DecisionSchema.parse(decision)).toEqual(decision);
  });

  it('refuses with Swedish messages that name the field', () => {
    const result = DecisionSchema.safeParse({
      id: 'b1',
      lagrum: 'SoL',
      insats: 'LSS_9_10',
      beslutsdatum: '2026-02-30',
    });
    expect(messages(result)).toEqual([
      'beslutsdatum: Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD',
      'insats: Insatsen Daglig verksamhet beviljas enligt LSS, inte SoL',
    ]);
    const wrongLaw = DecisionSchema.safeParse({
      id: 'b1',
      lagrum: 'SoL',
      insats: 'LSS_9_10',
      beslutsdatum: '2026-02-03',
    });
    expect(messages(wrongLaw)).toEqual([
      'insats: Insatsen Daglig verksamhet beviljas enligt LSS, inte SoL',
    ]);
    expect(
      messages(
        DecisionSchema.safeParse({
          id: 'b1',
          lagrum: 'LSS',
          insats: 'X',
          beslutsdatum: '2026-02-03',
        }),
      ),
    ).toEqual(['insats: Okänd insats']);
  });
});

describe('CaseEventSchema', () => {
  it('accepts every event type of the API', () => {
    const events = [
      { type: 'verkstalld' },
      { type: 'avbrott', text: 'Kontaktpersonen slutade' },
      { type: 'avslutad', anledning: 'avliden' },
      { type: 'erbjudande', text: 'Plats i gruppbostad' },
      { type: 'tackat_nej', erbjudandedatum: '2026-03-01', orsak: 'geografiskt_lage' },
      { type: 'delvis_verkstalld', text: '2 av 5 timmar' },
      { type: 'kompenserande_insats', text: '2026-03-01 Utökad hemtjänst 4 timmar i veckan' },
      { type: 'skal', skal: 'hos_kommunen', orsak: 'personal' },
      {
        type: 'uppfoljning',
        kontakt: 'Mamma (vårdnadshavare)',
        text: 'Vill fortfarande ha insatsen',
      },
      { type: 'sammanfattning', text: 'Tre gruppbostäder kontaktade' },
      { type: 'anteckning', text: 'Ringt utföraren' },
    ];
    for (const event of events) {
      expect(CaseEventSchema.safeParse({ ...base, ...event }).success, event.type).toBe(true);
    }
  });

  it('needs free text where the reason is "Annat"', () => {
    expect(
      messages(
        CaseEventSchema.safeParse({
          ...base,
          type: 'skal',
          skal: 'utanfor_kommunen',
          orsak: 'annat',
        }),
      ),
    ).toEqual(['text: Beskriv orsaken ("Annat" kräver en förklaring)']);
    expect(
      CaseEventSchema.safeParse({
        ...base,
        type: 'skal',
        skal: 'utanfor_kommunen',
        orsak: 'annat',
        text: 'Väntar på tingsrätten',
      }).success,
    ).toBe(true);
    expect(
      messages(CaseEventSchema.safeParse({ ...base, type: 'avslutad', anledning: 'annat' })),
    ).toEqual(['text: Beskriv anledningen till att beslutet avslutas']);
  });

  it('keeps one skäl and an orsak from that skäl’s own list', () => {
    expect(
      messages(
        CaseEventSchema.safeParse({
          ...base,
          type: 'skal',
          skal: 'hos_kommunen',
          orsak: 'geografiskt_lage',
        }),
      ),
    ).toEqual(['orsak: Orsaken hör inte till det valda huvudsakliga skälet']);
  });

  it('refuses a refusal of an offer made after it', () => {
    expect(
      messages(
        CaseEventSchema.safeParse({
          ...base,
          type: 'tackat_nej',
          erbjudandedatum: '2026-03-06',
          orsak: 'vill_avvakta',
        }),
      ),
    ).toEqual([
      'erbjudandedatum: Erbjudandet kan inte vara daterat efter att den enskilde tackade nej',
    ]);
  });

  it('needs the offer’s date wherever a refusal is recorded, also as a skäl', () => {
    const skal = { ...base, type: 'skal', skal: 'tackat_nej', orsak: 'vill_avvakta' };
    expect(messages(CaseEventSchema.safeParse(skal))).toEqual([
      'erbjudandedatum: Ange datum för erbjudandet som den enskilde tackade nej till',
    ]);
    expect(messages(CaseEventSchema.safeParse({ ...skal, erbjudandedatum: '2026-03-06' }))).toEqual(
      ['erbjudandedatum: Erbjudandet kan inte vara daterat efter att den enskilde tackade nej'],
    );
    expect(CaseEventSchema.safeParse({ ...skal, erbjudandedatum: '2026-03-01' }).success).toBe(
      true,
    );
    const { erbjudandedatum: _, ...refusal } = {
      ...base,
      type: 'tackat_nej',
      erbjudandedatum: '2026-03-01',
      orsak: 'vill_avvakta',
    };
    expect(messages(CaseEventSchema.safeParse(refusal))).toEqual([
      'erbjudandedatum: Ange ett datum (ÅÅÅÅ-MM-DD)',
    ]);
    // Another skäl has no offer to date.
    expect(
      messages(
        CaseEventSchema.safeParse({
          ...base,
          type: 'skal',
          skal: 'hos_kommunen',
          orsak: 'personal',
          erbjudandedatum: '2026-03-01',
        }),
      ),
    ).toEqual([
      'erbjudandedatum: Datum för erbjudandet hör bara till skälet "Den enskilde har tackat nej"',
    ]);
  });

  it('records on a follow-up call whether korttidsvistelse was offered, as a yes or no', () => {
    const call = { ...base, type: 'uppfoljning', kontakt: 'Vårdnadshavare', text: 'Söker' };
    expect(CaseEventSchema.parse({ ...call, korttidsenhetErbjuden: true })).toMatchObject({
      korttidsenhetErbjuden: true,
    });
    expect(CaseEventSchema.safeParse({ ...call, korttidsenhetErbjuden: 'ja' }).success).toBe(false);
  });

  it('says in Swedish what is missing', () => {
    expect(
      messages(CaseEventSchema.safeParse({ ...base, type: 'erbjudande', text: '  ' })),
    ).toEqual(['text: Skriv vad som erbjöds']);
    expect(messages(CaseEventSchema.safeParse({ ...base, type: 'flytt' }))).toEqual([
      'type: Okänd händelsetyp',
    ]);
    expect(
      messages(CaseEventSchema.safeParse({ ...base, date: '5/3/2026', type: 'verkstalld' })),
    ).toEqual(['date: Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD']);
  });

  it('refuses control characters in a text, which the database cannot store', () => {
    expect(
      messages(CaseEventSchema.safeParse({ ...base, type: 'anteckning', text: 'a\u0000b' })),
    ).toEqual(['text: Texten innehåller ett otillåtet tecken']);
    expect(
      CaseEventSchema.safeParse({ ...base, type: 'anteckning', text: 'rad 1\nrad 2\tmed tab' })
        .success,
    ).toBe(true);
  });
});

describe('IsoDateSchema', () => {
  it('takes a real date in the years a case can have', () => {
    for (const date of ['1900-01-01', '2026-12-02', '2024-02-29', '2199-12-31']) {
      expect(IsoDateSchema.safeParse(date).success, date).toBe(true);
    }
  });

  it('refuses year 0000, far years and long texts with a Swedish message', () => {
    // Year 0000 was a 500: PostgreSQL has no such date.
    for (const date of ['0000-01-01', '0001-01-01', '1899-12-31', '2200-01-01', '9999-12-31']) {
      const result = IsoDateSchema.safeParse(date);
      expect(result.success, date).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('Ange ett datum mellan år 1900 och 2199');
    }
    for (const date of ['2026-02-30', '2026-1-01', `2026-01-01${'x'.repeat(100_000)}`]) {
      const result = IsoDateSchema.safeParse(date);
      expect(result.success, date.slice(0, 20)).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD');
    }
  });
});
