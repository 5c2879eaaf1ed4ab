import type { IsoDate } from './calendar/dates';
import { findInsats } from './codes/insatser';
import { findLegalReference } from './codes/law';
import type { CaseEvent } from './schemas';
import { withoutVoided } from './voided';

/*
 * What a matchare (Boendeteamet, Centralen för sysselsättning) needs to see of a decision while
 * matching: the law the insats is granted under, and the latest offer and how it was answered.
 */

/**
 * The lagrum of a decision's insats in words: "LSS 9 § 9"; for 9 § 8 also whether it is carried out
 * externally (Boendeteamet's) or in the kommun's own regi; for SoL the paragraph the bistånd is
 * granted under on the decision date, from the law table ("SoL 11 kap. 1 §").
 */
export function lagrumText(
  insatsCode: string,
  options: { extern?: boolean; beslutsdatum?: IsoDate } = {},
): string {
  const insats = findInsats(insatsCode);
  if (!insats) return insatsCode;
  if (insats.lssParagraph !== null) {
    const base = `LSS 9 § ${insats.lssParagraph}`;
    if (insats.lssParagraph !== 8) return base;
    return `${base}, ${options.extern ? 'externt' : 'egen regi'}`;
  }
  const citation = findLegalReference(insats.grantedUnder, options.beslutsdatum)?.citation;
  const paragraph = citation?.slice(0, citation.indexOf('§') + 1);
  return paragraph ? `SoL ${paragraph}` : 'SoL';
}

/** How an offer was answered, and on which day (the refusal, or the day it was carried out). */
export type OfferAnswer =
  | { answer: 'tackat_nej'; answeredOn: IsoDate; orsak: string }
  | { answer: 'accepterat'; answeredOn: IsoDate }
  | { answer: 'inget_svar' };

export type LatestOffer = {
  /** The day the offer was made. */
  date: IsoDate;
  /** What was offered, when an erbjudande was logged for it. */
  text: string | null;
} & OfferAnswer;

/**
 * The latest offer made on a decision and its answer, or null when none was made. An offer is an
 * `erbjudande` event, or the offer date a `tackat_nej` names (a refusal may be logged without the
 * offer). It was refused when a `tackat_nej` names its date, accepted when the decision was carried
 * out on or after it, and is otherwise still unanswered. A voided event counts as never logged.
 */
export function latestOffer(allEvents: readonly CaseEvent[]): LatestOffer | null {
  const events = withoutVoided(allEvents);
  let date: IsoDate | null = null;
  for (const e of events) {
    const offered =
      e.type === 'erbjudande' ? e.date : e.type === 'tackat_nej' ? e.erbjudandedatum : null;
    if (offered && (!date || offered > date)) date = offered;
  }
  if (!date) return null;
  const offerDate = date;
  let text: string | null = null;
  for (const e of events) if (e.type === 'erbjudande' && e.date === offerDate) text = e.text;
  const refusal = events.find((e) => e.type === 'tackat_nej' && e.erbjudandedatum === offerDate);
  if (refusal?.type === 'tackat_nej') {
    return {
      date: offerDate,
      text,
      answer: 'tackat_nej',
      answeredOn: refusal.date,
      orsak: refusal.orsak,
    };
  }
  const executed = events
    .filter((e) => e.type === 'verkstalld' && e.date >= offerDate)
    .sort((a, b) => a.date.localeCompare(b.date))[0];
  if (executed) return { date: offerDate, text, answer: 'accepterat', answeredOn: executed.date };
  return { date: offerDate, text, answer: 'inget_svar' };
}
