import { describe, expect, it } from 'vitest';
import {
  checkImportFile,
  findImportInsats,
  IMPORT_COLUMNS,
  type ImportField,
  importExampleCsv,
  importPersonKey,
  matchImportHeader,
  parseImportRow,
} from './case-system-import';

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
