import type { IsoDate } from './calendar/dates';
import { EVENT_TYPE_LABELS, type ScopedGrant } from './codes/roles';
import type { CaseEventType } from './schemas';

/*
 * Loggkontroll: the nämnd's systematic review of who read and wrote what (issue 14). A
 * loggranskare is granted for one nämnd; they read that nämnd's access log, take a per-person
 * extract of it, and each month review a random sample of its accesses, marking each one
 * "Motiverad" (justified) or "Följ upp" (to follow up) with a comment.
 */

/** How many accesses a month's review samples: LOG_REVIEW_SAMPLE_SIZE, within these bounds. */
export const LOG_REVIEW_SAMPLE_SIZE = { min: 1, max: 1000, default: 50 } as const;

/** The longest comment on a reviewed access, in characters. */
export const LOG_REVIEW_COMMENT_MAX = 2000;

export const LOG_REVIEW_VERDICTS = ['motiverad', 'folj_upp'] as const;
export type LogReviewVerdict = (typeof LOG_REVIEW_VERDICTS)[number];

export const LOG_REVIEW_VERDICT_LABELS: Record<LogReviewVerdict, string> = {
  motiverad: 'Motiverad',
  folj_upp: 'Följ upp',
};

/** The nämnder a user reviews the log of: those of their loggranskare grants, sorted. */
export function loggranskareNamnder(grants: readonly ScopedGrant[]): string[] {
  return [
    ...new Set(grants.flatMap((g) => (g.role === 'loggranskare' && g.namndId ? [g.namndId] : []))),
  ].sort();
}

/** A calendar month as `YYYY-MM`. */
export type MonthKey = string;

const MONTH_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The month of a `YYYY-MM` text, or null when it is not one (years 2000–2999). */
export function parseMonthKey(text: string): { year: number; month: number } | null {
  const match = MONTH_KEY.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 2000 || year > 2999) return null;
  return { year, month: Number(match[2]) };
}

/** The first day of a month and the first day of the next, as dates (the month is [first, next)). */
export function monthBounds(key: MonthKey): { first: IsoDate; next: IsoDate } {
  const parsed = parseMonthKey(key);
  if (!parsed) throw new Error(`Not a month: ${key}`);
  const { year, month } = parsed;
  const pad = (n: number) => String(n).padStart(2, '0');
  const next = month === 12 ? `${year + 1}-01` : `${year}-${pad(month + 1)}`;
  return { first: `${key}-01`, next: `${next}-01` };
}

/** The month a date is in. */
export function monthOf(date: IsoDate): MonthKey {
  return date.slice(0, 7);
}

/**
 * Whether a month can be reviewed on `today`: one that has begun. The current month may be
 * reviewed too (its sample is drawn among the accesses so far, and the screen says so); a month
 * that has not begun has nothing to sample.
 */
export function isReviewableMonth(key: MonthKey, today: IsoDate): boolean {
  return parseMonthKey(key) !== null && key <= monthOf(today);
}

/** What a review's items add up to. */
export type LogReviewCounts = {
  urval: number;
  motiverade: number;
  foljUpp: number;
  obedomda: number;
};

export function logReviewCounts(
  items: readonly { verdict: LogReviewVerdict | null }[],
): LogReviewCounts {
  const counts: LogReviewCounts = { urval: items.length, motiverade: 0, foljUpp: 0, obedomda: 0 };
  for (const item of items) {
    if (item.verdict === 'motiverad') counts.motiverade++;
    else if (item.verdict === 'folj_upp') counts.foljUpp++;
    else counts.obedomda++;
  }
  return counts;
}

/**
 * Why a review cannot be finished yet, or null when it can: every sampled access has a verdict,
 * and one to follow up says why in its comment.
 */
export function logReviewUnfinished(
  items: readonly { verdict: LogReviewVerdict | null; comment: string | null }[],
): string | null {
  const unmarked = items.filter((i) => i.verdict === null).length;
  if (unmarked > 0) {
    return unmarked === 1
      ? '1 åtkomst i urvalet är inte bedömd.'
      : `${unmarked} åtkomster i urvalet är inte bedömda.`;
  }
  const unexplained = items.filter(
    (i) => i.verdict === 'folj_upp' && (i.comment ?? '').trim() === '',
  ).length;
  if (unexplained > 0) {
    return unexplained === 1
      ? '1 åtkomst att följa upp saknar kommentar.'
      : `${unexplained} åtkomster att följa upp saknar kommentar.`;
  }
  return null;
}

/**
 * Each logged action as a reader of the log understands it: which screen, export or interface
 * read or wrote. An action without a label (a new one) is shown by its code.
 */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  anvandare_skapad: 'Användare skapad (Användare)',
  anvandare_andrad: 'Användare ändrad (Användare)',
  anvandare_inaktiverad: 'Användare inaktiverad (Användare)',
  anvandare_aktiverad: 'Användare aktiverad (Användare)',
  beslut_bestallt: 'Beslut beställt (Beslut)',
  beslut_importerat: 'Beslut importerat från verksamhetssystemet (Import)',
  beslut_last: 'Beslut läst (Beslutssidan)',
  beslut_listade: 'Beslut listade (Beslutslistan)',
  beslut_registrerat: 'Beslut registrerat (Nytt beslut)',
  granskningslogg_last: 'Granskningsloggen läst (Granskningslogg)',
  granskningslogg_gallrad: 'Loggposter äldre än lagringstiden gallrade (audit-prune)',
  import_provkord: 'Import provkörd (Import)',
  import_genomford: 'Import genomförd (Import)',
  import_vagrad: 'Import vägrad (Import)',
  individrapport_inlamnad: 'Individrapport inlämnad (Kvartal)',
  individrapport_last: 'Individrapport läst (Kvartal)',
  individrapport_pdf: 'Individrapport hämtad som PDF (Export)',
  individrapport_registrerad_i_efterhand: 'Inlämning registrerad i efterhand (Kvartal)',
  individrapport_utkast_sparat: 'Utkast till individrapport sparat (Kvartal)',
  individrapporter_kvartal_last: 'Kvartalets individrapporter lästa för export (Export)',
  individrapporter_lasta: 'Individrapporter lästa (Historik)',
  inlamningsimport_provkord: 'Import av inlämningar provkörd (Import)',
  inlamningsimport_genomford: 'Import av inlämningar genomförd (Import)',
  inlamningsimport_vagrad: 'Import av inlämningar vägrad (Import)',
  inloggning: 'Inloggning',
  inloggning_misslyckad: 'Misslyckad inloggning',
  kalender_hamtad: 'Kalender hämtad (Kalenderlänk)',
  kalenderlank_aterkallad: 'Kalenderlänk återkallad (Påminnelser)',
  kalenderlank_skapad: 'Kalenderlänk skapad (Påminnelser)',
  kvartal_att_gora_last: 'Kvartalets att göra läst (Kvartal)',
  kvartal_csv: 'Kvartalet hämtat som CSV (Export)',
  kvartal_last: 'Kvartalet läst (Kvartal)',
  kvartal_pdf: 'Kvartalet hämtat som PDF (Export)',
  kvartal_xlsx: 'Kvartalet hämtat som Excel (Export)',
  losenord_aterstallt: 'Lösenord återställt (Användare)',
  losenord_bytt: 'Lösenord bytt (Konto)',
  losenordsbyte_misslyckat: 'Misslyckat lösenordsbyte (Konto)',
  meddelande_hanterat: 'Meddelande hanterat (Meddelanden)',
  meddelanden_last: 'Meddelanden lästa (Meddelanden)',
  paminnelse_skickad: 'Påminnelse skickad (e-post)',
  paminnelser_andrade: 'Påminnelser ändrade (Påminnelser)',
  paminnelser_skickade: 'Påminnelser skickade',
  person_uppslag: 'Person uppslagen (Nytt beslut eller Import)',
  personuppgifter_avviker: 'Personuppgifter avviker (Nytt beslut eller Import)',
  push_enhet_borttagen: 'Enhet för pushnotiser borttagen (Påminnelser)',
  push_enhet_tillagd: 'Enhet för pushnotiser tillagd (Påminnelser)',
  rapportor_tillagd: 'Rapportör tillagd (Rapportörer)',
  rapportor_andrad: 'Rapportör ändrad (Rapportörer)',
  rapportor_borttagen: 'Rapportör borttagen (Rapportörer)',
  risk_last: 'Längsta väntetider lästa (Risk)',
  statistik_last: 'Statistik läst (Statistik)',
  statistik_pdf: 'Statistik hämtad som PDF (Export)',
  sync_pull: 'Beslut hämtade till enheten (Synkronisering)',
  sync_push: 'Ändringar skickade från enheten (Synkronisering)',
  uppfoljningar_listade: 'Uppföljningar listade (Uppföljningar)',
  utloggning: 'Utloggning',
  loggen_last: 'Loggen läst (Loggkontroll)',
  loggutdrag_last: 'Loggutdrag per person läst (Loggkontroll)',
  loggutdrag_pdf: 'Loggutdrag per person hämtat som PDF (Loggkontroll)',
  loggutdrag_csv: 'Loggutdrag per person hämtat som CSV (Loggkontroll)',
  loggranskning_paborjad: 'Månadsgranskning påbörjad, urval draget (Loggkontroll)',
  loggranskning_last: 'Månadsgranskning läst (Loggkontroll)',
  loggranskningar_listade: 'Månadsgranskningar listade (Loggkontroll)',
  loggranskning_bedomd: 'Åtkomst bedömd i månadsgranskning (Loggkontroll)',
  loggranskning_avslutad: 'Månadsgranskning avslutad (Loggkontroll)',
  loggranskning_rapport_pdf: 'Månadsrapport hämtad som PDF (Loggkontroll)',
};

/** An event logged on a decision is `handelse_<type>`: named by its type. */
export function auditActionLabel(action: string): string {
  const label = AUDIT_ACTION_LABELS[action];
  if (label) return label;
  const type = action.startsWith('handelse_') ? action.slice('handelse_'.length) : null;
  if (type && type in EVENT_TYPE_LABELS) {
    return `Händelse loggad: ${EVENT_TYPE_LABELS[type as CaseEventType]} (Beslutssidan eller enheten)`;
  }
  return action;
}
