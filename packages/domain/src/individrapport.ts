import { z } from 'zod';
import {
  EARLIEST_CASE_YEAR,
  formatSwedishDate,
  type IsoDate,
  isCaseDate,
  isIsoDate,
  LATEST_CASE_YEAR,
} from './calendar/dates';
import { findAvslutsanledning } from './codes/avslut';
import { findInsats } from './codes/insatser';
import { DEFAULT_REASON_CODE_LIST, findOrsak, type ReasonCodeList, SKAL_CODES } from './codes/skal';
import {
  inriktningarFor,
  needsInriktning,
  VERKSAMHETSOMRADE_CODES,
} from './codes/verksamhetsomraden';
import { isValidPersonnummer, ivoIdSex } from './identity';
import type { Episode } from './timeline';

/**
 * The most characters each text field of a draft may hold. IVO does not publish the e-tjänst's
 * limits; these follow evb's own: a name as a person or user is registered (200), a code (100), an
 * IVO number or personnummer with room to spare (20), and a free text as an event's text (4 000,
 * the "Övrigt" the prefill writes). Dates are `YYYY-MM-DD` and must be real days.
 */
export const INDIVIDRAPPORT_MAX_LENGTH = {
  namnd: 200,
  rapportor: 200,
  fornamn: 200,
  efternamn: 200,
  personnummer: 20,
  insats: 100,
  inriktning: 100,
  inriktningText: 4000,
  avslutAnledning: 100,
  orsak: 100,
  orsakText: 4000,
  delvisText: 4000,
  kompenserandeText: 4000,
  ovrigt: 4000,
  delvisKomplettering: 4000,
  kompenserandeKomplettering: 4000,
  ovrigtKomplettering: 4000,
} as const;
type LimitedField = keyof typeof INDIVIDRAPPORT_MAX_LENGTH;

/** The draft's date fields: each empty or a real day written `YYYY-MM-DD`. */
export const INDIVIDRAPPORT_DATE_FIELDS = [
  'drojsmalDatum',
  'statusDatum',
  'erbjudandedatum',
  'delvisDatum',
] as const;

const DATE_MESSAGE = 'Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD';
const YEAR_MESSAGE = `Ange ett datum mellan år ${EARLIEST_CASE_YEAR} och ${LATEST_CASE_YEAR}`;

/** 4000 → "4 000", as Swedish writes numbers. */
function swedishNumber(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** What a limited field holds, in the messages about its length. */
function whatOf(field: LimitedField): string {
  const max = INDIVIDRAPPORT_MAX_LENGTH[field];
  if (field === 'personnummer') return 'Numret';
  if (max === 100) return 'Koden';
  if (max === 200) return 'Namnet';
  return 'Texten';
}

/** The message for a value of `field` longer than its maximum. */
export function tooLongMessage(field: LimitedField): string {
  return `${whatOf(field)} får vara högst ${swedishNumber(INDIVIDRAPPORT_MAX_LENGTH[field])} tecken`;
}

const limitedText = (field: LimitedField) =>
  z
    .string({ error: 'Skriv en text' })
    .trim()
    .max(INDIVIDRAPPORT_MAX_LENGTH[field], { error: tooLongMessage(field) })
    .optional();
const draftDate = z
  .string({ error: DATE_MESSAGE })
  .trim()
  // One message a field: a check that fails stops the ones after it.
  .max(10, { error: DATE_MESSAGE, abort: true })
  .refine((value) => value === '' || isIsoDate(value), { error: DATE_MESSAGE, abort: true })
  .refine((value) => value === '' || isCaseDate(value), { error: YEAR_MESSAGE })
  .optional();
// Read back as stored: no limits (see StoredIndividrapportDraftSchema).
const anyText = () => z.string().trim().optional();

function draftSchema(
  text: (field: LimitedField) => ReturnType<typeof anyText>,
  date: typeof draftDate,
) {
  return z.object({
    // Tab 1: nämnd and verksamhetsområde
    namnd: text('namnd'),
    verksamhetsomrade: z.enum(VERKSAMHETSOMRADE_CODES).optional(),
    // Tab 2: rapportör, ny or åter
    rapportor: text('rapportor'),
    rapporttyp: z.enum(['ny', 'ater']).optional(),
    // Tab 3: individ
    fornamn: text('fornamn'),
    efternamn: text('efternamn'),
    personnummer: text('personnummer'),
    insats: text('insats'),
    inriktning: text('inriktning'),
    inriktningText: text('inriktningText'),
    anhorigMedEjVerkstalltBeslut: z.boolean().default(false),
    skyddadePersonuppgifter: z.boolean().default(false),
    saknarPersonnummer: z.boolean().default(false),
    // Tab 4: dröjsmål
    drojsmalAvser: z.enum(['beslut', 'avbrott']).optional(),
    drojsmalDatum: date,
    status: z.enum(['ej_verkstalld', 'verkstalld', 'avslutad']).optional(),
    statusDatum: date,
    avslutAnledning: text('avslutAnledning'),
    skal: z.enum(SKAL_CODES).optional(),
    orsak: text('orsak'),
    orsakText: text('orsakText'),
    erbjudandedatum: date,
    delvisVerkstalld: z.boolean().default(false),
    delvisDatum: date,
    delvisText: text('delvisText'),
    delvisKomplettering: text('delvisKomplettering'),
    kompenserandeInsats: z.boolean().default(false),
    kompenserandeText: text('kompenserandeText'),
    kompenserandeKomplettering: text('kompenserandeKomplettering'),
    ovrigt: text('ovrigt'),
    ovrigtKomplettering: text('ovrigtKomplettering'),
    covid19: z.boolean().default(false),
  });
}

/**
 * A draft individrapport: the fields of IVO's e-tjänst, tabs 1–4. Everything is optional here so a
 * half-filled draft can be kept; `validateIndividrapport` says what is missing before filing. Every
 * text has a maximum (INDIVIDRAPPORT_MAX_LENGTH) and every date must be a real day.
 */
export const IndividrapportDraftSchema = draftSchema(limitedText, draftDate);

/**
 * A draft as stored: the same fields without the limits, for reading drafts and filed copies kept
 * before the limits existed. What breaks them is shown as it is and reported by
 * `validateIndividrapport`, so such a report cannot be filed until it is corrected.
 */
export const StoredIndividrapportDraftSchema = draftSchema(anyText, anyText());

export type IndividrapportDraft = z.infer<typeof IndividrapportDraftSchema>;
export type IndividrapportField = keyof IndividrapportDraft;

export type Finding = { field: IndividrapportField; message: string };

export type IndividrapportContext = {
  /** The episode the report is about: dates must fall inside it. */
  episode?: Episode;
  /** The quarter's reference date: nothing reported may be later. */
  referenceDate?: IsoDate;
  /** What was filed at the previous report of this episode: its locked fields must not change. */
  previous?: IndividrapportDraft;
  reasons?: ReasonCodeList;
};

/** Why a free text filed before cannot be changed on an återrapportering. */
export const LOCKED_TEXT_MESSAGE =
  'Texten rapporterades tidigare och kan inte ändras: skriv det som har ändrats sedan dess i Komplettera-fältet under den';

/** Fields IVO locks on an återrapportering once they have been filed (seed 000, tab 3 and 4). */
export const LOCKED_ON_ATER: readonly IndividrapportField[] = [
  'verksamhetsomrade',
  'fornamn',
  'efternamn',
  'personnummer',
  'skyddadePersonuppgifter',
  'saknarPersonnummer',
  'insats',
  'inriktning',
  'inriktningText',
  'drojsmalAvser',
  'drojsmalDatum',
];

/**
 * The free texts the e-tjänst shows read-only on an återrapportering once they have been filed
 * (delvis verkställd, kompenserande insats, övrigt), each with the field under it that takes what
 * is new: "Komplettera med ytterligare information, om förändringar skett efter senaste
 * rapportering" (seed 000, tab 4; domain.md, "What IVO already has").
 */
export const KOMPLETTERING_OF = {
  delvisText: 'delvisKomplettering',
  kompenserandeText: 'kompenserandeKomplettering',
  ovrigt: 'ovrigtKomplettering',
} as const satisfies Partial<Record<IndividrapportField, IndividrapportField>>;
export type LockedText = keyof typeof KOMPLETTERING_OF;
export const LOCKED_TEXTS_ON_ATER = Object.keys(KOMPLETTERING_OF) as LockedText[];

/** The free texts of `previous` that are locked on an återrapportering built on it: those filed. */
export function lockedTextsOf(previous: Partial<IndividrapportDraft> | null | undefined) {
  return LOCKED_TEXTS_ON_ATER.filter((field) => (previous?.[field] ?? '').trim() !== '');
}

/**
 * Whether a field belongs in the report as filed: dependent fields only when they apply (the
 * e-tjänst shows them only then). The text, the PDF and the exports list these fields alone.
 */
export function individrapportFieldApplies(
  draft: IndividrapportDraft,
  field: IndividrapportField,
): boolean {
  switch (field) {
    case 'inriktning':
      return draft.verksamhetsomrade !== undefined && needsInriktning(draft.verksamhetsomrade);
    case 'inriktningText':
      return draft.inriktning === 'OVRIGT';
    case 'statusDatum':
      return draft.status !== undefined && draft.status !== 'ej_verkstalld';
    case 'avslutAnledning':
      return draft.status === 'avslutad';
    case 'orsakText':
    case 'erbjudandedatum':
      return draft[field] !== undefined && draft[field] !== '';
    case 'delvisDatum':
    case 'delvisText':
      return draft.delvisVerkstalld;
    case 'kompenserandeText':
      return draft.kompenserandeInsats;
    case 'delvisKomplettering':
      return draft.rapporttyp === 'ater' && draft.delvisVerkstalld;
    case 'kompenserandeKomplettering':
      return draft.rapporttyp === 'ater' && draft.kompenserandeInsats;
    case 'ovrigtKomplettering':
      return draft.rapporttyp === 'ater';
    default:
      return true;
  }
}

const LEADING_DATE = /^(\d{4}-\d{2}-\d{2})\b/;

/**
 * Checks a draft the way IVO's e-tjänst does before it accepts it, and against the episode it
 * reports. Every finding names the field it concerns; an empty list means it can be filed.
 */
export function validateIndividrapport(
  draft: IndividrapportDraft,
  context: IndividrapportContext = {},
): Finding[] {
  const findings: Finding[] = [];
  const add = (field: IndividrapportField, message: string) => findings.push({ field, message });
  const required = (field: IndividrapportField, message: string) => {
    const value = draft[field];
    if (value === undefined || value === '') add(field, message);
  };
  const reasons = context.reasons ?? DEFAULT_REASON_CODE_LIST;
  const { episode, referenceDate } = context;
  const lastDay = episode?.end?.date ?? referenceDate;

  // A draft saved before the limits may break them: shown as it is, it cannot be filed.
  for (const field of Object.keys(INDIVIDRAPPORT_MAX_LENGTH) as LimitedField[]) {
    const value = draft[field];
    const max = INDIVIDRAPPORT_MAX_LENGTH[field];
    if (
      typeof value === 'string' &&
      value.length > max &&
      individrapportFieldApplies(draft, field)
    ) {
      add(field, `${tooLongMessage(field)}; nu ${swedishNumber(value.length)}`);
    }
  }
  for (const field of INDIVIDRAPPORT_DATE_FIELDS) {
    const value = draft[field];
    if (value && !isCaseDate(value) && individrapportFieldApplies(draft, field)) {
      add(field, isIsoDate(value) ? YEAR_MESSAGE : DATE_MESSAGE);
    }
  }

  /** A date field: a real date, inside the episode and not after the reference date. */
  const dateInEpisode = (field: IndividrapportField, value: string | undefined, label: string) => {
    // A value that is no date was reported above.
    if (!value || !isCaseDate(value)) return;
    if (episode && value < episode.start) {
      add(
        field,
        `${label} (${formatSwedishDate(value)}) ligger före dröjsmålets början ${formatSwedishDate(episode.start)}`,
      );
    } else if (lastDay && value > lastDay) {
      add(
        field,
        `${label} (${formatSwedishDate(value)}) ligger efter ${formatSwedishDate(lastDay)}`,
      );
    }
  };

  // Tab 1 and 2
  required('namnd', 'Ange nämnd');
  required('verksamhetsomrade', 'Välj verksamhetsområde');
  required('rapportor', 'Ange rapportör');
  required('rapporttyp', 'Välj nyrapportering eller återrapportering');

  // Tab 3
  required('fornamn', 'Ange förnamn');
  required('efternamn', 'Ange efternamn');
  required('personnummer', 'Ange personnummer');
  if (draft.personnummer) {
    const fictiveAllowed = draft.skyddadePersonuppgifter || draft.saknarPersonnummer;
    if (fictiveAllowed) {
      if (!/^[0-9A-Za-zÅÄÖåäö-]+$/.test(draft.personnummer)) {
        add('personnummer', 'Numret får bara innehålla siffror, bokstäver och bindestreck');
      }
    } else if (!isValidPersonnummer(draft.personnummer) && ivoIdSex(draft.personnummer) === null) {
      add(
        'personnummer',
        'Ange ett giltigt personnummer (ÅÅÅÅMMDD-NNNN) eller IVO-nummer (ÅÅÅÅMMDD-T123)',
      );
    }
  }
  required('insats', 'Välj typ av bistånd eller insats');
  const insats = draft.insats ? findInsats(draft.insats) : undefined;
  if (draft.insats && !insats) add('insats', 'Okänd insats');
  if (
    insats &&
    draft.verksamhetsomrade &&
    !insats.verksamhetsomraden.includes(draft.verksamhetsomrade)
  ) {
    add('insats', `${insats.label} rapporteras inte under det valda verksamhetsområdet`);
  }
  if (draft.verksamhetsomrade && needsInriktning(draft.verksamhetsomrade)) {
    const choices = inriktningarFor(draft.verksamhetsomrade);
    const choice = choices.find((c) => c.code === draft.inriktning);
    if (!draft.inriktning) add('inriktning', 'Välj inriktning');
    else if (!choice) add('inriktning', 'Okänd inriktning för verksamhetsområdet');
    else if (choice.needsText && !draft.inriktningText) {
      add('inriktningText', 'Beskriv inriktningen när du väljer Övrigt');
    }
  }

  // Tab 4
  required('drojsmalAvser', 'Välj om dröjsmålet gäller ett beslut eller ett avbrott');
  required('drojsmalDatum', 'Ange datum för beslutet eller avbrottet');
  if (draft.drojsmalDatum && isCaseDate(draft.drojsmalDatum)) {
    if (episode && draft.drojsmalDatum !== episode.start) {
      add(
        'drojsmalDatum',
        `Datumet ska vara dröjsmålets början, ${formatSwedishDate(episode.start)}`,
      );
    }
  }
  if (episode && draft.drojsmalAvser && draft.drojsmalAvser !== episode.kind) {
    add(
      'drojsmalAvser',
      episode.kind === 'avbrott'
        ? 'Dröjsmålet gäller ett avbrott i verkställigheten'
        : 'Dröjsmålet gäller ett gynnande beslut',
    );
  }

  required('status', 'Ange om beslutet är verkställt, inte verkställt eller avslutat');
  if (draft.status && draft.status !== 'ej_verkstalld') {
    const label = draft.status === 'verkstalld' ? 'Verkställighetsdatum' : 'Avslutsdatum';
    required('statusDatum', `Ange ${label.toLowerCase()}`);
    dateInEpisode('statusDatum', draft.statusDatum, label);
    if (draft.status === 'avslutad') {
      const anledning = draft.avslutAnledning
        ? findAvslutsanledning(draft.avslutAnledning)
        : undefined;
      if (!anledning) add('avslutAnledning', 'Ange anledning till att beslutet avslutades');
    }
  }
  if (episode?.end && draft.status && draft.status !== 'ej_verkstalld') {
    if (draft.status !== episode.end.type || draft.statusDatum !== episode.end.date) {
      add(
        'status',
        `Enligt ärendet blev beslutet ${episode.end.type === 'verkstalld' ? 'verkställt' : 'avslutat'} ${formatSwedishDate(episode.end.date)}`,
      );
    }
  }

  required('skal', 'Välj ett huvudsakligt skäl');
  required('orsak', 'Välj en orsak');
  if (draft.skal && draft.orsak) {
    const orsak = findOrsak(draft.skal, draft.orsak, reasons);
    if (!orsak) {
      add('orsak', 'Orsaken hör inte till det valda huvudsakliga skälet');
    } else {
      if (orsak.needsText && !draft.orsakText) {
        add('orsakText', `Ange innebörden av "${orsak.label}" i fritext`);
      }
      if (orsak.needsOfferDate) {
        required('erbjudandedatum', 'Ange datum för erbjudandet som den enskilde tackade nej till');
        dateInEpisode('erbjudandedatum', draft.erbjudandedatum, 'Erbjudandedatum');
      }
    }
  }

  if (draft.delvisVerkstalld) {
    required('delvisDatum', 'Ange datum för den delvisa verkställigheten');
    dateInEpisode('delvisDatum', draft.delvisDatum, 'Datum för delvis verkställighet');
    required('delvisText', 'Beskriv hur insatsen delvis har verkställts, t.ex. "2 av 5 timmar"');
  }
  if (draft.kompenserandeInsats) {
    required('kompenserandeText', 'Beskriv den kompenserande insatsen');
    if (draft.kompenserandeText) {
      const date = LEADING_DATE.exec(draft.kompenserandeText)?.[1];
      if (!date || !isIsoDate(date)) {
        add(
          'kompenserandeText',
          'Inled texten med datumet då den kompenserande insatsen började, t.ex. "2026-03-01 Utökad hemtjänst …"',
        );
      } else {
        dateInEpisode('kompenserandeText', date, 'Den kompenserande insatsens startdatum');
      }
    }
  }

  // Locked once filed
  const previous = context.previous;
  if (previous) {
    if (previous.covid19 && !draft.covid19) {
      add('covid19', 'Covid-19-markeringen har rapporterats tidigare och kan inte tas bort');
    }
    if (draft.rapporttyp === 'ater') {
      for (const field of LOCKED_ON_ATER) {
        if ((previous[field] ?? '') !== (draft[field] ?? '')) {
          add(field, 'Fältet är låst vid återrapportering: det rapporterades tidigare');
        }
      }
      for (const field of lockedTextsOf(previous)) {
        if ((previous[field] ?? '') !== (draft[field] ?? '')) {
          add(field, LOCKED_TEXT_MESSAGE);
        }
      }
    }
  }
  return findings;
}
