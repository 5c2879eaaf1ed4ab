import { describe, expect, it } from 'vitest';
import {
  checkImportFile,
  findImportInsats,
  IMPORT_COLUMNS,
  type ImportField,
  importExampleCsv,
  importPersonKey,
  importTimeline,
  importTimelineEvents,
  matchImportHeader,
  parseImportRow,
} from './case-system-import';
import { quarterReport } from './quarter-report';
import { episodes } from './timeline';

const TODAY = '2026-11-22';

const good: Partial<Record<ImportField, string>> = {
  beslutsid: 'B-1',
  personnummer: '19121212-1212',
  fornamn: 'Tolvan',
  efternamn: 'Tolvansson',
  lagrum: 'LSS',
  insats: 'Daglig verksamhet',
  beslutsdatum: '2026-08-10',
  handlaggare: 'Handlaggare1',
};

function parse(overrides: Partial<Record<ImportField, string>> = {}) {
  const cells = { ...good, ...overrides };
  return parseImportRow((field) => cells[field] ?? '', TODAY);
}

function issues(overrides: Partial<Record<ImportField, string>>) {
  const result = parse(overrides);
  if (result.ok) throw new Error('expected the row to be refused');
  return result.issues;
}

describe('matchImportHeader', () => {
  it('finds the columns whatever their case, accents and punctuation, and by alias', () => {
    const header = matchImportHeader([
      'Beslut-ID',
      'PERSONNUMMER',
      'Fornamn',
      'Efternamn',
      'Lagrum',
      'Insats',
      'Beslutsdatum',
      'Handläggare',
      'Beställd_till',
      'Diarienummer',
    ]);
    expect(header.issues).toEqual([]);
    expect(header.positions).toMatchObject({
      beslutsid: 0,
      personnummer: 1,
      fornamn: 2,
      handlaggare: 7,
      bestalldTill: 8,
    });
    expect(header.names.fornamn).toBe('Fornamn');
    expect(header.ignored).toEqual(['Diarienummer']);
  });

  it('names every required column that is missing, and a column given twice', () => {
    const header = matchImportHeader(['beslutsid', 'förnamn', 'Förnamn', 'efternamn', 'insats']);
    expect(header.issues).toEqual([
      { field: 'fornamn', message: 'Kolumnen "förnamn" finns två gånger (förnamn och Förnamn)' },
      { field: 'personnummer', message: 'Kolumnen "personnummer" saknas' },
      { field: 'lagrum', message: 'Kolumnen "lagrum" saknas' },
      { field: 'beslutsdatum', message: 'Kolumnen "beslutsdatum" saknas' },
      { field: 'handlaggare', message: 'Kolumnen "handläggare" saknas' },
    ]);
  });
});

describe('parseImportRow', () => {
  it('reads a good row: codes for labels, the area from the insats, the username in lower case', () => {
    expect(parse()).toEqual({
      ok: true,
      row: {
        beslutsid: 'B-1',
        person: {
          typ: 'personnummer',
          personnummer: '191212121212',
          fornamn: 'Tolvan',
          efternamn: 'Tolvansson',
          skyddadIdentitet: false,
        },
        namnd: null,
        lagrum: 'LSS',
        insats: 'LSS_9_10',
        verksamhetsomrade: 'LSS',
        inriktning: null,
        inriktningText: null,
        beslutsdatum: '2026-08-10',
        forhandsbesked: false,
        ersatter: null,
        handlaggare: 'handlaggare1',
        bestalldTill: null,
        verkstalld: null,
        avbrott: null,
        aterupptagen: null,
        avslutad: null,
        avslutsanledning: null,
        avslutText: null,
      },
    });
  });

  it('reads a samordningsnummer in the personnummer column as one', () => {
    const result = parse({ personnummer: '198503742382' });
    expect(result.ok && result.row.person).toMatchObject({
      typ: 'samordningsnummer',
      personnummer: '198503742382',
    });
  });

  it('refuses a bad personnummer, and ten digits whose century cannot be known', () => {
    expect(issues({ personnummer: '19121212-1213' })).toEqual([
      {
        field: 'personnummer',
        message:
          'Ogiltigt personnummer: skriv ÅÅÅÅMMDD-NNNN med rätt födelsedatum och kontrollsiffra',
      },
    ]);
    expect(issues({ personnummer: '121212-1212' })).toEqual([
      { field: 'personnummer', message: 'Skriv numret med 12 siffror: ÅÅÅÅMMDD-NNNN' },
    ]);
  });

  it('needs birth date and kön when there is no number, and checks them against a number', () => {
    expect(issues({ personnummer: '' })).toEqual([
      { field: 'fodelsedatum', message: 'Ange födelsedatum (personen saknar personnummer)' },
      { field: 'kon', message: 'Ange kön: kvinna eller man (personen saknar personnummer)' },
    ]);
    const without = parse({ personnummer: '', fodelsedatum: '1975-05-20', kon: 'K' });
    expect(without.ok && without.row.person).toMatchObject({
      typ: 'saknas',
      fodelsedatum: '1975-05-20',
      kon: 'kvinna',
    });
    expect(issues({ kon: 'kvinna', fodelsedatum: '1912-12-13' })).toEqual([
      { field: 'kon', message: 'Kön kvinna stämmer inte med personnumret' },
      { field: 'fodelsedatum', message: 'Födelsedatum 1912-12-13 stämmer inte med personnumret' },
    ]);
    expect(issues({ kon: 'okänt' })).toEqual([
      { field: 'kon', message: 'Okänt kön "okänt": skriv kvinna eller man' },
    ]);
  });

  it('accepts an insats by code, IVO label or a short label that names one insats only', () => {
    expect(findImportInsats('lss_9_9_gruppbostad')).toBe('LSS_9_9_GRUPPBOSTAD');
    expect(findImportInsats('Korttidsvistelse - korttidshem')).toBe('LSS_9_6_KORTTIDSHEM');
    expect(findImportInsats('  hem för vård   eller boende (HVB) ')).toBe('SOL_HVB');
    expect(findImportInsats('HVB')).toBe('SOL_HVB');
    expect(findImportInsats('9§10')).toBe('LSS_9_10');
    // 9 § 6 has several forms: the short label names none of them.
    expect(findImportInsats('9§6')).toBeUndefined();
    expect(findImportInsats('Simskola')).toBeUndefined();
  });

  it('refuses an unknown insats, and one not granted under the lagrum given', () => {
    expect(issues({ insats: 'Simskola' })).toEqual([
      {
        field: 'insats',
        message:
          'Okänd insats "Simskola": skriv koden (t.ex. LSS_9_10) eller IVO:s benämning (t.ex. Daglig verksamhet)',
      },
    ]);
    expect(issues({ lagrum: 'SoL' })).toEqual([
      { field: 'insats', message: 'Insatsen Daglig verksamhet beviljas enligt LSS, inte SoL' },
    ]);
    expect(issues({ lagrum: 'LVU' })).toEqual([
      { field: 'lagrum', message: 'Okänt lagrum "LVU": skriv SoL eller LSS' },
    ]);
  });

  it('refuses a date that is not YYYY-MM-DD or does not exist, and one after today', () => {
    expect(issues({ beslutsdatum: '10/8/2026' })).toEqual([
      { field: 'beslutsdatum', message: 'Ogiltigt datum "10/8/2026": skriv ÅÅÅÅ-MM-DD' },
    ]);
    expect(issues({ beslutsdatum: '2026-02-30' })).toEqual([
      { field: 'beslutsdatum', message: 'Ogiltigt datum "2026-02-30": skriv ÅÅÅÅ-MM-DD' },
    ]);
    expect(parse({ beslutsdatum: TODAY }).ok).toBe(true);
    expect(issues({ beslutsdatum: '2026-11-23' })).toEqual([
      { field: 'beslutsdatum', message: 'Beslutsdatum 2026-11-23 ligger i framtiden' },
    ]);
  });

  it('takes the area from an insats reported under one only, and asks when there are several', () => {
    expect(issues({ lagrum: 'SoL', insats: 'Hemtjänst' })).toEqual([
      {
        field: 'verksamhetsomrade',
        message: 'Ange verksamhetsområde: Hemtjänst rapporteras under SoL Äldre eller SoL FUNK',
      },
    ]);
    const area = parse({ lagrum: 'SoL', insats: 'Hemtjänst', verksamhetsomrade: 'sol äldre' });
    expect(area.ok && area.row.verksamhetsomrade).toBe('SOL_ALDRE');
    expect(issues({ verksamhetsomrade: 'Skola' })[0]).toMatchObject({ field: 'verksamhetsomrade' });
  });

  it('reads an inriktning by label or code within its area, and refuses an unknown one', () => {
    const row = parse({
      lagrum: 'SoL',
      insats: 'Boendestöd',
      verksamhetsomrade: 'SoL FUNK',
      inriktning: 'psykisk funktionsnedsättning',
    });
    expect(row.ok && row.row.inriktning).toBe('FUNK_PSYKISK');
    expect(
      issues({
        lagrum: 'SoL',
        insats: 'Boendestöd',
        verksamhetsomrade: 'SoL IFO',
        inriktning: 'Psykisk funktionsnedsättning',
      })[0],
    ).toMatchObject({ field: 'inriktning', message: expect.stringMatching(/^Okänd inriktning/) });
  });

  it('reads ja/nej in several spellings and refuses anything else', () => {
    const yes = parse({ forhandsbesked: 'JA', skyddadIdentitet: 'x' });
    expect(yes.ok && [yes.row.forhandsbesked, yes.row.person.skyddadIdentitet]).toEqual([
      true,
      true,
    ]);
    expect(issues({ forhandsbesked: 'kanske' })).toEqual([
      { field: 'forhandsbesked', message: 'Skriv ja eller nej' },
    ]);
  });

  it('names every required value that is missing, each once', () => {
    const result = parseImportRow(() => '', TODAY);
    expect(result.ok ? [] : result.issues.map((i) => i.field)).toEqual([
      'beslutsid',
      'fornamn',
      'efternamn',
      'fodelsedatum',
      'kon',
      'lagrum',
      'insats',
      'beslutsdatum',
      'handlaggare',
    ]);
  });
});

describe("parseImportRow: the decision's state so far", () => {
  const row = (overrides: Partial<Record<ImportField, string>>) => {
    const result = parse(overrides);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return result.row;
  };

  it('finds the state columns by header and alias', () => {
    const header = matchImportHeader([
      'beslutsid',
      'Verkställighetsdatum',
      'Avbrottsdatum',
      'Verkställd igen',
      'Avslutsdatum',
      'Anledning till avslut',
      'Avslut beskrivning',
    ]);
    expect(header.positions).toMatchObject({
      verkstalld: 1,
      avbrott: 2,
      aterupptagen: 3,
      avslutad: 4,
      avslutsanledning: 5,
      avslutText: 6,
    });
    // None of them is required: a file without them imports decisions still waiting.
    expect(IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.field)).not.toContain(
      'verkstalld',
    );
  });

  it('becomes the events verkstalld, avbrott, verkstalld, avslutad, whose episodes are the real timeline', () => {
    const read = row({
      verkstalld: '2026-08-20',
      avbrott: '2026-09-01',
      aterupptagen: '2026-10-15',
      avslutad: '2026-11-01',
      avslutsanledning: 'Behovet har upphört',
    });
    expect(read).toMatchObject({
      verkstalld: '2026-08-20',
      avbrott: '2026-09-01',
      aterupptagen: '2026-10-15',
      avslutad: '2026-11-01',
      avslutsanledning: 'behov_upphort',
      avslutText: null,
    });
    const timeline = importTimeline(read);
    expect(timeline.map((e) => [e.field, e.type, e.date])).toEqual([
      ['verkstalld', 'verkstalld', '2026-08-20'],
      ['avbrott', 'avbrott', '2026-09-01'],
      ['aterupptagen', 'verkstalld', '2026-10-15'],
      ['avslutad', 'avslutad', '2026-11-01'],
    ]);
    const decision = {
      id: 'd',
      lagrum: 'LSS' as const,
      insats: 'LSS_9_10',
      beslutsdatum: '2026-08-10',
    };
    const events = importTimelineEvents('d', timeline, ['e1', 'e2', 'e3', 'e4'], new Date(0));
    expect(events[3]).toEqual({
      id: 'e4',
      decisionId: 'd',
      type: 'avslutad',
      date: '2026-11-01',
      anledning: 'behov_upphort',
      recordedAt: '1970-01-01T00:00:00.003Z',
    });
    expect(episodes(decision, events)).toEqual([
      { kind: 'beslut', start: '2026-08-10', end: { type: 'verkstalld', date: '2026-08-20' } },
      { kind: 'avbrott', start: '2026-09-01', end: { type: 'verkstalld', date: '2026-10-15' } },
    ]);
  });

  it('keeps the order of events on the same day: executed, interrupted and resumed on one date', () => {
    const read = row({
      verkstalld: '2026-09-01',
      avbrott: '2026-09-01',
      aterupptagen: '2026-09-01',
    });
    const decision = {
      id: 'd',
      lagrum: 'LSS' as const,
      insats: 'LSS_9_10',
      beslutsdatum: '2026-08-10',
    };
    // Given in reverse, the events still sort into the order of the columns.
    const events = importTimelineEvents('d', importTimeline(read), ['c', 'b', 'a'], new Date(0));
    expect(episodes(decision, [...events].reverse()).map((e) => e.end?.date)).toEqual([
      '2026-09-01',
      '2026-09-01',
    ]);
  });

  it('gives a quarter report of a decision waiting again after its avbrott', () => {
    const read = row({
      beslutsdatum: '2026-01-10',
      verkstalld: '2026-02-01',
      avbrott: '2026-03-15',
    });
    const decision = {
      id: 'd',
      lagrum: 'LSS' as const,
      insats: 'LSS_9_10',
      beslutsdatum: '2026-01-10',
    };
    const events = importTimelineEvents('d', importTimeline(read), ['e1', 'e2'], new Date(0));
    expect(quarterReport(decision, events, { year: 2026, quarter: 3 })).toMatchObject([
      {
        episode: { kind: 'avbrott', start: '2026-03-15' },
        report: 'ater',
        status: 'ej_verkstalld',
      },
    ]);
  });

  it('accepts the avslutsanledning by code or label, and "Annan anledning" with its text only', () => {
    expect(row({ avslutad: '2026-09-01', avslutsanledning: 'AVLIDEN' }).avslutsanledning).toBe(
      'avliden',
    );
    expect(
      row({ avslutad: '2026-09-01', avslutsanledning: 'nytt beslut har  ersatt beslutet' })
        .avslutsanledning,
    ).toBe('nytt_beslut');
    expect(issues({ avslutad: '2026-09-01', avslutsanledning: 'Annan anledning' })).toEqual([
      { field: 'avslutText', message: 'Beskriv anledningen till att beslutet avslutas' },
    ]);
    // The text is an event's text: what cannot be stored is refused on its column.
    expect(
      issues({ avslutad: '2026-09-01', avslutsanledning: 'annat', avslutText: 'a\u0000b' }),
    ).toEqual([{ field: 'avslutText', message: 'Texten innehåller ett otillåtet tecken' }]);
    const other = row({
      avslutad: '2026-09-01',
      avslutsanledning: 'annat',
      avslutText: 'Flyttade till annat land',
    });
    expect(importTimeline(other).at(-1)).toMatchObject({
      type: 'avslutad',
      anledning: 'annat',
      text: 'Flyttade till annat land',
    });
  });

  it('refuses a date that is no real day, in the future or before beslutsdatum', () => {
    expect(issues({ verkstalld: '2026-02-30' })).toEqual([
      { field: 'verkstalld', message: 'Ogiltigt datum "2026-02-30": skriv ÅÅÅÅ-MM-DD' },
    ]);
    expect(issues({ verkstalld: '1.9.2026' })).toEqual([
      { field: 'verkstalld', message: 'Ogiltigt datum "1.9.2026": skriv ÅÅÅÅ-MM-DD' },
    ]);
    expect(issues({ verkstalld: '2026-09-01', avbrott: '2026-11-23' })).toEqual([
      { field: 'avbrott', message: 'Avbrottet 2026-11-23 ligger i framtiden' },
    ]);
    expect(issues({ verkstalld: '2026-08-09' })).toEqual([
      { field: 'verkstalld', message: 'Verkställd 2026-08-09 är före beslutsdatum 2026-08-10' },
    ]);
    expect(issues({ avslutad: '2026-08-01', avslutsanledning: 'avliden' })).toEqual([
      { field: 'avslutad', message: 'Avslutad 2026-08-01 är före beslutsdatum 2026-08-10' },
    ]);
    expect(parse({ verkstalld: '2026-08-10' }).ok).toBe(true);
  });

  it('refuses dates out of order, and what needs a date before it', () => {
    expect(issues({ avbrott: '2026-09-01' })).toEqual([
      {
        field: 'avbrott',
        message: 'Ett avbrott förutsätter att insatsen verkställts: ange verkställd',
      },
    ]);
    expect(issues({ verkstalld: '2026-09-02', avbrott: '2026-09-01' })).toEqual([
      { field: 'avbrott', message: 'Avbrottet 2026-09-01 är före verkställd 2026-09-02' },
    ]);
    expect(issues({ verkstalld: '2026-09-01', aterupptagen: '2026-10-01' })).toEqual([
      { field: 'aterupptagen', message: 'Återupptagen förutsätter ett avbrott: ange avbrott' },
    ]);
    expect(
      issues({ verkstalld: '2026-09-01', avbrott: '2026-10-01', aterupptagen: '2026-09-30' }),
    ).toEqual([
      { field: 'aterupptagen', message: 'Återupptagen 2026-09-30 är före avbrottet 2026-10-01' },
    ]);
    expect(
      issues({
        verkstalld: '2026-09-01',
        avbrott: '2026-10-01',
        avslutad: '2026-09-15',
        avslutsanledning: 'avliden',
      }),
    ).toEqual([
      {
        field: 'avslutad',
        message: 'Avslutad 2026-09-15 är före avbrottet 2026-10-01; avslutet ska vara sist',
      },
    ]);
  });

  it('needs an avslutsanledning with avslutad, and neither it nor its text without', () => {
    expect(issues({ avslutad: '2026-09-01' })).toEqual([
      { field: 'avslutsanledning', message: 'Ange avslutsanledning: beslutet är avslutat' },
    ]);
    expect(issues({ avslutsanledning: 'avliden' })).toEqual([
      {
        field: 'avslutsanledning',
        message: 'Avslutsanledning anges bara när beslutet är avslutat: ange avslutad',
      },
    ]);
    expect(issues({ avslutText: 'Flyttade' })).toEqual([
      {
        field: 'avslutText',
        message: 'Beskrivningen av avslutet anges bara när beslutet är avslutat: ange avslutad',
      },
    ]);
    expect(issues({ avslutad: '2026-09-01', avslutsanledning: 'Tackat nej' })[0]).toEqual({
      field: 'avslutsanledning',
      message: expect.stringMatching(/^Okänd avslutsanledning "Tackat nej": skriv Den enskilde/),
    });
  });

  it('refuses every combination of dates whose events the domain refuses, and only lets through timelines it accepts', () => {
    const decision = {
      id: 'd',
      lagrum: 'LSS' as const,
      insats: 'LSS_9_10',
      beslutsdatum: '2026-08-10',
    };
    const values = ['', '2026-08-10', '2026-09-01', '2026-10-01'];
    let accepted = 0;
    for (const verkstalld of values)
      for (const avbrott of values)
        for (const aterupptagen of values)
          for (const avslutad of values) {
            const cells = { verkstalld, avbrott, aterupptagen, avslutad };
            const result = parse({ ...cells, avslutsanledning: avslutad ? 'avliden' : '' });
            // The events the columns stand for, in column order, as the domain judges them.
            const state = {
              verkstalld: verkstalld || null,
              avbrott: avbrott || null,
              aterupptagen: aterupptagen || null,
              avslutad: avslutad || null,
              avslutsanledning: avslutad ? ('avliden' as const) : null,
              avslutText: null,
            };
            const events = importTimelineEvents(
              'd',
              importTimeline(state),
              ['a', 'b', 'c', 'd'],
              new Date(0),
            );
            let domainAccepts = true;
            try {
              episodes(decision, events);
            } catch {
              domainAccepts = false;
            }
            if (result.ok) {
              accepted++;
              expect(domainAccepts, JSON.stringify(cells)).toBe(true);
              expect(importTimeline(result.row)).toEqual(importTimeline(state));
            } else if (!domainAccepts) {
              expect(result.issues.length, JSON.stringify(cells)).toBeGreaterThan(0);
            }
          }
    // Still waiting, executed, interrupted, resumed, closed: many timelines are fine.
    expect(accepted).toBeGreaterThan(30);
  });

  it('reads a closing on the day of execution as closing an executed decision', () => {
    const closed = row({
      verkstalld: '2026-09-01',
      avslutad: '2026-09-01',
      avslutsanledning: 'avliden',
    });
    expect(importTimeline(closed).map((e) => e.type)).toEqual(['verkstalld', 'avslutad']);
  });
});

describe('checkImportFile', () => {
  it('refuses a beslutsid given twice, a decision replacing itself or a later row', () => {
    const check = checkImportFile([
      { line: 2, beslutsid: 'A', ersatter: null },
      { line: 3, beslutsid: 'B', ersatter: 'C' },
      { line: 4, beslutsid: 'C', ersatter: 'A' },
      { line: 5, beslutsid: 'A', ersatter: null },
      { line: 6, beslutsid: 'D', ersatter: 'D' },
      { line: 7, beslutsid: 'E', ersatter: 'X' },
    ]);
    expect(Object.fromEntries(check.issues)).toEqual({
      3: [
        {
          field: 'ersatter',
          message: 'Beslutet som ersätts står på rad 4; det ska stå före beslutet som ersätter det',
        },
      ],
      5: [{ field: 'beslutsid', message: 'Beslutsid A finns redan på rad 2' }],
      6: [{ field: 'ersatter', message: 'Ett beslut kan inte ersätta sig självt' }],
    });
    // An ersätter not in the file (X) is for the server to look up among imported decisions.
    expect(Object.fromEntries(check.replacesLine)).toEqual({ 4: 2 });
  });
});

describe('importPersonKey', () => {
  it('is the number when there is one, else names, birth date and kön together', () => {
    const base = { fornamn: 'Eva', efternamn: 'Holm', skyddadIdentitet: false };
    expect(importPersonKey({ ...base, typ: 'personnummer', personnummer: '191212121212' })).toBe(
      importPersonKey({
        ...base,
        fornamn: 'Annan',
        typ: 'personnummer',
        personnummer: '191212121212',
      }),
    );
    const without = { ...base, typ: 'saknas', fodelsedatum: '1975-05-20', kon: 'kvinna' } as const;
    expect(importPersonKey(without)).toBe(importPersonKey({ ...without, efternamn: ' HOLM' }));
    expect(importPersonKey(without)).not.toBe(
      importPersonKey({ ...without, fodelsedatum: '1975-05-21' }),
    );
  });
});

describe('importExampleCsv', () => {
  it('is the documented columns in order, and every row of it is accepted', () => {
    const lines = importExampleCsv({ handlaggare: 'anna.h', enhet: 'Eken' })
      .trimEnd()
      .split('\r\n');
    const [headerLine, ...rows] = lines.map((l) => l.split(';'));
    expect(headerLine).toEqual(IMPORT_COLUMNS.map((c) => c.header));
    const header = matchImportHeader(headerLine!);
    expect(header.issues).toEqual([]);
    const parsed = rows.map((cells) =>
      parseImportRow((field) => cells[header.positions[field]!] ?? '', TODAY),
    );
    expect(parsed.map((p) => p.ok)).toEqual([true, true, true, true]);
    expect(parsed.map((p) => p.ok && p.row.handlaggare)).toEqual(Array(4).fill('anna.h'));
    expect(parsed.map((p) => p.ok && p.row.bestalldTill)).toEqual(['Eken', null, null, 'Eken']);
    // Running cases come with their state: every column of the state is in the example.
    expect(parsed.map((p) => (p.ok ? importTimeline(p.row).map((e) => e.field) : null))).toEqual([
      ['avslutad'],
      ['verkstalld', 'avbrott', 'aterupptagen'],
      [],
      [],
    ]);
    const check = checkImportFile(
      parsed.map((p, i) => (p.ok ? { line: i + 2, ...p.row } : never())),
    );
    expect(check.issues.size).toBe(0);
    expect(Object.fromEntries(check.replacesLine)).toEqual({ 5: 2 });
  });
});

function never(): never {
  throw new Error('unreachable');
}
