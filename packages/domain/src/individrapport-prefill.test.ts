import { describe, expect, it } from 'vitest';
import {
  applyIndividrapportEdits,
  type CaseEvent,
  effectiveEdits,
  FICTIVE_NAME,
  INDIVIDRAPPORT_FIELD_LABELS,
  INDIVIDRAPPORT_TABS,
  type IndividrapportDecision,
  type IndividrapportDraft,
  type IndividrapportPerson,
  individrapportColumnLabel,
  individrapportContextFor,
  individrapportFieldText,
  individrapportIdentity,
  individrapportText,
  LOCKED_ON_ATER,
  LOCKED_TEXT_MESSAGE,
  lockedFields,
  lockedFieldViolations,
  type PreviousFiling,
  prefillIndividrapport,
  type Quarter,
  quarterReport,
  validateIndividrapport,
} from './index';
import { ev } from './testing/fixtures';

const Q2: Quarter = { year: 2026, quarter: 2 };
const Q3: Quarter = { year: 2026, quarter: 3 };
const Q4: Quarter = { year: 2026, quarter: 4 };

const decision: IndividrapportDecision = {
  id: 'b1',
  lagrum: 'LSS',
  insats: 'LSS_9_10',
  beslutsdatum: '2026-01-15',
  verksamhetsomrade: 'LSS',
};

const person: IndividrapportPerson = {
  fornamn: 'Astrid',
  efternamn: 'Lind',
  personnummer: '191212121212',
  identitet: 'personnummer',
  skyddadIdentitet: false,
  ivoId: '19121212-T123',
};

/** Waiting since 2026-01-15 (overdue from 2026-04-16: new in Q2): an offer, a refusal, a call. */
const waiting: CaseEvent[] = [
  ev({ type: 'erbjudande', date: '2026-02-10', text: 'Plats på Eken daglig verksamhet' }),
  ev({
    type: 'tackat_nej',
    date: '2026-02-20',
    erbjudandedatum: '2026-02-10',
    orsak: 'geografiskt_lage',
    text: 'För lång resväg',
  }),
  ev({
    type: 'uppfoljning',
    date: '2026-03-20',
    kontakt: 'God man',
    text: 'Vill vänta på en plats närmare hemmet',
  }),
  ev({ type: 'sammanfattning', date: '2026-04-14', text: 'Ingen ledig plats i närområdet' }),
];

function prefill(
  events: CaseEvent[],
  q: Quarter,
  extra: {
    previous?: PreviousFiling | null;
    person?: IndividrapportPerson;
    decision?: IndividrapportDecision;
    replaced?: { decision: IndividrapportDecision; events: CaseEvent[] } | null;
  } = {},
) {
  const d = extra.decision ?? decision;
  const lines = quarterReport(d, events, q);
  expect(lines).toHaveLength(1);
  const line = lines[0]!;
  const draft = prefillIndividrapport({
    quarter: q,
    line,
    decision: d,
    person: extra.person ?? person,
    namnd: 'Vård- och omsorgsnämnden',
    rapportor: 'Rut Rapportör',
    events,
    previous: extra.previous ?? null,
    replaced: extra.replaced ?? null,
  });
  const findings = validateIndividrapport(
    draft,
    individrapportContextFor(line, q, extra.previous ?? null),
  );
  return { line, draft, findings };
}

describe('prefillIndividrapport', () => {
  it('a nyrapportering: every tab from the decision, the person and the timeline', () => {
    const { line, draft, findings } = prefill(waiting, Q2);
    expect(line).toMatchObject({ report: 'ny', status: 'ej_verkstalld' });
    expect(findings).toEqual([]);
    expect(draft).toEqual({
      namnd: 'Vård- och omsorgsnämnden',
      verksamhetsomrade: 'LSS',
      rapportor: 'Rut Rapportör',
      rapporttyp: 'ny',
      fornamn: 'Astrid',
      efternamn: 'Lind',
      personnummer: '19121212-1212',
      skyddadePersonuppgifter: false,
      saknarPersonnummer: false,
      insats: 'LSS_9_10',
      anhorigMedEjVerkstalltBeslut: false,
      drojsmalAvser: 'beslut',
      drojsmalDatum: '2026-01-15',
      status: 'ej_verkstalld',
      // The latest reason is the refusal: skäl tackat nej, its orsak and the offer's date.
      skal: 'tackat_nej',
      orsak: 'geografiskt_lage',
      erbjudandedatum: '2026-02-10',
      delvisVerkstalld: false,
      kompenserandeInsats: false,
      covid19: false,
      ovrigt: [
        '2026-02-10: Erbjudande till den enskilde: Plats på Eken daglig verksamhet.',
        '2026-02-20: Den enskilde tackade nej till erbjudandet från 2026-02-10 (erbjudandets geografiska läge). För lång resväg.',
        '2026-03-20: Uppföljningssamtal med God man: Vill vänta på en plats närmare hemmet.',
        '2026-04-14: Sammanfattning av arbetet med att verkställa beslutet: Ingen ledig plats i närområdet.',
      ].join('\n'),
    });
  });

  it('takes the latest reason: a skäl logged after the refusal replaces it, its text in övrigt', () => {
    const events = [
      ...waiting,
      ev({
        type: 'skal',
        date: '2026-05-05',
        skal: 'hos_kommunen',
        orsak: 'personal',
        text: 'Handledare saknas sedan april',
      }),
    ];
    const { draft, findings } = prefill(events, Q2);
    expect(findings).toEqual([]);
    expect(draft).toMatchObject({ skal: 'hos_kommunen', orsak: 'personal' });
    expect(draft.erbjudandedatum).toBeUndefined();
    expect(draft.ovrigt?.split('\n').at(-1)).toBe(
      '2026-05-05: Skäl till dröjsmålet: hos kommunen, personalrelaterade skäl. Handledare saknas sedan april.',
    );
  });

  it('a skäl "tackat nej" logged without a refusal takes the latest offer’s date', () => {
    const events = [
      waiting[0]!,
      ev({ type: 'skal', date: '2026-03-01', skal: 'tackat_nej', orsak: 'vill_avvakta' }),
    ];
    const { draft, findings } = prefill(events, Q2);
    expect(findings).toEqual([]);
    expect(draft).toMatchObject({
      skal: 'tackat_nej',
      orsak: 'vill_avvakta',
      erbjudandedatum: '2026-02-10',
    });
    // No offer logged at all: the rapportör gives the date.
    const alone = prefill([events[1]!], Q2);
    expect(alone.findings.map((f) => f.field)).toEqual(['erbjudandedatum']);
  });

  it('a skäl "tackat nej" gives its own offer date, before the latest refusal’s', () => {
    const events = [
      ...waiting,
      ev({
        type: 'skal',
        date: '2026-04-20',
        skal: 'tackat_nej',
        orsak: 'vill_avvakta',
        erbjudandedatum: '2026-04-02',
      }),
    ];
    const { draft, findings } = prefill(events, Q2);
    expect(findings).toEqual([]);
    expect(draft).toMatchObject({ skal: 'tackat_nej', erbjudandedatum: '2026-04-02' });
  });

  it('tells IVO in övrigt that the call offered korttidsvistelse on a korttidsenhet (seed 001)', () => {
    const stodfamilj: IndividrapportDecision = { ...decision, insats: 'LSS_9_6_STODFAMILJ' };
    const events = [
      ev({
        type: 'uppfoljning',
        date: '2026-03-20',
        kontakt: 'Vårdnadshavare',
        text: 'Ingen stödfamilj hittad ännu',
        korttidsenhetErbjuden: true,
      }),
      ev({
        type: 'uppfoljning',
        date: '2026-06-18',
        kontakt: 'Vårdnadshavare',
        text: 'Fortsatt sökande',
        korttidsenhetErbjuden: false,
      }),
    ];
    const { draft } = prefill(events, Q2, { decision: stodfamilj });
    expect(draft.ovrigt?.split('\n')).toEqual([
      '2026-03-20: Uppföljningssamtal med Vårdnadshavare: Ingen stödfamilj hittad ännu. Korttidsvistelse på korttidsenhet erbjöds i väntan på stödfamilj.',
      '2026-06-18: Uppföljningssamtal med Vårdnadshavare: Fortsatt sökande.',
    ]);
  });

  it('puts the reason’s text in "annan orsak" when the orsak needs it, not in övrigt', () => {
    const events = [
      ...waiting,
      ev({
        type: 'skal',
        date: '2026-05-05',
        skal: 'utanfor_kommunen',
        orsak: 'annat',
        text: 'Väntar på färdtjänstbeslut',
      }),
    ];
    const { draft, findings } = prefill(events, Q2);
    expect(findings).toEqual([]);
    expect(draft).toMatchObject({
      skal: 'utanfor_kommunen',
      orsak: 'annat',
      orsakText: 'Väntar på färdtjänstbeslut',
    });
    expect(draft.ovrigt).not.toContain('färdtjänst');
  });

  it('ignores what happened after the reference date', () => {
    const events = [
      ...waiting,
      ev({ type: 'skal', date: '2026-07-02', skal: 'hos_kommunen', orsak: 'brist_plats' }),
      ev({ type: 'verkstalld', date: '2026-07-20' }),
    ];
    const { line, draft, findings } = prefill(events, Q2);
    expect(line.status).toBe('ej_verkstalld');
    expect(findings).toEqual([]);
    expect(draft).toMatchObject({ status: 'ej_verkstalld', skal: 'tackat_nej' });
    expect(draft.statusDatum).toBeUndefined();
  });

  it('a nyrapportering executed in the same quarter: new, with the execution date', () => {
    const { line, draft, findings } = prefill(
      [...waiting, ev({ type: 'verkstalld', date: '2026-06-01' })],
      Q2,
    );
    expect(line).toMatchObject({ report: 'ny', status: 'verkstalld' });
    expect(findings).toEqual([]);
    expect(draft).toMatchObject({
      rapporttyp: 'ny',
      status: 'verkstalld',
      statusDatum: '2026-06-01',
    });
    expect(draft.avslutAnledning).toBeUndefined();
  });

  /** What was filed for Q2, with the rapportör's own additions (anhörig, Covid-19). */
  function filedQ2(extra: Partial<IndividrapportDraft> = {}): PreviousFiling {
    const { draft } = prefill(waiting, Q2);
    return {
      quarter: Q2,
      draft: { ...draft, anhorigMedEjVerkstalltBeslut: true, covid19: true, ...extra },
    };
  }

  const q3Events = [
    ...waiting,
    ev({ type: 'kompenserande_insats', date: '2026-07-01', text: 'Extra stöd i hemmet 4 h/v' }),
    ev({ type: 'delvis_verkstalld', date: '2026-07-10', text: '2 av 5 dagar' }),
    ev({ type: 'uppfoljning', date: '2026-08-20', kontakt: 'Mamma', text: 'Trivs med 2 dagar' }),
  ];

  it('an återrapportering: locked fields from the previous filing, its reason kept, new events', () => {
    const previous = filedQ2({ fornamn: 'Astrid Maria', orsak: 'vill_avvakta' });
    // The person has since got a new surname: what was filed stays.
    const renamed = { ...person, efternamn: 'Berg' };
    const { line, draft, findings } = prefill(q3Events, Q3, { previous, person: renamed });
    expect(line).toMatchObject({ report: 'ater', status: 'ej_verkstalld' });
    expect(findings).toEqual([]);
    for (const field of LOCKED_ON_ATER) expect(draft[field]).toEqual(previous.draft[field]);
    expect(draft).toMatchObject({
      rapporttyp: 'ater',
      fornamn: 'Astrid Maria',
      efternamn: 'Lind',
      anhorigMedEjVerkstalltBeslut: true,
      covid19: true,
      // No reason logged since the Q2 filing: its choice stays ("ligger för omval").
      skal: 'tackat_nej',
      orsak: 'vill_avvakta',
      erbjudandedatum: '2026-02-10',
      delvisVerkstalld: true,
      delvisDatum: '2026-07-10',
      delvisText: '2 av 5 dagar',
      kompenserandeInsats: true,
      kompenserandeText: '2026-07-01 Extra stöd i hemmet 4 h/v',
    });
    // Övrigt as filed, read-only; only what happened since the last report goes under it.
    expect(previous.draft.ovrigt).toBeTruthy();
    expect(draft.ovrigt).toBe(previous.draft.ovrigt);
    expect(draft.ovrigtKomplettering).toBe(
      '2026-08-20: Uppföljningssamtal med Mamma: Trivs med 2 dagar.',
    );
    // Delvis and kompenserande were not filed in Q2: their texts are new and editable.
    expect(draft.delvisKomplettering).toBeUndefined();
    expect(draft.kompenserandeKomplettering).toBeUndefined();
    expect(lockedFields(line, previous.draft)).toContain('ovrigt');
    expect(lockedFields(line, previous.draft)).not.toContain('delvisText');
  });

  it('an återrapportering keeps filed free texts and puts what changed in Komplettera', () => {
    const filed = filedQ3();
    expect(filed.draft).toMatchObject({ delvisText: '2 av 5 dagar' });
    const events = [
      ...q3Events,
      ev({ type: 'delvis_verkstalld', date: '2026-10-05', text: '4 av 5 dagar' }),
      ev({ type: 'kompenserande_insats', date: '2026-10-06', text: 'Ledsagning 2 h/v' }),
    ];
    const { line, draft, findings } = prefill(events, Q4, { previous: filed });
    expect(findings).toEqual([]);
    expect(draft).toMatchObject({
      delvisText: '2 av 5 dagar',
      delvisDatum: '2026-10-05',
      delvisKomplettering: '2026-10-05 4 av 5 dagar',
      kompenserandeText: '2026-07-01 Extra stöd i hemmet 4 h/v',
      kompenserandeKomplettering: '2026-10-06 Ledsagning 2 h/v',
      ovrigt: filed.draft.ovrigt,
    });
    expect(lockedFields(line, filed.draft)).toEqual(
      expect.arrayContaining(['delvisText', 'kompenserandeText', 'ovrigt']),
    );
    // Changing a filed text is refused; the Komplettera fields are open.
    expect(
      validateIndividrapport(
        { ...draft, delvisText: '4 av 5 dagar', ovrigtKomplettering: 'Nytt' },
        { previous: filed.draft },
      ).map((f) => f.field),
    ).toEqual(['delvisText']);
    // In the copy text, under their fields, in IVO's words.
    const text = individrapportText(draft);
    expect(text).toContain(
      'Hur insatsen delvis har verkställts: 2 av 5 dagar\nKomplettera med ytterligare information, om förändringar skett efter senaste rapportering: 2026-10-05 4 av 5 dagar',
    );
  });

  it('names each Komplettera column by the text it completes', () => {
    expect(individrapportColumnLabel('ovrigtKomplettering')).toBe(
      'Övrigt av vikt för IVO:s handläggning: Komplettera med ytterligare information, om förändringar skett efter senaste rapportering',
    );
    expect(individrapportColumnLabel('delvisKomplettering')).toMatch(/^Hur insatsen delvis/);
    expect(individrapportColumnLabel('ovrigt')).toBe('Övrigt av vikt för IVO:s handläggning');
  });

  it('a nyrapportering has no Komplettera fields', () => {
    const { draft } = prefill(q3Events, Q2);
    expect(draft.ovrigtKomplettering).toBeUndefined();
    expect(individrapportText(draft)).not.toContain('Komplettera');
  });

  it('an återrapportering takes a reason logged since the previous filing', () => {
    const events = [
      ...q3Events,
      ev({ type: 'skal', date: '2026-09-01', skal: 'hos_kommunen', orsak: 'brist_plats' }),
    ];
    const { draft, findings } = prefill(events, Q3, { previous: filedQ2() });
    expect(findings).toEqual([]);
    expect(draft).toMatchObject({ skal: 'hos_kommunen', orsak: 'brist_plats' });
    expect(draft.erbjudandedatum).toBeUndefined();
  });

  const filedQ3 = (): PreviousFiling => ({
    quarter: Q3,
    draft: prefill(q3Events, Q3, { previous: filedQ2() }).draft,
  });

  it('a slutrapportering, verkställt', () => {
    const events = [...q3Events, ev({ type: 'verkstalld', date: '2026-11-02' })];
    const { line, draft, findings } = prefill(events, Q4, { previous: filedQ3() });
    expect(line).toMatchObject({ report: 'ater', status: 'verkstalld', statusDate: '2026-11-02' });
    expect(findings).toEqual([]);
    expect(draft).toMatchObject({
      rapporttyp: 'ater',
      status: 'verkstalld',
      statusDatum: '2026-11-02',
      covid19: true,
      fornamn: 'Astrid',
    });
  });

  it('a slutrapportering, avslutat, with the reason for closing', () => {
    const events = [
      ...q3Events,
      ev({
        type: 'avslutad',
        date: '2026-10-20',
        anledning: 'ansokan_aterkallad',
        text: 'Har flyttat till annan kommun',
      }),
    ];
    const { line, draft, findings } = prefill(events, Q4, { previous: filedQ3() });
    expect(line).toMatchObject({ report: 'ater', status: 'avslutad', statusDate: '2026-10-20' });
    expect(findings).toEqual([]);
    expect(draft).toMatchObject({
      status: 'avslutad',
      statusDatum: '2026-10-20',
      avslutAnledning: 'ansokan_aterkallad',
    });
  });

  it('a nyrapportering after an interruption: the interruption’s date and why', () => {
    const events = [
      ev({ type: 'verkstalld', date: '2025-02-01' }),
      ev({ type: 'avbrott', date: '2026-02-01', text: 'Kontaktpersonen slutade' }),
      ev({ type: 'skal', date: '2026-03-01', skal: 'hos_kommunen', orsak: 'uppdragstagare' }),
    ];
    const interrupted = { ...decision, insats: 'LSS_9_4', beslutsdatum: '2025-01-10' };
    const { line, draft, findings } = prefill(events, Q2, { decision: interrupted });
    expect(line).toMatchObject({
      report: 'ny',
      episode: { kind: 'avbrott', start: '2026-02-01' },
    });
    expect(findings).toEqual([]);
    expect(draft).toMatchObject({
      insats: 'LSS_9_4',
      drojsmalAvser: 'avbrott',
      drojsmalDatum: '2026-02-01',
      skal: 'hos_kommunen',
      orsak: 'uppdragstagare',
      ovrigt: '2026-02-01: Verkställigheten avbröts. Kontaktpersonen slutade.',
    });
  });

  it('notes on a first report that the decision replaced one never executed', () => {
    const old = { ...decision, id: 'b0', beslutsdatum: '2025-06-01' };
    const oldEvents = [
      ev({ decisionId: 'b0', type: 'avslutad', date: '2026-01-14', anledning: 'beslut_upphort' }),
    ];
    const replacing = { ...decision, ersatterBeslutId: 'b0' };
    const { draft } = prefill(waiting, Q2, {
      decision: replacing,
      replaced: { decision: old, events: oldEvents },
    });
    expect(draft.ovrigt?.split('\n')[0]).toBe(
      'Beslutet ersätter beslut från 2025-06-01 om samma insats, som inte verkställdes.',
    );
    // One that was executed is no news for IVO.
    const executed = [ev({ decisionId: 'b0', type: 'verkstalld', date: '2025-07-01' })];
    const { draft: plain } = prefill(waiting, Q2, {
      decision: replacing,
      replaced: { decision: old, events: executed },
    });
    expect(plain.ovrigt).not.toContain('ersätter');
  });

  it('gives SoL FUNK and SoL IFO decisions their inriktning', () => {
    const funk: IndividrapportDecision = {
      id: 'b1',
      lagrum: 'SoL',
      insats: 'SOL_BOENDESTOD',
      beslutsdatum: '2026-01-15',
      verksamhetsomrade: 'SOL_FUNK',
      inriktning: 'OVRIGT',
      inriktningText: 'Stöd efter förvärvad hjärnskada',
    };
    const { draft, findings } = prefill(waiting, Q2, { decision: funk });
    expect(findings).toEqual([]);
    expect(draft).toMatchObject({
      verksamhetsomrade: 'SOL_FUNK',
      inriktning: 'OVRIGT',
      inriktningText: 'Stöd efter förvärvad hjärnskada',
    });
    const { draft: lss } = prefill(waiting, Q2, {
      decision: { ...decision, inriktning: 'FUNK_PSYKISK' },
    });
    expect(lss.inriktning).toBeUndefined();
  });

  it('keeps övrigt within 4 000 characters, dropping the oldest entries', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      ev({
        type: 'sammanfattning',
        date: `2026-03-${String((i % 28) + 1).padStart(2, '0')}`,
        text: `Sammanfattning ${i} ${'x'.repeat(90)}`,
      }),
    );
    const { draft, findings } = prefill([...waiting, ...many], Q2);
    expect(findings).toEqual([]);
    expect(draft.ovrigt!.length).toBeLessThanOrEqual(4000);
    expect(draft.ovrigt!.split('\n')[0]).toBe(
      'Tidigare händelser under perioden finns i kommunens dokumentation.',
    );
    expect(draft.ovrigt).toContain('Ingen ledig plats i närområdet');
  });
});

describe('the prefill within the draft’s limits', () => {
  it('a compensatory text of full length keeps to the maximum with its start date in front', () => {
    const text = `Extra stöd ${'x'.repeat(3989)}`;
    expect(text).toHaveLength(4000);
    const { draft, findings } = prefill(
      [...waiting, ev({ type: 'kompenserande_insats', date: '2026-03-01', text })],
      Q2,
    );
    expect(draft.kompenserandeText).toHaveLength(4000);
    expect(draft.kompenserandeText).toMatch(/^2026-03-01 Extra stöd x+…$/);
    expect(findings).toEqual([]);
  });
});

describe('tab 3: who the report is about', () => {
  it('a person with a personnummer: name and number', () => {
    expect(individrapportIdentity(person)).toEqual({
      fornamn: 'Astrid',
      efternamn: 'Lind',
      personnummer: '19121212-1212',
      skyddadePersonuppgifter: false,
      saknarPersonnummer: false,
    });
  });

  it('skyddade personuppgifter: a fictive name and the IVO number, said in övrigt', () => {
    const skyddad = { ...person, skyddadIdentitet: true };
    expect(individrapportIdentity(skyddad)).toEqual({
      ...FICTIVE_NAME,
      personnummer: '19121212-T123',
      skyddadePersonuppgifter: true,
      saknarPersonnummer: false,
    });
    const { draft, findings } = prefill(waiting, Q2, { person: skyddad });
    expect(findings).toEqual([]);
    expect(draft.ovrigt?.split('\n')[0]).toContain('skyddade personuppgifter');
    expect(JSON.stringify(draft)).not.toContain('Lind');
    expect(JSON.stringify(draft)).not.toContain('1212-1212');
  });

  it('a samordningsnummer: the box ticked, the number given', () => {
    const samordning = {
      ...person,
      personnummer: '198503710009',
      identitet: 'samordningsnummer' as const,
    };
    expect(individrapportIdentity(samordning)).toMatchObject({
      personnummer: '19850371-0009',
      saknarPersonnummer: true,
      skyddadePersonuppgifter: false,
    });
    expect(prefill(waiting, Q2, { person: samordning }).findings).toEqual([]);
  });

  it('no number: the box ticked and the IVO number', () => {
    const none = { ...person, personnummer: null, identitet: 'saknas' as const };
    expect(individrapportIdentity(none)).toMatchObject({
      fornamn: 'Astrid',
      personnummer: '19121212-T123',
      saknarPersonnummer: true,
    });
    expect(prefill(waiting, Q2, { person: none }).findings).toEqual([]);
  });
});

describe('locked fields', () => {
  it('locks the line’s facts always, and on an återrapportering what was filed before', () => {
    expect(lockedFields({ report: 'ny' }, null).sort()).toEqual(
      ['drojsmalAvser', 'drojsmalDatum', 'rapporttyp'].sort(),
    );
    const previous = prefill(waiting, Q2).draft;
    const ater = lockedFields({ report: 'ater' }, previous);
    for (const field of LOCKED_ON_ATER) expect(ater).toContain(field);
    expect(ater).not.toContain('covid19');
    expect(ater).not.toContain('skal');
    expect(ater).not.toContain('anhorigMedEjVerkstalltBeslut');
  });

  it('the Covid-19 box once filed is locked, prefilled true, and never unset', () => {
    const previous = { ...prefill(waiting, Q2).draft, covid19: true };
    const locked = lockedFields({ report: 'ater' }, previous);
    expect(locked).toContain('covid19');
    const { draft, findings } = prefill(waiting, Q3, {
      previous: { quarter: Q2, draft: previous },
    });
    expect(findings).toEqual([]);
    expect(draft.covid19).toBe(true);
    // An edit that unsets it is refused, and applying edits keeps it set.
    expect(lockedFieldViolations({ covid19: false }, draft, locked)).toEqual([
      {
        field: 'covid19',
        message: 'Covid-19-markeringen har rapporterats tidigare och kan inte tas bort',
      },
    ]);
    expect(applyIndividrapportEdits(draft, { covid19: false }, locked).covid19).toBe(true);
    // Validation refuses it too, whatever the report type.
    const unset = validateIndividrapport(
      { ...draft, covid19: false },
      individrapportContextFor(quarterReport(decision, waiting, Q3)[0]!, Q3, {
        quarter: Q2,
        draft: previous,
      }),
    );
    expect(unset.map((f) => f.field)).toEqual(['covid19']);
    // Not filed before: it may be set, and unset again.
    expect(lockedFields({ report: 'ny' }, null)).not.toContain('covid19');
  });

  it('refuses a changed locked field, accepts the same value and any open field', () => {
    const previous = prefill(waiting, Q2).draft;
    const { draft } = prefill(waiting, Q3, { previous: { quarter: Q2, draft: previous } });
    const locked = lockedFields({ report: 'ater' }, previous);
    expect(
      lockedFieldViolations(
        { personnummer: '19121212-1212', efternamn: 'Berg', rapporttyp: 'ny', ovrigt: 'Nytt' },
        draft,
        locked,
      ),
    ).toEqual([
      { field: 'rapporttyp', message: 'Fältet följer av rapportraden och kan inte ändras' },
      {
        field: 'efternamn',
        message: 'Fältet är låst vid återrapportering: det rapporterades tidigare',
      },
      { field: 'ovrigt', message: LOCKED_TEXT_MESSAGE },
    ]);
  });

  it('keeps only real edits, and a field set back to the prefill follows the case again', () => {
    const { draft } = prefill(waiting, Q2);
    expect(
      effectiveEdits(draft, {
        skal: 'tackat_nej',
        orsak: 'vill_avvakta',
        covid19: false,
        orsakText: '',
        ovrigt: '',
      }),
    ).toEqual({ orsak: 'vill_avvakta', ovrigt: '' });
    const edited = applyIndividrapportEdits(draft, { orsak: 'vill_avvakta', ovrigt: '' }, []);
    expect(edited).toMatchObject({ skal: 'tackat_nej', orsak: 'vill_avvakta', ovrigt: '' });
  });
});

describe('the report as text', () => {
  it('gives every tab, each field as "label: value" with Swedish labels', () => {
    const { draft } = prefill(
      [
        ...q3EventsForText(),
        ev({ type: 'skal', date: '2026-05-05', skal: 'hos_kommunen', orsak: 'personal' }),
      ],
      Q2,
    );
    const text = individrapportText(draft);
    expect(text).toContain('Flik 1. Nämnd och verksamhetsområde\nNämnd: Vård- och omsorgsnämnden');
    expect(text).toContain('Verksamhetsområde: LSS');
    expect(text).toContain('Rapportör: Rut Rapportör\nRapportering: Nyrapportering');
    expect(text).toContain('Personnummer: 19121212-1212');
    expect(text).toContain('Typ av bistånd eller insats: Daglig verksamhet');
    expect(text).toContain('Skyddade personuppgifter: Nej');
    expect(text).toContain(
      'Dröjsmålet avser: Gynnande beslut som inte verkställts inom tre månader\nBeslutsdatum: 2026-01-15',
    );
    expect(text).toContain('Status: Ej verkställt');
    expect(text).toContain('Huvudsakligt skäl: Hos kommunen\nOrsak: Personalrelaterade skäl');
    expect(text).toContain(
      'Delvis verkställt: Ja\nDatum för delvis verkställighet: 2026-04-10\nHur insatsen delvis har verkställts: 2 av 5 dagar',
    );
    expect(text).toContain('Övrigt av vikt för IVO:s handläggning:\n2026-02-10: Erbjudande');
    expect(text).toContain('Dröjsmålet har under någon period varit relaterat till Covid-19: Nej');
    // Fields that do not apply are left out.
    expect(text).not.toContain('Inriktning');
    expect(text).not.toContain('Verkställighetsdatum');
    expect(text).not.toContain('Datum för erbjudandet');
  });

  it('names the status date by what it is, and labels codes', () => {
    const { draft } = prefill(
      [...waiting, ev({ type: 'avslutad', date: '2026-06-10', anledning: 'avliden' })],
      Q2,
    );
    const text = individrapportText(draft);
    expect(text).toContain(
      'Status: Avslutat\nAvslutsdatum: 2026-06-10\nAnledning till avslut: Den enskilde har avlidit',
    );
    expect(individrapportFieldText(draft, 'orsak')).toBe('Erbjudandets geografiska läge');
    expect(individrapportFieldText(draft, 'statusDatum')).toBe('2026-06-10');
    expect(individrapportFieldText(draft, 'inriktning')).toBe('');
  });

  it('has a label for every field, and every field on a tab once', () => {
    const onTabs = INDIVIDRAPPORT_TABS.flatMap((t) => t.fields);
    expect(new Set(onTabs).size).toBe(onTabs.length);
    expect([...onTabs].sort()).toEqual(Object.keys(INDIVIDRAPPORT_FIELD_LABELS).sort());
  });
});

function q3EventsForText(): CaseEvent[] {
  return [...waiting, ev({ type: 'delvis_verkstalld', date: '2026-04-10', text: '2 av 5 dagar' })];
}
