import type { IsoDate } from './calendar/dates';
import { nextWorkingDay } from './calendar/working-days';
import { findInsats } from './codes/insatser';
import { DomainError } from './errors';
import { isReportable } from './quarter-report';
import type { CaseEvent, Decision } from './schemas';
import { cycle, type Episode, episodes } from './timeline';

export type MessageType = 'ny' | 'ny_avbrott' | 'ater' | 'slut_verkstalld' | 'slut_avslutad';

/**
 * The title of a message to the rapportör, exactly as the routine (seed 001) prescribes, e.g.
 * `IVO – Nyrapportering 2026-05-04, Förhandsbesked, 9§10`. Nothing else goes in a title.
 */
export function messageTitle(m: {
  type: MessageType;
  date: IsoDate;
  insats: string;
  forhandsbesked?: boolean;
}): string {
  const insats = findInsats(m.insats);
  if (!insats) throw new DomainError(`Okänd insats: ${m.insats}`);
  const name = insats.shortLabel;
  switch (m.type) {
    case 'ny':
      return m.forhandsbesked
        ? `IVO – Nyrapportering ${m.date}, Förhandsbesked, ${name}`
        : `IVO – Nyrapportering ${m.date}, ${name}`;
    case 'ny_avbrott':
      return `IVO – Nyrapportering avbrott ${m.date}, ${name}`;
    case 'ater':
      return `IVO – Återrapportering ${m.date}, ${name}`;
    case 'slut_verkstalld':
      return `IVO – Slutrapportering, verkställt ${m.date}, ${name}`;
    case 'slut_avslutad':
      return `IVO – Slutrapportering, avslutat ${m.date}, ${name}`;
  }
}

export type RapportorMessage = {
  /** Stable across recomputation: decision, episode start, type and date. */
  key: string;
  decisionId: string;
  episode: Episode;
  type: MessageType;
  /** The date in the title: the overdue day of the cycle, or the execution/closing date. */
  date: IsoDate;
  /** The working day it is to be sent on. */
  due: IsoDate;
  /** Cycle number for ny/ater messages. */
  k?: number;
  title: string;
};

/**
 * Every message the rapportör should have received about a decision up to and including `until`:
 * one per overdue cycle of every episode (new report, then återrapportering every three months), and
 * a slutrapportering when a reported episode ends. Messages are per insats, never per person.
 */
export function rapportorMessages(
  decision: Decision,
  events: readonly CaseEvent[],
  until: IsoDate,
): RapportorMessage[] {
  return episodes(decision, events)
    .flatMap((episode) => episodeMessages(decision, episode, until))
    .sort((a, b) => a.due.localeCompare(b.due) || a.date.localeCompare(b.date));
}

/** A message of an episode before it is given its key and title. */
type EpisodeMessage = Pick<RapportorMessage, 'type' | 'date' | 'due' | 'k'>;

/**
 * Visits the messages of one episode due up to `until` and dated up to `datedBy`, oldest first,
 * from cycle `fromK` on. The one place that says which messages an episode has.
 */
function visitEpisodeMessages(
  episode: Episode,
  until: IsoDate,
  datedBy: IsoDate | undefined,
  fromK: number,
  visit: (m: EpisodeMessage) => void,
): void {
  const last = episode.end ? episode.end.date : until;
  for (let k = Math.max(1, fromK); ; k++) {
    const c = cycle(episode.start, k);
    // A cycle's message is dated on its overdue day, which only grows with k.
    if (c.overdueFrom > last || (datedBy !== undefined && c.overdueFrom > datedBy)) break;
    if (c.messageDue > until) continue;
    const type = k > 1 ? 'ater' : episode.kind === 'avbrott' ? 'ny_avbrott' : 'ny';
    visit({ type, date: c.overdueFrom, due: c.messageDue, k });
  }
  if (episode.end && isReportable(episode)) {
    const { date } = episode.end;
    const due = nextWorkingDay(date);
    if (due > until || (datedBy !== undefined && date > datedBy)) return;
    const type = episode.end.type === 'verkstalld' ? 'slut_verkstalld' : 'slut_avslutad';
    visit({ type, date, due });
  }
}

/** A message's key: stable across recomputation (decision, episode start, type and date). */
function messageKey(decision: Decision, episode: Episode, m: EpisodeMessage): string {
  return `${decision.id}:${episode.start}:${m.type}:${m.date}`;
}

/**
 * The messages of one episode due up to `until`, oldest first; dated up to `datedBy` when given;
 * from cycle `fromK` on when the caller knows the earlier ones are of no interest.
 */
export function episodeMessages(
  decision: Decision,
  episode: Episode,
  until: IsoDate,
  fromK = 1,
  datedBy?: IsoDate,
): RapportorMessage[] {
  const messages: RapportorMessage[] = [];
  visitEpisodeMessages(episode, until, datedBy, fromK, (m) => {
    const title = messageTitle({
      type: m.type,
      date: m.date,
      insats: decision.insats,
      forhandsbesked: m.type === 'ny' && decision.forhandsbesked === true,
    });
    messages.push({
      key: messageKey(decision, episode, m),
      decisionId: decision.id,
      episode,
      title,
      ...m,
    });
  });
  return messages;
}

/**
 * The keys of `episodeMessages` alone, without building the messages and their titles: all that
 * telling the handled ones from the others needs (a quarter has thousands of lines).
 */
export function episodeMessageKeys(
  decision: Decision,
  episode: Episode,
  until: IsoDate,
  datedBy?: IsoDate,
): string[] {
  const keys: string[] = [];
  visitEpisodeMessages(episode, until, datedBy, 1, (m) => {
    keys.push(messageKey(decision, episode, m));
  });
  return keys;
}
