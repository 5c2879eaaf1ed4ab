import { z } from 'zod';
import { addDays, type IsoDate, maxDate, minDate } from './calendar/dates';
import { type Quarter, quarterBounds } from './calendar/quarters';
import { findAvslutsanledning } from './codes/avslut';
import { findInsats } from './codes/insatser';
import {
  DEFAULT_REASON_CODE_LIST,
  findOrsak,
  type ReasonCodeList,
  type Skal,
  skalLabel,
} from './codes/skal';
import {
  inriktningarFor,
  needsInriktning,
  VERKSAMHETSOMRADE_CODES,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from './codes/verksamhetsomraden';
import { formatPersonnummer, isValidPersonnummer } from './identity';
import {
  INDIVIDRAPPORT_MAX_LENGTH,
  type IndividrapportContext,
  type IndividrapportDraft,
  IndividrapportDraftSchema,
  type IndividrapportField,
  individrapportFieldApplies,
  KOMPLETTERING_OF,
  LOCKED_ON_ATER,
  LOCKED_TEXT_MESSAGE,
  LOCKED_TEXTS_ON_ATER,
  type LockedText,
  lockedTextsOf,
} from './individrapport';
import type { ReportLine } from './quarter-report';
import type { CaseEvent, CaseEventOf, Decision } from './schemas';
import { type Episode, episodes, sortEvents } from './timeline';
import { withoutVoided } from './voided';

/*
 * The individrapport of one report line, prefilled from what the system knows (issue 5: "filing
 * is a review, not a typing job"), the fields the e-tjänst locks, and the report as plain text.
 *
 * Rules written down here because domain.md leaves them open:
 *
 * Tab 3, identity (seed 000 tab 3, seed 002, domain.md "IVO identity"):
 * - A person with a personnummer is reported by name and personnummer (`YYYYMMDD-NNNN`), as seed
 *   000 asks ("förnamn, efternamn och personnummer").
 * - Skyddade personuppgifter: the box is ticked, the name is the fictive FICTIVE_NAME and the number
 *   the person's IVO pseudo-id (`YYYYMMDD-T123`), which the system minted once and keeps, so every
 *   report of the person carries the same fictive identity as seed 000 demands; `ovrigt` opens with
 *   a sentence saying the identity is protected (seed 002: "Skriv tydligt i informationsrutan").
 *   "Saknar personnummer" is ticked too when the person has none, as that is also true.
 * - A samordningsnummer: "saknar personnummer" is ticked and the samordningsnummer given ("ange ett
 *   befintligt … samordningsnummer", seed 000), with the real name.
 * - No number at all: "saknar personnummer" is ticked and the IVO pseudo-id given (the fictive
 *   number seed 000 asks for, in the form seed 002 prescribes), with the real name.
 *
 * Tab 4, dröjsmål:
 * - The episode gives drojsmalAvser and its date; the line gives status and its date, and the
 *   closing event its anledning.
 * - Skäl and orsak: the latest reason logged in the episode up to the reference date — a `skal`
 *   event, or a `tackat_nej` event (skäl "Den enskilde har tackat nej", its orsak and offer date).
 *   On an återrapportering the previous filing's skäl and orsak "ligger för omval" (seed 000): they
 *   stay unless a reason was logged after that filing's reference date. The offer date of a
 *   tackat-nej skäl is the reason's own (both a refusal and a skäl "tackat nej" carry it), else
 *   that of the latest refusal (a skäl logged before the date was required, without a refusal
 *   event: the date of the latest offer before it). An orsak's free text is the reason event's text
 *   when the orsak needs one; otherwise that text goes into `ovrigt`.
 * - Delvis verkställd and kompenserande insats: the latest such event in the episode up to the
 *   reference date (they describe a state that lasts); the compensatory text begins with the date
 *   it started. Without such an event, what was filed before stays.
 * - `ovrigt`: the timeline since the previous filing's reference date (on a first report, since the
 *   episode began) up to the reference date: interruption, offers, refusals, reasons with text,
 *   follow-up calls and summaries, oldest first, one dated Swedish sentence each. A call that
 *   offered korttidsvistelse on a korttidsenhet while a stödfamilj is sought says so (seed 001). A first report of
 *   a decision that replaced one never executed says so (domain.md, "Quarters"). When it does not
 *   fit in 4 000 characters the oldest entries give way to a sentence saying so.
 * - Anhörig med ej verkställt beslut is not known to the system: it is what was filed before.
 * - Covid-19: true once filed, never unset.
 *
 * Locked fields: on an återrapportering with a previous filing, LOCKED_ON_ATER come from that
 * filing unchanged (the e-tjänst shows them "låst och förifylld"), and Covid-19 once filed. The
 * line's own facts (ny or åter, decision or interruption and its date) are locked on every line:
 * the domain decides them, and validation refuses anything else.
 */

/** The name a person with skyddade personuppgifter is reported under, on every report. */
export const FICTIVE_NAME = { fornamn: 'Skyddad', efternamn: 'Identitet' } as const;

/** The person the report is about, as the system stores them. */
export type IndividrapportPerson = {
  fornamn: string;
  efternamn: string;
  /** 12 digits, with or without the dash; null when the person has none. */
  personnummer: string | null;
  identitet: 'personnummer' | 'samordningsnummer' | 'saknas';
  skyddadIdentitet: boolean;
  /** The IVO pseudo-id, minted once for the person (`YYYYMMDD-T123`). */
  ivoId: string;
};

/** The decision as the report needs it: the domain's decision plus where it is reported. */
export type IndividrapportDecision = Decision & {
  verksamhetsomrade: string;
  inriktning?: string | null;
  inriktningText?: string | null;
};

/** A filing of the same episode in an earlier quarter: what was filed, and for which quarter. */
export type PreviousFiling = { quarter: Quarter; draft: IndividrapportDraft };

export type IndividrapportPrefillInput = {
  /** The quarter the line belongs to; its last day is the reference date. */
  quarter: Quarter;
  /** The line, from `quarterReport(decision, events, quarter)`. */
  line: ReportLine;
  decision: IndividrapportDecision;
  person: IndividrapportPerson;
  /** The nämnd's name (tab 1). */
  namnd: string;
  /** The name of the rapportör who files (tab 2). */
  rapportor: string;
  /** Every event of the decision; only those in the line's episode up to the reference date count. */
  events: readonly CaseEvent[];
  /** The last filing of the same episode in an earlier quarter, if any. */
  previous?: PreviousFiling | null;
  /** The decision this one replaced (`ersatterBeslutId`) and its events, when there is one. */
  replaced?: { decision: Decision; events: readonly CaseEvent[] } | null;
  reasons?: ReasonCodeList;
};

const OVRIGT_MAX = INDIVIDRAPPORT_MAX_LENGTH.ovrigt;
const LEADING_DATE = /^\d{4}-\d{2}-\d{2}\b/;

/** Tab 3's identity fields for a person (see the rules at the top of this file). */
export function individrapportIdentity(
  person: IndividrapportPerson,
): Pick<
  IndividrapportDraft,
  'fornamn' | 'efternamn' | 'personnummer' | 'skyddadePersonuppgifter' | 'saknarPersonnummer'
> {
  const realNumber =
    person.identitet !== 'saknas' &&
    person.personnummer !== null &&
    isValidPersonnummer(person.personnummer)
      ? formatPersonnummer(person.personnummer)
      : null;
  const saknarPersonnummer = person.identitet !== 'personnummer' || realNumber === null;
  if (person.skyddadIdentitet) {
    return {
      ...FICTIVE_NAME,
      personnummer: person.ivoId,
      skyddadePersonuppgifter: true,
      saknarPersonnummer,
    };
  }
  return {
    fornamn: person.fornamn,
    efternamn: person.efternamn,
    personnummer: realNumber ?? person.ivoId,
    skyddadePersonuppgifter: false,
    saknarPersonnummer,
  };
}

/** The episode as it stood on the reference date: an end after that day has not happened yet. */
export function episodeAsOf(episode: Episode, referenceDate: IsoDate): Episode {
  return episode.end && episode.end.date > referenceDate
    ? { kind: episode.kind, start: episode.start }
    : episode;
}

/**
 * The context `validateIndividrapport` needs for a line: its episode as of the quarter's
 * reference date, that date, and the previous filing's draft.
 */
export function individrapportContextFor(
  line: Pick<ReportLine, 'episode'>,
  quarter: Quarter,
  previous?: PreviousFiling | null,
  reasons?: ReasonCodeList,
): IndividrapportContext {
  const referenceDate = quarterBounds(quarter).end;
  return {
    episode: episodeAsOf(line.episode, referenceDate),
    referenceDate,
    ...(previous ? { previous: previous.draft } : {}),
    ...(reasons ? { reasons } : {}),
  };
}

/** The fields a line always takes from the domain: which report, and what the delay concerns. */
const LINE_FACTS: readonly IndividrapportField[] = ['rapporttyp', 'drojsmalAvser', 'drojsmalDatum'];

/**
 * The fields the UI must lock for a line: the line's own facts always; on an återrapportering
 * with a previous filing, the fields IVO locks (LOCKED_ON_ATER); and the Covid-19 box once it
 * was filed as true. `previous` is the draft of the previous filing of the same episode.
 */
export function lockedFields(
  line: Pick<ReportLine, 'report'>,
  previous?: IndividrapportDraft | null,
): IndividrapportField[] {
  const locked = new Set<IndividrapportField>(LINE_FACTS);
  if (previous && line.report === 'ater') {
    for (const field of LOCKED_ON_ATER) locked.add(field);
    for (const field of lockedTextsOf(previous)) locked.add(field);
  }
  if (previous?.covid19) locked.add('covid19');
  // In the order of the e-tjänst's form.
  return INDIVIDRAPPORT_TABS.flatMap((t) => t.fields).filter((field) => locked.has(field));
}

/** Why a locked field cannot be changed, in Swedish. */
export function lockedFieldMessage(field: IndividrapportField): string {
  if (field === 'covid19') {
    return 'Covid-19-markeringen har rapporterats tidigare och kan inte tas bort';
  }
  if (LINE_FACTS.includes(field)) {
    return 'Fältet följer av rapportraden och kan inte ändras';
  }
  if ((LOCKED_TEXTS_ON_ATER as readonly IndividrapportField[]).includes(field)) {
    return LOCKED_TEXT_MESSAGE;
  }
  return 'Fältet är låst vid återrapportering: det rapporterades tidigare';
}

/**
 * The changes to locked fields among `edits`: each locked field whose edited value differs from
 * the prefilled one, with the reason it is locked. Empty when the edits may be kept.
 */
export function lockedFieldViolations(
  edits: Partial<IndividrapportDraft>,
  prefill: IndividrapportDraft,
  locked: readonly IndividrapportField[],
): { field: IndividrapportField; message: string }[] {
  return locked
    .filter((field) => field in edits && edits[field] !== undefined)
    .filter((field) => (edits[field] ?? '') !== (prefill[field] ?? ''))
    .map((field) => ({ field, message: lockedFieldMessage(field) }));
}

/**
 * What a rapportör may send as changes to a report: any of the draft's fields, none required, and
 * no defaults (a field left out is no change). Unknown keys are dropped.
 */
export const IndividrapportEditsSchema = IndividrapportDraftSchema.extend({
  verksamhetsomrade: z
    .enum(VERKSAMHETSOMRADE_CODES, { error: 'Välj verksamhetsområde' })
    .optional(),
  anhorigMedEjVerkstalltBeslut: z.boolean({ error: 'Ange ja eller nej' }).optional(),
  skyddadePersonuppgifter: z.boolean({ error: 'Ange ja eller nej' }).optional(),
  saknarPersonnummer: z.boolean({ error: 'Ange ja eller nej' }).optional(),
  delvisVerkstalld: z.boolean({ error: 'Ange ja eller nej' }).optional(),
  kompenserandeInsats: z.boolean({ error: 'Ange ja eller nej' }).optional(),
  covid19: z.boolean({ error: 'Ange ja eller nej' }).optional(),
  ovrigt: IndividrapportDraftSchema.shape.ovrigt,
});
export type IndividrapportEdits = z.infer<typeof IndividrapportEditsSchema>;

/**
 * The report as it will be filed: the prefill with the rapportör's edits over it, except the
 * locked fields, which always keep the prefilled value.
 */
export function applyIndividrapportEdits(
  prefill: IndividrapportDraft,
  edits: Partial<IndividrapportDraft>,
  locked: readonly IndividrapportField[],
): IndividrapportDraft {
  const draft: Record<string, unknown> = { ...prefill };
  for (const [field, value] of Object.entries(edits)) {
    if (value === undefined || locked.includes(field as IndividrapportField)) continue;
    draft[field] = value;
  }
  return draft as IndividrapportDraft;
}

/**
 * The edits worth keeping: those that differ from the prefill. A field set back to the prefilled
 * value follows the case again (a new event may change it).
 */
export function effectiveEdits(
  prefill: IndividrapportDraft,
  edits: Partial<IndividrapportDraft>,
): Partial<IndividrapportDraft> {
  const kept: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(edits)) {
    if (value === undefined) continue;
    const before = prefill[field as IndividrapportField];
    const same = value === before || (value === '' && before === undefined);
    if (!same) kept[field] = value;
  }
  return kept as Partial<IndividrapportDraft>;
}

type ReasonEvent = CaseEventOf<'skal'> | CaseEventOf<'tackat_nej'>;

/** A free text as one sentence: trimmed, on one line, ending with a full stop. */
function sentence(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line === '') return '';
  return /[.!?…]$/.test(line) ? line : `${line}.`;
}

function orsakLabel(skal: Skal, code: string, reasons: ReasonCodeList): string {
  return findOrsak(skal, code, reasons)?.label ?? code;
}

/** One dated sentence of `ovrigt` for an event, or null when the event does not go there. */
function timelineSentence(
  event: CaseEvent,
  reasons: ReasonCodeList,
  textUsedAsOrsak: ReadonlySet<string>,
): string | null {
  const text = 'text' in event && event.text ? sentence(event.text) : '';
  const withText = (head: string) => `${event.date}: ${head}${text ? ` ${text}` : ''}`;
  switch (event.type) {
    case 'avbrott':
      return withText('Verkställigheten avbröts.');
    case 'erbjudande':
      return `${event.date}: Erbjudande till den enskilde: ${text}`;
    case 'tackat_nej':
      return `${event.date}: Den enskilde tackade nej till erbjudandet från ${event.erbjudandedatum} (${orsakLabel('tackat_nej', event.orsak, reasons).toLowerCase()}).${
        text && !textUsedAsOrsak.has(event.id) ? ` ${text}` : ''
      }`;
    case 'skal':
      if (!text || textUsedAsOrsak.has(event.id)) return null;
      return `${event.date}: Skäl till dröjsmålet: ${skalLabel(event.skal).toLowerCase()}, ${orsakLabel(
        event.skal,
        event.orsak,
        reasons,
      ).toLowerCase()}. ${text}`;
    case 'uppfoljning':
      return `${event.date}: Uppföljningssamtal med ${sentence(event.kontakt).replace(/\.$/, '')}: ${text}${
        event.korttidsenhetErbjuden
          ? ' Korttidsvistelse på korttidsenhet erbjöds i väntan på stödfamilj.'
          : ''
      }`;
    case 'sammanfattning':
      return `${event.date}: Sammanfattning av arbetet med att verkställa beslutet: ${text}`;
    default:
      return null;
  }
}

/**
 * `ovrigt` from its opening notes and the timeline's sentences, within 4 000 characters: when
 * they do not fit, the oldest sentences give way to one that says so.
 */
function fitOvrigt(notes: string[], entries: string[]): string | undefined {
  const join = (parts: string[]) => parts.filter((p) => p !== '').join('\n');
  const all = join([...notes, ...entries]);
  if (all.length <= OVRIGT_MAX) return all === '' ? undefined : all;
  const omitted = 'Tidigare händelser under perioden finns i kommunens dokumentation.';
  for (let drop = 1; drop <= entries.length; drop++) {
    const text = join([...notes, omitted, ...entries.slice(drop)]);
    if (text.length <= OVRIGT_MAX) return text;
  }
  const text = join(notes);
  return text.length <= OVRIGT_MAX ? text : `${text.slice(0, OVRIGT_MAX - 1)}…`;
}

/** True when the decision's last episode ended otherwise than by execution (or never ended). */
function neverExecuted(decision: Decision, events: readonly CaseEvent[]): boolean {
  const all = episodes(decision, events);
  return all[all.length - 1]?.end?.type !== 'verkstalld';
}

/**
 * The individrapport of one report line, every field the system knows filled in (see the rules at
 * the top of this file). The result is a draft for the rapportör to review; `lockedFields` says
 * which of its fields they may not change, `validateIndividrapport` what is still missing.
 */
export function prefillIndividrapport(input: IndividrapportPrefillInput): IndividrapportDraft {
  const { line, decision, person, quarter } = input;
  const reasons = input.reasons ?? DEFAULT_REASON_CODE_LIST;
  const previous = input.previous ?? null;
  const referenceDate = quarterBounds(quarter).end;
  const episode = episodeAsOf(line.episode, referenceDate);
  const lastDay = episode.end ? minDate(episode.end.date, referenceDate) : referenceDate;
  const previousEnd = previous ? quarterBounds(previous.quarter).end : null;
  const inEpisode = sortEvents(withoutVoided(input.events)).filter(
    (e) => e.decisionId === decision.id && e.date >= episode.start && e.date <= lastDay,
  );
  const latest = <T extends CaseEvent['type']>(...types: T[]) =>
    inEpisode.filter((e): e is CaseEventOf<T> => (types as string[]).includes(e.type)).at(-1);

  // Tab 1–3
  const verksamhetsomrade = decision.verksamhetsomrade as Verksamhetsomrade;
  const inriktning =
    needsInriktning(verksamhetsomrade) && decision.inriktning ? decision.inriktning : undefined;
  const inriktningNeedsText =
    inriktning !== undefined &&
    inriktningarFor(verksamhetsomrade).some((c) => c.code === inriktning && c.needsText);
  const draft: IndividrapportDraft = {
    namnd: input.namnd,
    verksamhetsomrade,
    rapportor: input.rapportor,
    rapporttyp: line.report,
    ...individrapportIdentity(person),
    insats: decision.insats,
    ...(inriktning ? { inriktning } : {}),
    ...(inriktningNeedsText && decision.inriktningText
      ? { inriktningText: decision.inriktningText }
      : {}),
    anhorigMedEjVerkstalltBeslut: previous?.draft.anhorigMedEjVerkstalltBeslut ?? false,
    drojsmalAvser: episode.kind,
    drojsmalDatum: episode.start,
    status: line.status,
    delvisVerkstalld: false,
    kompenserandeInsats: false,
    covid19: previous?.draft.covid19 ?? false,
  };

  // Tab 4: status
  if (line.status !== 'ej_verkstalld' && line.statusDate) {
    draft.statusDatum = line.statusDate;
    if (line.status === 'avslutad') {
      const closing = inEpisode.filter(
        (e): e is CaseEventOf<'avslutad'> => e.type === 'avslutad' && e.date === line.statusDate,
      );
      const anledning = closing.at(-1)?.anledning;
      if (anledning) draft.avslutAnledning = anledning;
    }
  }

  // Tab 4: skäl and orsak
  const textUsedAsOrsak = new Set<string>();
  const reason = latest('skal', 'tackat_nej') as ReasonEvent | undefined;
  const reasonSinceLastFiling = reason && (!previousEnd || reason.date > previousEnd);
  if (reason && (reasonSinceLastFiling || !previous?.draft.skal)) {
    const skal: Skal = reason.type === 'skal' ? reason.skal : 'tackat_nej';
    draft.skal = skal;
    draft.orsak = reason.orsak;
    const orsak = findOrsak(skal, reason.orsak, reasons);
    if (orsak?.needsText && reason.text) {
      draft.orsakText = reason.text;
      textUsedAsOrsak.add(reason.id);
    }
    if (skal === 'tackat_nej') {
      // The reason's own offer date (a refusal, or a skäl "tackat nej" that gives it); else the
      // latest refusal's; a skäl logged before its date was required: the latest offer.
      const refusal = latest('tackat_nej');
      const offer = inEpisode
        .filter((e) => e.type === 'erbjudande' && e.date <= reason.date)
        .at(-1);
      const offeredOn = reason.erbjudandedatum ?? refusal?.erbjudandedatum ?? offer?.date;
      if (offeredOn) draft.erbjudandedatum = offeredOn;
    }
  } else if (previous?.draft.skal) {
    draft.skal = previous.draft.skal;
    if (previous.draft.orsak) draft.orsak = previous.draft.orsak;
    if (previous.draft.orsakText) draft.orsakText = previous.draft.orsakText;
    if (previous.draft.erbjudandedatum) draft.erbjudandedatum = previous.draft.erbjudandedatum;
  }

  // Tab 4: delvis verkställd and kompenserande insats
  const partial = latest('delvis_verkstalld');
  if (partial) {
    draft.delvisVerkstalld = true;
    draft.delvisDatum = partial.date;
    draft.delvisText = partial.text;
  } else if (previous?.draft.delvisVerkstalld) {
    draft.delvisVerkstalld = true;
    if (previous.draft.delvisDatum) draft.delvisDatum = previous.draft.delvisDatum;
    if (previous.draft.delvisText) draft.delvisText = previous.draft.delvisText;
  }
  const compensation = latest('kompenserande_insats');
  if (compensation) {
    draft.kompenserandeInsats = true;
    const text = LEADING_DATE.test(compensation.text)
      ? compensation.text
      : `${compensation.date} ${compensation.text}`;
    // The date added in front may take a full-length text over the field's maximum.
    const max = INDIVIDRAPPORT_MAX_LENGTH.kompenserandeText;
    draft.kompenserandeText = text.length <= max ? text : `${text.slice(0, max - 1)}…`;
  } else if (previous?.draft.kompenserandeInsats) {
    draft.kompenserandeInsats = true;
    if (previous.draft.kompenserandeText) {
      draft.kompenserandeText = previous.draft.kompenserandeText;
    }
  }

  // Tab 4: övrigt
  const notes: string[] = [];
  if (person.skyddadIdentitet) {
    notes.push(
      'Personen har skyddade personuppgifter. Namn och nummer i rapporten är fiktiva och används vid varje rapportering.',
    );
  }
  if (
    !previous &&
    line.report === 'ny' &&
    input.replaced &&
    neverExecuted(input.replaced.decision, input.replaced.events)
  ) {
    notes.push(
      `Beslutet ersätter beslut från ${input.replaced.decision.beslutsdatum} om samma insats, som inte verkställdes.`,
    );
  }
  const from = previousEnd ? maxDate(episode.start, addDays(previousEnd, 1)) : episode.start;
  const entries = inEpisode
    .filter((e) => e.date >= from)
    .map((e) => timelineSentence(e, reasons, textUsedAsOrsak))
    .filter((s): s is string => s !== null);
  // On an återrapportering a filed free text stays as filed, and what is new goes in the
  // Komplettera field under it.
  const lockedTexts = previous && line.report === 'ater' ? lockedTextsOf(previous.draft) : [];
  const filedOvrigt = lockedTexts.includes('ovrigt') ? (previous?.draft.ovrigt ?? '') : null;
  if (filedOvrigt !== null) {
    const komplettering = fitOvrigt(
      notes.filter((note) => !filedOvrigt.includes(note)),
      entries,
    );
    if (komplettering) draft.ovrigtKomplettering = komplettering;
  } else {
    const ovrigt = fitOvrigt(notes, entries);
    if (ovrigt) draft.ovrigt = ovrigt;
  }
  const isNew = (event: { date: IsoDate } | undefined) =>
    event !== undefined && previousEnd !== null && event.date > previousEnd;
  if (lockedTexts.includes('delvisText') && partial && isNew(partial)) {
    if (partial.text.trim() !== (previous?.draft.delvisText ?? '').trim()) {
      draft.delvisKomplettering = `${partial.date} ${partial.text}`.slice(
        0,
        INDIVIDRAPPORT_MAX_LENGTH.delvisKomplettering,
      );
    }
  }
  if (lockedTexts.includes('kompenserandeText') && compensation && isNew(compensation)) {
    const text = draft.kompenserandeText ?? '';
    if (text.trim() !== (previous?.draft.kompenserandeText ?? '').trim()) {
      draft.kompenserandeKomplettering = text;
    }
  }

  // Locked on an återrapportering: exactly what was filed before.
  if (previous && line.report === 'ater') {
    const locked = draft as Record<string, unknown>;
    for (const field of [...LOCKED_ON_ATER, ...lockedTexts]) {
      const value = previous.draft[field];
      if (value === undefined) delete locked[field];
      else locked[field] = value;
    }
  }
  return draft;
}

/* ------------------------------------------------------------------------------------------------
 * The report as text: labels, values, tabs.
 */

/** The e-tjänst's words for the field under a free text filed before (seed 000, tab 4). */
export const KOMPLETTERA_LABEL =
  'Komplettera med ytterligare information, om förändringar skett efter senaste rapportering';

/** The e-tjänst's label of each field, in Swedish, for forms, copy buttons and the PDF. */
export const INDIVIDRAPPORT_FIELD_LABELS: Record<IndividrapportField, string> = {
  namnd: 'Nämnd',
  verksamhetsomrade: 'Verksamhetsområde',
  rapportor: 'Rapportör',
  rapporttyp: 'Rapportering',
  fornamn: 'Förnamn',
  efternamn: 'Efternamn',
  personnummer: 'Personnummer',
  insats: 'Typ av bistånd eller insats',
  inriktning: 'Inriktning',
  inriktningText: 'Inriktning, övrigt',
  anhorigMedEjVerkstalltBeslut:
    'Ej verkställt beslut för anhörig finns eller kommer att rapporteras',
  skyddadePersonuppgifter: 'Skyddade personuppgifter',
  saknarPersonnummer: 'Saknar personnummer',
  drojsmalAvser: 'Dröjsmålet avser',
  drojsmalDatum: 'Datum för beslut eller avbrott',
  status: 'Status',
  statusDatum: 'Datum för verkställighet eller avslut',
  avslutAnledning: 'Anledning till avslut',
  skal: 'Huvudsakligt skäl',
  orsak: 'Orsak',
  orsakText: 'Innebörden av annan orsak',
  erbjudandedatum: 'Datum för erbjudandet',
  delvisVerkstalld: 'Delvis verkställt',
  delvisDatum: 'Datum för delvis verkställighet',
  delvisText: 'Hur insatsen delvis har verkställts',
  kompenserandeInsats: 'Kompenserande insats under dröjsmålet',
  kompenserandeText: 'Hur insatsen har kompenserats',
  ovrigt: 'Övrigt av vikt för IVO:s handläggning',
  delvisKomplettering: KOMPLETTERA_LABEL,
  kompenserandeKomplettering: KOMPLETTERA_LABEL,
  ovrigtKomplettering: KOMPLETTERA_LABEL,
  covid19: 'Dröjsmålet har under någon period varit relaterat till Covid-19',
};

/** The e-tjänst's tabs 1–4 and their fields, in order (tab 5 is the summary of them all). */
export const INDIVIDRAPPORT_TABS: readonly {
  tab: 1 | 2 | 3 | 4;
  title: string;
  fields: readonly IndividrapportField[];
}[] = [
  { tab: 1, title: 'Nämnd och verksamhetsområde', fields: ['namnd', 'verksamhetsomrade'] },
  { tab: 2, title: 'Rapportör och rapportering', fields: ['rapportor', 'rapporttyp'] },
  {
    tab: 3,
    title: 'Individuppgifter',
    fields: [
      'fornamn',
      'efternamn',
      'personnummer',
      'skyddadePersonuppgifter',
      'saknarPersonnummer',
      'insats',
      'inriktning',
      'inriktningText',
      'anhorigMedEjVerkstalltBeslut',
    ],
  },
  {
    tab: 4,
    title: 'Uppgifter om dröjsmålet',
    fields: [
      'drojsmalAvser',
      'drojsmalDatum',
      'status',
      'statusDatum',
      'avslutAnledning',
      'skal',
      'orsak',
      'orsakText',
      'erbjudandedatum',
      'delvisVerkstalld',
      'delvisDatum',
      'delvisText',
      'delvisKomplettering',
      'kompenserandeInsats',
      'kompenserandeText',
      'kompenserandeKomplettering',
      'ovrigt',
      'ovrigtKomplettering',
      'covid19',
    ],
  },
];

/**
 * A field's label where it stands alone, as a column of the CSV and XLSX: a Komplettera field is
 * named with the text it completes ("Övrigt av vikt …: Komplettera med …"), else the label.
 */
export function individrapportColumnLabel(field: IndividrapportField): string {
  const completed = (Object.keys(KOMPLETTERING_OF) as LockedText[]).find(
    (text) => KOMPLETTERING_OF[text] === field,
  );
  if (!completed) return INDIVIDRAPPORT_FIELD_LABELS[field];
  return `${INDIVIDRAPPORT_FIELD_LABELS[completed]}: ${KOMPLETTERA_LABEL}`;
}

/** A field's label for this draft: dates are named by what they are the date of. */
export function individrapportFieldLabel(
  field: IndividrapportField,
  draft?: IndividrapportDraft,
): string {
  if (field === 'drojsmalDatum' && draft?.drojsmalAvser) {
    return draft.drojsmalAvser === 'avbrott' ? 'Datum för avbrottet' : 'Beslutsdatum';
  }
  if (field === 'statusDatum' && draft?.status && draft.status !== 'ej_verkstalld') {
    return draft.status === 'verkstalld' ? 'Verkställighetsdatum' : 'Avslutsdatum';
  }
  return INDIVIDRAPPORT_FIELD_LABELS[field];
}

const STATUS_TEXT = {
  ej_verkstalld: 'Ej verkställt',
  verkstalld: 'Verkställt',
  avslutad: 'Avslutat',
} as const;

/**
 * A field's value as the rapportör pastes it into the e-tjänst: codes as their Swedish labels,
 * yes/no boxes as "Ja"/"Nej", dates as `YYYY-MM-DD`; an empty string when it has no value.
 */
export function individrapportFieldText(
  draft: IndividrapportDraft,
  field: IndividrapportField,
  reasons: ReasonCodeList = DEFAULT_REASON_CODE_LIST,
): string {
  const value = draft[field];
  if (typeof value === 'boolean') return value ? 'Ja' : 'Nej';
  if (value === undefined || value === '') return '';
  switch (field) {
    case 'verksamhetsomrade':
      return verksamhetsomradeLabel(value as Verksamhetsomrade);
    case 'rapporttyp':
      return value === 'ny' ? 'Nyrapportering' : 'Återrapportering';
    case 'insats':
      return findInsats(value)?.label ?? value;
    case 'inriktning':
      return (
        (draft.verksamhetsomrade &&
          inriktningarFor(draft.verksamhetsomrade).find((c) => c.code === value)?.label) ||
        value
      );
    case 'drojsmalAvser':
      return value === 'avbrott'
        ? 'Avbrott i verkställighet som inte verkställts på nytt inom tre månader'
        : 'Gynnande beslut som inte verkställts inom tre månader';
    case 'status':
      return STATUS_TEXT[value as keyof typeof STATUS_TEXT] ?? value;
    case 'avslutAnledning':
      return findAvslutsanledning(value)?.label ?? value;
    case 'skal':
      return skalLabel(value as Skal);
    case 'orsak':
      return draft.skal ? orsakLabel(draft.skal, value, reasons) : value;
    default:
      return value;
  }
}

/**
 * The whole report as plain Swedish text, tab by tab, one "Label: value" per field that applies
 * (a value of several lines starts on the line after its label). For the copy-all button and the
 * PDF.
 */
export function individrapportText(
  draft: IndividrapportDraft,
  reasons: ReasonCodeList = DEFAULT_REASON_CODE_LIST,
): string {
  const blocks = INDIVIDRAPPORT_TABS.map(({ tab, title, fields }) => {
    const lines = fields
      .filter((field) => individrapportFieldApplies(draft, field))
      .map((field) => {
        const label = individrapportFieldLabel(field, draft);
        const value = individrapportFieldText(draft, field, reasons);
        return value.includes('\n') ? `${label}:\n${value}` : `${label}: ${value}`;
      });
    return [`Flik ${tab}. ${title}`, ...lines].join('\n');
  });
  return `${['Individrapport – ej verkställt beslut', ...blocks].join('\n\n')}\n`;
}
