import { describe, expect, it } from 'vitest';
import {
  applyChange,
  areaChoices,
  checkValues,
  initialValues,
  insatsChoices,
  lagrumChoices,
  type NamndChoice,
  personnummerProblem,
  type RegisterValues,
  settle,
  tidyPersonnummer,
  toRegisterInput,
} from './register-decision-values';

const ID = '01890000-0000-7000-8000-000000000001';
const TODAY = '2026-05-20';

const vard: NamndChoice = {
  id: 'vard',
  namn: 'Vård- och omsorgsnämnden',
  mayRegister: true,
  verksamhetsomraden: [
    { code: 'SOL_ALDRE', label: 'SoL Äldre' },
    { code: 'SOL_FUNK', label: 'SoL FUNK' },
    { code: 'LSS', label: 'LSS' },
  ],
  enheter: [
    { id: 'hemtjanst', namn: 'Hemtjänst Centrum', typ: 'utforarenhet' },
    { id: 'larkan', namn: 'Korttidshemmet Lärkan', typ: 'utforarenhet' },
    { id: 'boende', namn: 'Boendeteamet', typ: 'boendeteamet' },
    { id: 'centralen', namn: 'Centralen för sysselsättning', typ: 'centralen_for_sysselsattning' },
  ],
};

const social: NamndChoice = {
  id: 'social',
  namn: 'Socialnämnden',
  mayRegister: true,
  verksamhetsomraden: [{ code: 'SOL_IFO', label: 'SoL IFO' }],
  enheter: [{ id: 'familjehem', namn: 'Familjehemsenheten', typ: 'utforarenhet' }],
};

const areasOf = (n: NamndChoice) => n.verksamhetsomraden.map((a) => a.code);

/** Applies the changes in order, as a user filling in the form would. */
function fill(namnd: NamndChoice, changes: [keyof RegisterValues, string | boolean][]) {
  let values = initialValues(ID, TODAY);
  for (const [name, value] of [['namndId', namnd.id] as const, ...changes]) {
    values = applyChange(values, name, value, namnd);
  }
  return values;
}

describe('insats choices', () => {
  it('offers only the lagrum the nämnd reports under', () => {
    expect(lagrumChoices(areasOf(vard))).toEqual(['SoL', 'LSS']);
    expect(lagrumChoices(areasOf(social))).toEqual(['SoL']);
  });

  it('lists LSS 9 § 6 and 9 § 9 once each, with their forms and the generic code last', () => {
    const choices = insatsChoices('LSS', areasOf(vard));
    expect(choices.every((c) => c.label.startsWith('9 § '))).toBe(true);
    const korttid = choices.filter((c) => c.code.startsWith('LSS_9_6'));
    expect(korttid).toHaveLength(1);
    expect(korttid[0]!.code).toBe('LSS_9_6');
    expect(korttid[0]!.label).toBe('9 § 6 Korttidsvistelse utanför det egna hemmet');
    expect(korttid[0]!.forms.map((f) => f.code)).toEqual([
      'LSS_9_6_KORTTIDSHEM',
      'LSS_9_6_STODFAMILJ',
      'LSS_9_6_LAGER',
      'LSS_9_6_ANNAN',
      'LSS_9_6',
    ]);
    expect(korttid[0]!.forms.at(-1)!.label).toBe('Formen är inte känd');
    const bostad = choices.find((c) => c.code === 'LSS_9_9')!;
    expect(bostad.forms.map((f) => f.code)).toContain('LSS_9_9_GRUPPBOSTAD');
    expect(choices.find((c) => c.code === 'LSS_9_2')!.forms).toEqual([]);
    expect(choices).toHaveLength(10);
  });

  it('lists the SoL insatser the nämnd reports under, and no LSS ones', () => {
    const ifo = insatsChoices('SoL', areasOf(social)).map((c) => c.code);
    expect(ifo).toContain('SOL_EKONOMISKT_BISTAND');
    expect(ifo).toContain('SOL_KONTAKTPERSON');
    expect(ifo).not.toContain('SOL_HEMTJANST');
    expect(ifo.some((c) => c.startsWith('LSS'))).toBe(false);
    const vardSol = insatsChoices('SoL', areasOf(vard)).map((c) => c.code);
    expect(vardSol).toContain('SOL_HEMTJANST');
    expect(vardSol).not.toContain('SOL_STODBOENDE');
    expect(insatsChoices('', areasOf(vard))).toEqual([]);
  });

  it('offers the verksamhetsområden the insats is reported under that the nämnd has, the usual one first', () => {
    expect(areaChoices('SOL_KONTAKTPERSON', areasOf(vard)).map((a) => a.code)).toEqual([
      'SOL_FUNK',
      'SOL_ALDRE',
    ]);
    expect(areaChoices('SOL_KONTAKTPERSON', areasOf(social)).map((a) => a.code)).toEqual([
      'SOL_IFO',
    ]);
    expect(areaChoices('LSS_9_9_GRUPPBOSTAD', areasOf(vard)).map((a) => a.code)).toEqual(['LSS']);
    expect(areaChoices('okänd', areasOf(vard))).toEqual([]);
  });
});

describe('changes', () => {
  it('preselects the only lagrum and the usual verksamhetsområde', () => {
    const values = fill(social, [['insats', 'SOL_KONTAKTPERSON']]);
    expect(values.lagrum).toBe('SoL');
    expect(values.verksamhetsomrade).toBe('SOL_IFO');
    const hemtjanst = fill(vard, [
      ['lagrum', 'SoL'],
      ['insats', 'SOL_HEMTJANST'],
    ]);
    expect(hemtjanst.verksamhetsomrade).toBe('SOL_ALDRE');
  });

  it('clears the insats, its form and the inriktning when what they depend on changes', () => {
    let values = fill(vard, [
      ['lagrum', 'LSS'],
      ['insats', 'LSS_9_6'],
      ['form', 'LSS_9_6_LAGER'],
    ]);
    expect(values.form).toBe('LSS_9_6_LAGER');
    values = applyChange(values, 'insats', 'LSS_9_9', vard);
    expect(values.form).toBe('');
    values = applyChange(values, 'lagrum', 'SoL', vard);
    expect(values.insats).toBe('');
    values = applyChange(values, 'insats', 'SOL_HEMTJANST', vard);
    values = applyChange(values, 'verksamhetsomrade', 'SOL_FUNK', vard);
    values = applyChange(values, 'inriktning', 'OVRIGT', vard);
    values = applyChange(values, 'inriktningText', 'Förvärvad hjärnskada', vard);
    expect(values.inriktningText).toBe('Förvärvad hjärnskada');
    values = applyChange(values, 'inriktning', 'FUNK_FYSISK', vard);
    expect(values.inriktningText).toBe('');
    values = applyChange(values, 'verksamhetsomrade', 'SOL_ALDRE', vard);
    expect(values.inriktning).toBe('');
  });

  it('orders 9 § 9 to Boendeteamet, 9 § 10 to Centralen, and an external 9 § 8 to Boendeteamet', () => {
    const bostad = fill(vard, [
      ['lagrum', 'LSS'],
      ['insats', 'LSS_9_9'],
    ]);
    expect(bostad.enhetId).toBe('boende');
    expect(applyChange(bostad, 'insats', 'LSS_9_10', vard).enhetId).toBe('centralen');
    const barn = applyChange(bostad, 'insats', 'LSS_9_8', vard);
    expect(barn.enhetId).toBe('');
    expect(applyChange(barn, 'extern', true, vard).enhetId).toBe('boende');
    // Several utförarenheter: the user chooses.
    expect(applyChange(bostad, 'insats', 'LSS_9_2', vard).enhetId).toBe('');
  });

  it('keeps the enhet the user chose when the insats changes, and drops extern outside 9 § 8', () => {
    let values = fill(vard, [
      ['lagrum', 'LSS'],
      ['insats', 'LSS_9_8'],
      ['extern', true],
    ]);
    values = applyChange(values, 'enhetId', 'larkan', vard);
    values = applyChange(values, 'insats', 'LSS_9_9', vard);
    expect(values.enhetId).toBe('larkan');
    expect(values.extern).toBe(false);
  });

  it('forgets the replaced decision and its person when the nämnd changes', () => {
    let values = fill(vard, [['ersatterBeslutId', 'old']]);
    values = { ...values, personId: 'p1' };
    values = applyChange(values, 'namndId', social.id, social);
    expect(values.ersatterBeslutId).toBe('');
    expect(values.personId).toBe('');
  });
});

describe('personnummer', () => {
  it('formats twelve digits with a dash', () => {
    expect(tidyPersonnummer('191212121212')).toBe('19121212-1212');
    expect(tidyPersonnummer(' 19121212 1212 ')).toBe('19121212-1212');
    expect(tidyPersonnummer('1212121212')).toBe('1212121212');
  });

  it('says what is wrong with the number', () => {
    expect(personnummerProblem('personnummer', '19121212-1212')).toBeNull();
    expect(personnummerProblem('personnummer', '191212121212')).toBeNull();
    expect(personnummerProblem('personnummer', '19121212-1213')).toMatch(/kontrollsiffra/);
    expect(personnummerProblem('personnummer', '121212-1212')).toMatch(/tolv siffror/);
    expect(personnummerProblem('personnummer', '')).toBe('Ange personnummer');
    expect(personnummerProblem('personnummer', '19121272-1219')).toMatch(/välj samordningsnummer/);
    expect(personnummerProblem('samordningsnummer', '19121272-1219')).toBeNull();
    expect(personnummerProblem('samordningsnummer', '19121212-1212')).toMatch(/ökad med 60/);
    expect(personnummerProblem('saknas', '')).toBeNull();
  });
});

describe('checks and input', () => {
  const complete = () =>
    fill(vard, [
      ['fornamn', ' Ada '],
      ['efternamn', 'Lind'],
      ['identitet', 'personnummer'],
      ['personnummer', '191212121212'],
      ['lagrum', 'LSS'],
      ['insats', 'LSS_9_9'],
      ['form', 'LSS_9_9_GRUPPBOSTAD'],
      ['beslutsdatum', '2026-05-04'],
    ]);

  it('finds nothing wrong with a complete form and builds the input', () => {
    const values = complete();
    const insatser = insatsChoices('LSS', areasOf(vard));
    expect(checkValues(values, insatser, TODAY)).toEqual({});
    expect(toRegisterInput(values, insatser)).toEqual({
      id: ID,
      namndId: 'vard',
      person: {
        typ: 'personnummer',
        fornamn: 'Ada',
        efternamn: 'Lind',
        skyddadIdentitet: false,
        personnummer: '19121212-1212',
      },
      lagrum: 'LSS',
      insats: 'LSS_9_9_GRUPPBOSTAD',
      verksamhetsomrade: 'LSS',
      inriktning: null,
      inriktningText: null,
      beslutsdatum: '2026-05-04',
      forhandsbesked: false,
      ersatterBeslutId: null,
      order: { enhetId: 'boende' },
    });
  });

  it('names each missing or wrong field by the path the server uses', () => {
    const insatser = insatsChoices('LSS', areasOf(vard));
    const errors = checkValues(
      {
        ...complete(),
        fornamn: '',
        personnummer: '19121212-1213',
        form: '',
        beslutsdatum: '2026-05-21',
        enhetId: '',
      },
      insatser,
      TODAY,
    );
    expect(Object.keys(errors).sort()).toEqual([
      'beslutsdatum',
      'form',
      'order.enhetId',
      'person.fornamn',
      'person.personnummer',
    ]);
    expect(errors.beslutsdatum).toBe('Beslutsdatum kan inte ligga i framtiden');
  });

  it('asks for birth date and kön when the person has no number, and sends them', () => {
    const values = { ...complete(), identitet: 'saknas' as const, personnummer: '' };
    const insatser = insatsChoices('LSS', areasOf(vard));
    expect(Object.keys(checkValues(values, insatser, TODAY)).sort()).toEqual([
      'person.fodelsedatum',
      'person.kon',
    ]);
    const filled = { ...values, fodelsedatum: '1990-03-04', kon: 'kvinna' as const };
    expect(checkValues(filled, insatser, TODAY)).toEqual({});
    expect(toRegisterInput(filled, insatser).person).toEqual({
      typ: 'saknas',
      fornamn: 'Ada',
      efternamn: 'Lind',
      skyddadIdentitet: false,
      fodelsedatum: '1990-03-04',
      kon: 'kvinna',
    });
  });

  it('sends the replaced decision’s person as an existing person, and no order when ordered later', () => {
    const values = {
      ...complete(),
      fornamn: '',
      ersatterBeslutId: 'old',
      personId: 'p1',
      bestallning: 'senare' as const,
    };
    const insatser = insatsChoices('LSS', areasOf(vard));
    expect(checkValues(values, insatser, TODAY)).toEqual({});
    const input = toRegisterInput(values, insatser);
    expect(input.person).toEqual({ typ: 'befintlig', personId: 'p1' });
    expect(input.ersatterBeslutId).toBe('old');
    expect(input).not.toHaveProperty('order');
  });

  it('requires the inriktning and its text for SoL FUNK', () => {
    const values = fill(vard, [
      ['fornamn', 'Ada'],
      ['efternamn', 'Lind'],
      ['identitet', 'personnummer'],
      ['personnummer', '19121212-1212'],
      ['lagrum', 'SoL'],
      ['insats', 'SOL_BOENDESTOD'],
      ['enhetId', 'hemtjanst'],
    ]);
    expect(values.verksamhetsomrade).toBe('SOL_FUNK');
    const insatser = insatsChoices('SoL', areasOf(vard));
    expect(Object.keys(checkValues(values, insatser, TODAY))).toEqual(['inriktning']);
    const ovrigt = applyChange(values, 'inriktning', 'OVRIGT', vard);
    expect(Object.keys(checkValues(ovrigt, insatser, TODAY))).toEqual(['inriktningText']);
    const done = applyChange(ovrigt, 'inriktningText', 'Förvärvad hjärnskada', vard);
    expect(checkValues(done, insatser, TODAY)).toEqual({});
    expect(toRegisterInput(done, insatser)).toMatchObject({
      inriktning: 'OVRIGT',
      inriktningText: 'Förvärvad hjärnskada',
      verksamhetsomrade: 'SOL_FUNK',
      order: { enhetId: 'hemtjanst' },
    });
  });

  it('sends extern only for LSS 9 § 8', () => {
    const values = applyChange(
      applyChange(complete(), 'insats', 'LSS_9_8', vard),
      'extern',
      true,
      vard,
    );
    const insatser = insatsChoices('LSS', areasOf(vard));
    expect(toRegisterInput(values, insatser).order).toEqual({ enhetId: 'boende', extern: true });
  });

  it('settles nothing without a nämnd', () => {
    const values = initialValues(ID, TODAY);
    expect(settle(values, null)).toBe(values);
  });
});
