import {
  birthDateOfPersonnummer,
  DecisionSchema,
  defaultOrderRecipient,
  findInsats,
  INSATSER,
  type Insats,
  inriktningarFor,
  isIsoDate,
  isSamordningsnummer,
  isValidPersonnummer,
  type Lagrum,
  needsInriktning,
  VERKSAMHETSOMRADEN,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import type { RouterInputs } from '../api/client';

/*
 * The register-decision form's values and the choices each field offers, built from the domain's
 * code lists: which insatser a lagrum and a nämnd's verksamhetsområden allow, the forms of 9 § 6 and
 * 9 § 9, the verksamhetsområden an insats is reported under, and where its order goes by default.
 * Kept apart from the screen so the rules of the form can be tested on their own.
 */

export type IdentityKind = 'personnummer' | 'samordningsnummer' | 'saknas';

/** Everything typed into the form; saved as the draft on every change. */
export type RegisterValues = {
  /** The client's UUID v7 for the decision: a retry registers it once. */
  id: string;
  namndId: string;
  /** The decision this one replaces; the person is then that decision's. */
  ersatterBeslutId: string;
  /** The replaced decision's person (sent as an existing person). */
  personId: string;
  fornamn: string;
  efternamn: string;
  identitet: '' | IdentityKind;
  personnummer: string;
  fodelsedatum: string;
  kon: '' | 'kvinna' | 'man';
  skyddadIdentitet: boolean;
  lagrum: '' | Lagrum;
  /** The chosen insats; for 9 § 6 and 9 § 9 the paragraph's generic code until a form is chosen. */
  insats: string;
  /** The form of a 9 § 6 / 9 § 9 insats (one of the paragraph's codes). */
  form: string;
  verksamhetsomrade: string;
  inriktning: string;
  inriktningText: string;
  beslutsdatum: string;
  forhandsbesked: boolean;
  bestallning: 'nu' | 'senare';
  enhetId: string;
  /** The enhet is the default for the insats until the user picks one. */
  enhetAuto: boolean;
  /** LSS 9 § 8 carried out externally. */
  extern: boolean;
};

export type RegisterInput = RouterInputs['decisions']['register'];

export type NamndChoice = {
  id: string;
  namn: string;
  mayRegister: boolean;
  verksamhetsomraden: { code: string; label: string }[];
  enheter: { id: string; namn: string; typ: string }[];
};

export function initialValues(id: string, today: string): RegisterValues {
  return {
    id,
    namndId: '',
    ersatterBeslutId: '',
    personId: '',
    fornamn: '',
    efternamn: '',
    identitet: '',
    personnummer: '',
    fodelsedatum: '',
    kon: '',
    skyddadIdentitet: false,
    lagrum: '',
    insats: '',
    form: '',
    verksamhetsomrade: '',
    inriktning: '',
    inriktningText: '',
    beslutsdatum: today,
    forhandsbesked: false,
    bestallning: 'nu',
    enhetId: '',
    enhetAuto: true,
    extern: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Choices

/** The lagrum the nämnd can report under: those of its verksamhetsområden. */
export function lagrumChoices(areas: readonly string[]): Lagrum[] {
  return (['SoL', 'LSS'] as const).filter((l) =>
    VERKSAMHETSOMRADEN.some((v) => v.lagrum === l && areas.includes(v.code)),
  );
}

/** One line of the insats list; `forms` is non-empty for 9 § 6 and 9 § 9. */
export type InsatsChoice = {
  code: string;
  label: string;
  forms: { code: string; label: string }[];
};

const GENERIC_SUFFIX = /\s*\(formen är inte känd\)$/i;

function insatsName(insats: Insats): string {
  const label = insats.formUnknown ? insats.label.replace(GENERIC_SUFFIX, '') : insats.label;
  return insats.lssParagraph === null ? label : `9 § ${insats.lssParagraph} ${label}`;
}

/**
 * The insatser granted under `lagrum` that the nämnd reports under one of its verksamhetsområden.
 * A paragraph with known forms (9 § 6, 9 § 9) is one line whose forms are chosen next, the generic
 * code ("formen är inte känd") last.
 */
export function insatsChoices(lagrum: Lagrum | '', areas: readonly string[]): InsatsChoice[] {
  if (!lagrum) return [];
  const usable = INSATSER.filter(
    (i) => i.lagrum === lagrum && i.verksamhetsomraden.some((a) => areas.includes(a)),
  );
  const withForms = new Set(
    usable.filter((i) => i.formUnknown).map((i) => i.lssParagraph as number),
  );
  const choices: InsatsChoice[] = [];
  for (const insats of usable) {
    const paragraph = insats.lssParagraph;
    if (paragraph !== null && withForms.has(paragraph)) {
      if (!insats.formUnknown) continue;
      const forms = usable.filter((i) => i.lssParagraph === paragraph && !i.formUnknown);
      choices.push({
        code: insats.code,
        label: insatsName(insats),
        forms: [
          ...forms.map((f) => ({ code: f.code, label: f.label })),
          { code: insats.code, label: 'Formen är inte känd' },
        ],
      });
    } else {
      choices.push({ code: insats.code, label: insatsName(insats), forms: [] });
    }
  }
  return choices;
}

/** The insats the decision grants: the chosen form where the insats has forms. */
export function chosenInsats(values: RegisterValues, choices: readonly InsatsChoice[]): string {
  const choice = choices.find((c) => c.code === values.insats);
  if (!choice) return '';
  return choice.forms.length > 0 ? values.form : choice.code;
}

/** The verksamhetsområden the insats is reported under that the nämnd has, the usual one first. */
export function areaChoices(
  insatsCode: string,
  areas: readonly string[],
): { code: Verksamhetsomrade; label: string }[] {
  const insats = findInsats(insatsCode);
  if (!insats) return [];
  return insats.verksamhetsomraden
    .filter((a) => areas.includes(a))
    .map((code) => ({ code, label: verksamhetsomradeLabel(code) }));
}

/** The nämnd's enhet that an order for the insats goes to by default, when there is exactly one. */
export function defaultEnhetId(
  insatsCode: string,
  extern: boolean,
  enheter: readonly { id: string; typ: string }[],
): string {
  if (!insatsCode) return '';
  const kind = defaultOrderRecipient(insatsCode, extern);
  const candidates = enheter.filter((e) => e.typ === kind);
  return candidates.length === 1 ? candidates[0]!.id : '';
}

export function isLss8(insatsCode: string): boolean {
  return findInsats(insatsCode)?.lssParagraph === 8;
}

// ---------------------------------------------------------------------------------------------
// Changes

/**
 * The values after one field changed: choices that no longer fit are cleared, the only possible
 * choice and the usual verksamhetsområde are preselected, and the order's recipient follows the
 * insats until the user picks one.
 */
export function applyChange(
  values: RegisterValues,
  name: keyof RegisterValues,
  value: string | boolean,
  namnd: NamndChoice | null,
): RegisterValues {
  const next = { ...values, [name]: value } as RegisterValues;
  if (name === 'namndId') next.ersatterBeslutId = next.personId = '';
  if (name === 'ersatterBeslutId' && !value) next.personId = '';
  if (name === 'lagrum') next.insats = '';
  if (name === 'insats') {
    next.form = '';
    next.verksamhetsomrade = '';
  }
  if (name === 'verksamhetsomrade') next.inriktning = next.inriktningText = '';
  if (name === 'enhetId') next.enhetAuto = false;
  return settle(next, namnd);
}

/** Makes the values consistent with the nämnd's choices (see applyChange). */
export function settle(values: RegisterValues, namnd: NamndChoice | null): RegisterValues {
  if (!namnd) return values;
  const next = { ...values };
  const areas = namnd.verksamhetsomraden.map((a) => a.code);
  const lagrum = lagrumChoices(areas);
  if (next.lagrum && !lagrum.includes(next.lagrum)) next.lagrum = '';
  if (!next.lagrum && lagrum.length === 1) next.lagrum = lagrum[0]!;
  const insatser = insatsChoices(next.lagrum, areas);
  const choice = insatser.find((c) => c.code === next.insats);
  if (!choice) next.insats = '';
  if (!choice?.forms.some((f) => f.code === next.form)) next.form = '';
  const insats = chosenInsats(next, insatser) || next.insats;
  const possibleAreas = areaChoices(insats, areas);
  if (!possibleAreas.some((a) => a.code === next.verksamhetsomrade)) {
    next.verksamhetsomrade = possibleAreas[0]?.code ?? '';
  }
  const area = next.verksamhetsomrade as Verksamhetsomrade;
  const inriktningar = next.verksamhetsomrade ? inriktningarFor(area) : [];
  const inriktning = inriktningar.find((i) => i.code === next.inriktning);
  if (!inriktning) next.inriktning = '';
  if (!inriktning?.needsText) next.inriktningText = '';
  if (!isLss8(insats)) next.extern = false;
  if (next.enhetAuto) next.enhetId = defaultEnhetId(insats, next.extern, namnd.enheter);
  if (next.enhetId && !namnd.enheter.some((e) => e.id === next.enhetId)) {
    next.enhetId = '';
    next.enhetAuto = true;
  }
  return next;
}

// ---------------------------------------------------------------------------------------------
// Personnummer

/** `YYYYMMDD-NNNN` when the text is twelve digits (spaces and a dash allowed), else as typed. */
export function tidyPersonnummer(text: string): string {
  const digits = text.replace(/[\s-]/g, '');
  return /^\d{12}$/.test(digits) ? `${digits.slice(0, 8)}-${digits.slice(8)}` : text.trim();
}

/** Why the number is not right for the kind of identity, or null when it is. */
export function personnummerProblem(kind: IdentityKind, text: string): string | null {
  if (kind === 'saknas') return null;
  const what = kind === 'personnummer' ? 'personnummer' : 'samordningsnummer';
  const value = tidyPersonnummer(text);
  if (!value) return `Ange ${what}`;
  if (/^\d{6}-?\d{4}$/.test(value)) return `Ange alla tolv siffror: ÅÅÅÅMMDD-NNNN`;
  if (!isValidPersonnummer(value)) {
    return `Ogiltigt ${what}: ange ÅÅÅÅMMDD-NNNN med rätt kontrollsiffra`;
  }
  if (isSamordningsnummer(value) !== (kind === 'samordningsnummer')) {
    return kind === 'personnummer'
      ? 'Numret är ett samordningsnummer; välj samordningsnummer'
      : 'Numret är inget samordningsnummer (födelsedagen ska vara ökad med 60)';
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Checks and the input

/**
 * The checks that need no server, with the server's field paths as keys: what is missing, an
 * invalid personnummer, dates in the future, and the domain's own decision schema.
 */
export function checkValues(
  values: RegisterValues,
  insatser: readonly InsatsChoice[],
  today: string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const set = (path: string, message: string) => {
    errors[path] ??= message;
  };
  if (!values.namndId) set('namndId', 'Välj nämnd');
  if (!values.ersatterBeslutId) {
    if (!values.fornamn.trim()) set('person.fornamn', 'Skriv förnamn');
    if (!values.efternamn.trim()) set('person.efternamn', 'Skriv efternamn');
    if (!values.identitet) {
      set('person.typ', 'Välj personnummer, samordningsnummer eller saknas');
    } else if (values.identitet === 'saknas') {
      if (!isIsoDate(values.fodelsedatum)) {
        set('person.fodelsedatum', 'Ange födelsedatum (ÅÅÅÅ-MM-DD)');
      } else if (values.fodelsedatum > today) {
        set('person.fodelsedatum', 'Födelsedatum kan inte ligga i framtiden');
      }
      if (!values.kon) set('person.kon', 'Välj kön: kvinna eller man');
    } else {
      const problem = personnummerProblem(values.identitet, values.personnummer);
      if (problem) set('person.personnummer', problem);
      const born = birthDateOfPersonnummer(tidyPersonnummer(values.personnummer));
      if (!problem && born && born > today) {
        set('person.personnummer', 'Födelsedatumet i numret ligger i framtiden');
      }
    }
  }
  if (!values.lagrum) set('lagrum', 'Välj lagrum: SoL eller LSS');
  const choice = insatser.find((c) => c.code === values.insats);
  if (!choice) set('insats', 'Välj insats');
  else if (choice.forms.length > 0 && !values.form) {
    set('form', 'Välj form, eller ”Formen är inte känd”');
  }
  const insats = chosenInsats(values, insatser);
  if (insats && !values.verksamhetsomrade) set('verksamhetsomrade', 'Välj verksamhetsområde');
  if (values.verksamhetsomrade && needsInriktning(values.verksamhetsomrade as Verksamhetsomrade)) {
    const inriktning = inriktningarFor(values.verksamhetsomrade as Verksamhetsomrade).find(
      (i) => i.code === values.inriktning,
    );
    if (!inriktning) set('inriktning', 'Välj inriktning');
    else if (inriktning.needsText && !values.inriktningText.trim()) {
      set('inriktningText', `Beskriv inriktningen (”${inriktning.label}” kräver en förklaring)`);
    }
  }
  if (!isIsoDate(values.beslutsdatum)) set('beslutsdatum', 'Ange beslutsdatum (ÅÅÅÅ-MM-DD)');
  else if (values.beslutsdatum > today)
    set('beslutsdatum', 'Beslutsdatum kan inte ligga i framtiden');
  if (values.bestallning === 'nu' && !values.enhetId) {
    set('order.enhetId', 'Välj enhet eller team, eller välj att beställa senare');
  }
  if (values.lagrum && insats && isIsoDate(values.beslutsdatum)) {
    const decision = DecisionSchema.safeParse({
      id: values.id,
      lagrum: values.lagrum,
      insats,
      beslutsdatum: values.beslutsdatum,
      forhandsbesked: values.forhandsbesked,
      ersatterBeslutId: values.ersatterBeslutId || null,
    });
    if (!decision.success) {
      for (const issue of decision.error.issues) set(issue.path.join('.'), issue.message);
    }
  }
  return errors;
}

/** The input of decisions.register; call after checkValues found nothing. */
export function toRegisterInput(
  values: RegisterValues,
  insatser: readonly InsatsChoice[],
): RegisterInput {
  const insats = chosenInsats(values, insatser);
  const area = values.verksamhetsomrade as Verksamhetsomrade;
  const inriktning = needsInriktning(area)
    ? inriktningarFor(area).find((i) => i.code === values.inriktning)
    : undefined;
  const newPerson = {
    fornamn: values.fornamn.trim(),
    efternamn: values.efternamn.trim(),
    skyddadIdentitet: values.skyddadIdentitet,
  };
  let person: RegisterInput['person'];
  if (values.ersatterBeslutId && values.personId) {
    person = { typ: 'befintlig', personId: values.personId };
  } else if (values.identitet === 'saknas') {
    person = {
      typ: 'saknas',
      ...newPerson,
      fodelsedatum: values.fodelsedatum,
      kon: values.kon as 'kvinna' | 'man',
    };
  } else {
    person = {
      typ: values.identitet as 'personnummer' | 'samordningsnummer',
      ...newPerson,
      personnummer: tidyPersonnummer(values.personnummer),
    };
  }
  return {
    id: values.id,
    namndId: values.namndId,
    person,
    lagrum: values.lagrum as Lagrum,
    insats,
    verksamhetsomrade: area,
    inriktning: inriktning?.code ?? null,
    inriktningText: inriktning?.needsText ? values.inriktningText.trim() : null,
    beslutsdatum: values.beslutsdatum,
    forhandsbesked: values.forhandsbesked,
    ersatterBeslutId: values.ersatterBeslutId || null,
    ...(values.bestallning === 'nu'
      ? { order: { enhetId: values.enhetId, ...(isLss8(insats) ? { extern: values.extern } : {}) } }
      : {}),
  };
}
