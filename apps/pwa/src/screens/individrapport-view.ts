import {
  AVSLUTSANLEDNINGAR,
  applyIndividrapportEdits,
  type FilingCheck,
  type Finding,
  filingCheck,
  findOrsak,
  INDIVIDRAPPORT_TABS,
  INSATSER,
  type IndividrapportContext,
  type IndividrapportDraft,
  type IndividrapportField,
  type IsoDate,
  individrapportFieldApplies,
  individrapportFieldText,
  inriktningarFor,
  needsInriktning,
  orsakerFor,
  type Quarter,
  quarterKey,
  SKAL,
  type Skal,
  todayInStockholm,
  VERKSAMHETSOMRADEN,
  validateIndividrapport,
} from '@evb/domain';
import type { RouterOutputs } from '../api/client';
import { formatDate } from '../format/format';

/*
 * What the individrapport screen shows apart from the screen itself: its addresses and those of
 * the exports, which fields a draft shows and how each is edited, the report with the rapportör's
 * unsaved changes, and whether the line can be marked as filed.
 */

export type ReportView = RouterOutputs['reports']['get'];
export type FilingView = NonNullable<ReportView['filing']>;
export type LineMessage = ReportView['messages'][number];
export type Edits = Partial<IndividrapportDraft>;

/** The line an individrapport belongs to, as the server names it. */
export type LineKey = {
  namndId: string;
  quarter: Quarter;
  decisionId: string;
  episodeStart: IsoDate;
};

/** The individrapport of a line: `/kvartal/2026-Q3/<decision>/<episode start>?namndId=…`. */
export function individrapportHref(key: LineKey): string {
  const query = new URLSearchParams({ namndId: key.namndId });
  return `/kvartal/${quarterKey(key.quarter)}/${encodeURIComponent(key.decisionId)}/${key.episodeStart}?${query.toString()}`;
}

/** The quarter view, opened on a quarter and nämnd: `/kvartal?kvartal=2026-Q3&namnd=…`. */
export function quarterHref(quarter: Quarter, namndId: string): string {
  const query = new URLSearchParams({ kvartal: quarterKey(quarter), namnd: namndId });
  return `/kvartal?${query.toString()}`;
}

/** The line's individrapport as a PDF (the server's export route). */
export function individrapportPdfHref(key: LineKey): string {
  const query = new URLSearchParams({
    namndId: key.namndId,
    quarter: quarterKey(key.quarter),
    decisionId: key.decisionId,
    episodeStart: key.episodeStart,
  });
  return `/api/export/individrapport.pdf?${query.toString()}`;
}

export type QuarterExport = 'pdf' | 'csv' | 'xlsx';

/** The whole quarter's lines as a PDF, CSV or XLSX file (the server's export routes). */
export function quarterExportHref(
  format: QuarterExport,
  namndId: string,
  quarter: Quarter,
): string {
  const query = new URLSearchParams({ namndId, quarter: quarterKey(quarter) });
  return `/api/export/kvartal.${format}?${query.toString()}`;
}

/** The local draft's form name: one per line (not per decision, so no event form takes it). */
export function individrapportDraftForm(key: LineKey): string {
  return `individrapport:${key.namndId}:${quarterKey(key.quarter)}:${key.decisionId}:${key.episodeStart}`;
}

/* ------------------------------------------------------------------------------------------------
 * Fields
 */

export type FieldKind = 'text' | 'textarea' | 'date' | 'check' | 'select';

const FIELD_KINDS: Record<IndividrapportField, FieldKind> = {
  namnd: 'text',
  verksamhetsomrade: 'select',
  rapportor: 'text',
  rapporttyp: 'select',
  fornamn: 'text',
  efternamn: 'text',
  personnummer: 'text',
  insats: 'select',
  inriktning: 'select',
  inriktningText: 'text',
  anhorigMedEjVerkstalltBeslut: 'check',
  skyddadePersonuppgifter: 'check',
  saknarPersonnummer: 'check',
  drojsmalAvser: 'select',
  drojsmalDatum: 'date',
  status: 'select',
  statusDatum: 'date',
  avslutAnledning: 'select',
  skal: 'select',
  orsak: 'select',
  orsakText: 'text',
  erbjudandedatum: 'date',
  delvisVerkstalld: 'check',
  delvisDatum: 'date',
  delvisText: 'text',
  delvisKomplettering: 'textarea',
  kompenserandeInsats: 'check',
  kompenserandeText: 'textarea',
  kompenserandeKomplettering: 'textarea',
  ovrigt: 'textarea',
  ovrigtKomplettering: 'textarea',
  covid19: 'check',
};

export function fieldKind(field: IndividrapportField): FieldKind {
  return FIELD_KINDS[field];
}

/** Fields whose value is one of a list the schema checks: they cannot be emptied once chosen. */
const ENUM_FIELDS: readonly IndividrapportField[] = [
  'verksamhetsomrade',
  'rapporttyp',
  'drojsmalAvser',
  'status',
  'skal',
];

export function canBeEmptied(field: IndividrapportField): boolean {
  return !ENUM_FIELDS.includes(field);
}

export type Option = { code: string; label: string };

/** A code's label as the report gives it, from the domain's own text of the field. */
function labelled(
  draft: IndividrapportDraft,
  field: IndividrapportField,
  codes: readonly string[],
): Option[] {
  return codes.map((code) => ({
    code,
    label: individrapportFieldText({ ...draft, [field]: code } as IndividrapportDraft, field),
  }));
}

/**
 * The choices of a select field for this draft, from the domain's code lists: insatser of the
 * chosen verksamhetsområde, inriktningar of it, orsaker of the chosen skäl. A value that is not
 * among them (a prefill that no longer fits) stays as a choice, so validation can name it.
 */
export function fieldOptions(draft: IndividrapportDraft, field: IndividrapportField): Option[] {
  const options = ((): Option[] => {
    switch (field) {
      case 'verksamhetsomrade':
        return VERKSAMHETSOMRADEN.map((v) => ({ code: v.code, label: v.label }));
      case 'rapporttyp':
        return labelled(draft, field, ['ny', 'ater']);
      case 'drojsmalAvser':
        return labelled(draft, field, ['beslut', 'avbrott']);
      case 'status':
        return labelled(draft, field, ['ej_verkstalld', 'verkstalld', 'avslutad']);
      case 'insats':
        return INSATSER.filter(
          (i) => !draft.verksamhetsomrade || i.verksamhetsomraden.includes(draft.verksamhetsomrade),
        ).map((i) => ({ code: i.code, label: i.label }));
      case 'inriktning':
        return draft.verksamhetsomrade
          ? inriktningarFor(draft.verksamhetsomrade).map((c) => ({ code: c.code, label: c.label }))
          : [];
      case 'avslutAnledning':
        return AVSLUTSANLEDNINGAR.map((a) => ({ code: a.code, label: a.label }));
      case 'skal':
        return SKAL.map((s) => ({ code: s.code, label: s.label }));
      case 'orsak':
        return draft.skal
          ? orsakerFor(draft.skal).map((o) => ({ code: o.code, label: o.label }))
          : [];
      default:
        return [];
    }
  })();
  const value = draft[field];
  if (typeof value === 'string' && value !== '' && !options.some((o) => o.code === value)) {
    return [{ code: value, label: individrapportFieldText(draft, field) || value }, ...options];
  }
  return options;
}

function hasValue(draft: IndividrapportDraft, field: IndividrapportField): boolean {
  const value = draft[field];
  return value !== undefined && value !== '';
}

function chosenOrsak(draft: IndividrapportDraft) {
  return draft.skal && draft.orsak ? findOrsak(draft.skal, draft.orsak) : undefined;
}

/**
 * Whether the form shows a field for this draft: a field that depends on another shows when the
 * code lists say the choice needs it (an inriktning for SoL FUNK and IFO, a text for "Annat", an
 * offer date for a refusal, the dates of an ended status), or when it already has a value; the
 * Komplettera fields exactly when they belong in the report (an återrapportering).
 */
export function fieldShown(draft: IndividrapportDraft, field: IndividrapportField): boolean {
  switch (field) {
    case 'inriktning':
      return (
        (draft.verksamhetsomrade !== undefined && needsInriktning(draft.verksamhetsomrade)) ||
        hasValue(draft, field)
      );
    case 'inriktningText': {
      const choice =
        draft.verksamhetsomrade && draft.inriktning
          ? inriktningarFor(draft.verksamhetsomrade).find((c) => c.code === draft.inriktning)
          : undefined;
      return Boolean(choice?.needsText) || hasValue(draft, field);
    }
    case 'statusDatum':
      return (
        (draft.status !== undefined && draft.status !== 'ej_verkstalld') || hasValue(draft, field)
      );
    case 'avslutAnledning':
      return draft.status === 'avslutad' || hasValue(draft, field);
    case 'orsak':
      return draft.skal !== undefined || hasValue(draft, field);
    case 'orsakText':
      return Boolean(chosenOrsak(draft)?.needsText) || hasValue(draft, field);
    case 'erbjudandedatum':
      return Boolean(chosenOrsak(draft)?.needsOfferDate) || hasValue(draft, field);
    case 'delvisDatum':
    case 'delvisText':
      return draft.delvisVerkstalld;
    case 'kompenserandeText':
      return draft.kompenserandeInsats;
    // Under a free text on an återrapportering, as the report's text lists them.
    case 'delvisKomplettering':
    case 'kompenserandeKomplettering':
    case 'ovrigtKomplettering':
      return individrapportFieldApplies(draft, field);
    default:
      return true;
  }
}

/** The fields of a tab (1–4) the form shows for this draft, in the e-tjänst's order. */
export function shownFields(draft: IndividrapportDraft, tab: 1 | 2 | 3 | 4): IndividrapportField[] {
  const fields = INDIVIDRAPPORT_TABS.find((t) => t.tab === tab)?.fields ?? [];
  return fields.filter((field) => fieldShown(draft, field));
}

/** The tab (1–4) a field is on. */
export function tabOf(field: IndividrapportField): 1 | 2 | 3 | 4 {
  return INDIVIDRAPPORT_TABS.find((t) => t.fields.includes(field))?.tab ?? 4;
}

/**
 * One change to the draft, with what it takes along: a new skäl has other orsaker, so the orsak
 * and what it asked for are emptied; a new orsak that needs no text or offer date empties them.
 */
export function changeField(
  edits: Edits,
  draft: IndividrapportDraft,
  field: IndividrapportField,
  value: string | boolean,
): Edits {
  const next = { ...edits, [field]: value } as Edits;
  if (field === 'skal' && value !== draft.skal) {
    next.orsak = '';
    next.orsakText = '';
    next.erbjudandedatum = '';
  }
  if (field === 'orsak' && typeof value === 'string' && draft.skal) {
    const orsak = findOrsak(draft.skal as Skal, value);
    if (!orsak?.needsText) next.orsakText = '';
    if (!orsak?.needsOfferDate) next.erbjudandedatum = '';
  }
  // Emptying what was empty is no change.
  for (const key of Object.keys(next) as IndividrapportField[]) {
    if (next[key] === '' && !hasValue(draft, key) && !(key in edits)) delete next[key];
  }
  return next;
}

/**
 * The changes still to send after the server has taken `sent`: those made meanwhile (a field
 * changed again, or one `sent` did not hold).
 */
export function unsentEdits(current: Edits, sent: Edits): Edits {
  const rest: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(current)) {
    if (!(field in sent) || sent[field as IndividrapportField] !== value) rest[field] = value;
  }
  return rest as Edits;
}

/* ------------------------------------------------------------------------------------------------
 * The report as it stands, and filing it
 */

/** The report with the rapportör's unsent changes over the server's draft (locked fields kept). */
export function currentDraft(view: ReportView, edits: Edits): IndividrapportDraft {
  return applyIndividrapportEdits(view.draft, edits, view.locked);
}

/**
 * The context the domain validates a line's report in: the line's episode as it stood on the
 * quarter's last day (its end, when the line reports one), that day, and the previous filing.
 */
export function validationContext(view: ReportView): IndividrapportContext {
  const { line } = view;
  const ended = line.status !== 'ej_verkstalld' && line.statusDate !== null;
  return {
    episode: {
      kind: line.episode.kind,
      start: line.episode.start,
      ...(ended
        ? { end: { type: line.status as 'verkstalld' | 'avslutad', date: line.statusDate! } }
        : {}),
    },
    referenceDate: view.referenceDate,
    ...(view.previous?.snapshot.draft ? { previous: view.previous.snapshot.draft } : {}),
  };
}

/**
 * What validation finds: the server's findings while nothing is unsent, else the domain's
 * validation of the report with the changes, so a fix shows at once (also offline).
 */
export function currentFindings(view: ReportView, edits: Edits): Finding[] {
  if (Object.keys(edits).length === 0) return view.findings;
  return validateIndividrapport(currentDraft(view, edits), validationContext(view));
}

/** "1 uppgift" / "3 uppgifter". */
export function uppgifter(n: number): string {
  return n === 1 ? '1 uppgift' : `${n} uppgifter`;
}

export type FileState =
  | { kind: 'filed'; filing: FilingView }
  | { kind: 'saving' }
  | { kind: 'findings'; reason: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'date'; reason: string }
  | { kind: 'ready' };

/**
 * Whether the line can be marked as filed with IVO on `filedOn`: not when it is filed, while
 * changes are unsent, while validation finds anything, when the server says it cannot be filed
 * today (its reason), or when the domain's filing rule refuses the date.
 */
export function fileState(input: {
  view: ReportView;
  findings: readonly Finding[];
  unsent: boolean;
  quarter: Quarter;
  filedOn: string;
  today: IsoDate;
}): FileState {
  const { view, findings } = input;
  if (view.filing) return { kind: 'filed', filing: view.filing };
  if (input.unsent) return { kind: 'saving' };
  if (findings.length > 0) {
    return {
      kind: 'findings',
      reason: `Rapporten har ${uppgifter(findings.length)} som måste rättas innan den kan lämnas in.`,
    };
  }
  if (!view.canFile) {
    return { kind: 'refused', reason: view.reason ?? 'Raden kan inte lämnas in i dag.' };
  }
  const check: FilingCheck = filingCheck({
    line: {
      report: view.line.report,
      status: view.line.status,
      ...(view.line.statusDate ? { statusDate: view.line.statusDate } : {}),
    },
    quarter: input.quarter,
    filedOn: input.filedOn,
    today: input.today,
  });
  return check.ok ? { kind: 'ready' } : { kind: 'date', reason: check.reason };
}

/** The report as filed: the frozen copy's draft, or the current one when no copy was kept. */
export function shownDraft(view: ReportView, edits: Edits): IndividrapportDraft {
  return view.filing?.snapshot.draft ?? currentDraft(view, edits);
}

/** The status a filing reported, in the e-tjänst's words. */
export function filingStatusText(filing: Pick<FilingView, 'status' | 'snapshot'>): string {
  const draft = filing.snapshot.draft ?? ({ status: filing.status } as IndividrapportDraft);
  return (
    individrapportFieldText({ ...draft, status: filing.status } as IndividrapportDraft, 'status') ||
    filing.status
  );
}

/** "22 november 2026 kl. 10:15", in Swedish time. */
export function dateAndTime(iso: string): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString('sv-SE', {
    timeZone: 'Europe/Stockholm',
    hour: '2-digit',
    minute: '2-digit',
  });
  return `${formatDate(todayInStockholm(at))} kl. ${time}`;
}

/**
 * How a filing came into evb, when not marked as filed here: "Registrerad i efterhand av Karin
 * Holm 22 november 2026 kl. 10:15" or "Registrerad vid import av tidigare inlämningar av …";
 * null for a filing marked as filed in evb (its filer is who sent it).
 */
export function filingRecordedText(
  filing: Pick<FilingView, 'recorded' | 'filedBy' | 'filedAt'>,
): string | null {
  if (filing.recorded === 'evb') return null;
  const how =
    filing.recorded === 'import'
      ? 'Registrerad vid import av tidigare inlämningar'
      : 'Registrerad i efterhand';
  return `${how} av ${filing.filedBy.namn} ${dateAndTime(filing.filedAt)}`;
}

/** What a filing's frozen copy is: the report as sent, or evb's report when it was recorded. */
export function filingCopyText(filing: Pick<FilingView, 'recorded' | 'fieldsAsSent'>): string {
  if (filing.recorded === 'evb') return 'Uppgifterna är kopian av det som lämnades in.';
  return filing.fieldsAsSent
    ? 'Uppgifterna är de som skickades till IVO, som de angavs när inlämningen registrerades.'
    : 'Uppgifterna är evb:s rapport när inlämningen registrerades, inte en kopia av det som skickades till IVO.';
}

/** The local draft's form name of a line's "Registrera inlämning i efterhand". */
export function recordDraftForm(key: LineKey): string {
  return `individrapport-efterhand:${key.namndId}:${quarterKey(key.quarter)}:${key.decisionId}:${key.episodeStart}`;
}

/** "Nyrapportering" / "Återrapportering". */
export function reportText(report: 'ny' | 'ater'): string {
  return report === 'ny' ? 'Nyrapportering' : 'Återrapportering';
}

/** The kind of report a line is, in the singular. */
export const KATEGORI_TEXT: Record<ReportView['line']['kategori'], string> = {
  nyrapportering: 'Nyrapportering',
  aterrapportering: 'Återrapportering',
  slutrapportering: 'Slutrapportering',
};
