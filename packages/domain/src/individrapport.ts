import { z } from 'zod';
import { type IsoDate, isIsoDate } from './calendar/dates';
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
 * A draft individrapport: the fields of IVO's e-tjänst, tabs 1–4. Everything is optional here so a
 * half-filled draft can be kept; `validateIndividrapport` says what is missing before filing.
 */
export const IndividrapportDraftSchema = z.object({
  // Tab 1: nämnd and verksamhetsområde
  namnd: z.string().trim().optional(),
  verksamhetsomrade: z.enum(VERKSAMHETSOMRADE_CODES).optional(),
  // Tab 2: rapportör, ny or åter
  rapportor: z.string().trim().optional(),
  rapporttyp: z.enum(['ny', 'ater']).optional(),
  // Tab 3: individ
  fornamn: z.string().trim().optional(),
  efternamn: z.string().trim().optional(),
  personnummer: z.string().trim().optional(),
  insats: z.string().optional(),
  inriktning: z.string().optional(),
  inriktningText: z.string().trim().optional(),
  anhorigMedEjVerkstalltBeslut: z.boolean().default(false),
  skyddadePersonuppgifter: z.boolean().default(false),
  saknarPersonnummer: z.boolean().default(false),
  // Tab 4: dröjsmål
  drojsmalAvser: z.enum(['beslut', 'avbrott']).optional(),
  drojsmalDatum: z.string().optional(),
  status: z.enum(['ej_verkstalld', 'verkstalld', 'avslutad']).optional(),
  statusDatum: z.string().optional(),
  avslutAnledning: z.string().optional(),
  skal: z.enum(SKAL_CODES).optional(),
  orsak: z.string().optional(),
  orsakText: z.string().trim().optional(),
  erbjudandedatum: z.string().optional(),
  delvisVerkstalld: z.boolean().default(false),
  delvisDatum: z.string().optional(),
  delvisText: z.string().trim().optional(),
  kompenserandeInsats: z.boolean().default(false),
  kompenserandeText: z.string().trim().optional(),
  ovrigt: z.string().trim().max(4000).optional(),
  covid19: z.boolean().default(false),
});
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

  /** A date field: a real date, inside the episode and not after the reference date. */
  const dateInEpisode = (field: IndividrapportField, value: string | undefined, label: string) => {
    if (!value) return;
    if (!isIsoDate(value)) return add(field, `${label} måste vara ett datum i formen ÅÅÅÅ-MM-DD`);
    if (episode && value < episode.start) {
      add(field, `${label} (${value}) ligger före dröjsmålets början ${episode.start}`);
    } else if (lastDay && value > lastDay) {
      add(field, `${label} (${value}) ligger efter ${lastDay}`);
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
  if (draft.drojsmalDatum) {
    if (!isIsoDate(draft.drojsmalDatum)) {
      add('drojsmalDatum', 'Datumet måste vara i formen ÅÅÅÅ-MM-DD');
    } else if (episode && draft.drojsmalDatum !== episode.start) {
      add('drojsmalDatum', `Datumet ska vara dröjsmålets början, ${episode.start}`);
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
        `Enligt ärendet blev beslutet ${episode.end.type === 'verkstalld' ? 'verkställt' : 'avslutat'} ${episode.end.date}`,
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
    }
  }
  return findings;
}
