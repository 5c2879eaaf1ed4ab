import {
  type CaseEvent,
  parseQuarterKey,
  type Quarter,
  quarterBounds,
  quarterKey,
  voidedSinceFiling,
  voidedSinceFilingNote,
} from '@evb/domain';
import type { FilingRow } from '../data/reports';
import { changeSeqsOf, type FiledVoiding, voidingsOfFiledDecisions } from '../data/voided';
import type { Db } from '../db/database';

/**
 * For each filing of one decision: the note saying that the filed report used events voided
 * (makulerade) since, or null. "Since" is by the change sequence (seq) of the filing, the events
 * and their voidings, which the clocks of phones and servers cannot disturb. `events` are all the
 * decision's events, voidings included.
 */
export async function voidedSinceNotes(
  db: Db,
  decisionId: string,
  events: readonly CaseEvent[],
  filings: readonly FilingRow[],
): Promise<Map<string, string | null>> {
  const notes = new Map<string, string | null>();
  if (filings.length === 0) return notes;
  if (!events.some((e) => e.type === 'makulering')) {
    for (const f of filings) notes.set(f.id, null);
    return notes;
  }
  const seqs = await changeSeqsOf(
    db,
    decisionId,
    filings.map((f) => f.id),
  );
  for (const filing of filings) {
    const q = parseQuarterKey(filing.quarter);
    const filedSeq = seqs.filings.get(filing.id);
    if (!q || filedSeq === undefined) {
      notes.set(filing.id, null);
      continue;
    }
    const voided = voidedSinceFiling(
      { episodeStart: filing.episodeStart, referenceDate: quarterBounds(q).end },
      events,
      (e) => (seqs.events.get(e.id) ?? Number.POSITIVE_INFINITY) < filedSeq,
    );
    notes.set(filing.id, voidedSinceFilingNote(voided));
  }
  return notes;
}

/**
 * For the quarter's filed lines of a nämnd: the note of each whose filed report used events
 * voided since, by `decisionId|episodeStart`; lines without one are absent. The same rule as
 * `voidedSinceNotes` (the domain's voidedSinceFiling, by change sequence), read in one statement
 * for all the lines: only decisions with a voiding give anything to compare. `filed` are the
 * lines shown (the caller's scope); the nämnd's other filings are left out.
 */
export async function filedLinesVoidedSince(
  db: Db,
  namndId: string,
  quarter: Quarter,
  filed: readonly { decisionId: string; episodeStart: string }[],
): Promise<Map<string, string>> {
  const notes = new Map<string, string>();
  if (filed.length === 0) return notes;
  const shown = new Set(filed.map((f) => `${f.decisionId}|${f.episodeStart}`));
  const rows = (await voidingsOfFiledDecisions(db, quarterKey(quarter), namndId)).filter((r) =>
    shown.has(`${r.decisionId}|${r.episodeStart}`),
  );
  if (rows.length === 0) return notes;
  const byFiling = new Map<string, FiledVoiding[]>();
  for (const row of rows) {
    const lineKey = `${row.decisionId}|${row.episodeStart}`;
    const group = byFiling.get(lineKey);
    if (group) group.push(row);
    else byFiling.set(lineKey, [row]);
  }
  const referenceDate = quarterBounds(quarter).end;
  for (const [lineKey, group] of byFiling) {
    const { decisionId, episodeStart, filingSeq } = group[0]!;
    const seqs = new Map<string, number>();
    const events: CaseEvent[] = [];
    for (const { event, voiding } of group) {
      seqs.set(event.id, event.seq);
      seqs.set(voiding.id, voiding.seq);
      events.push(
        {
          id: event.id,
          decisionId,
          type: event.type,
          date: event.date,
          recordedAt: event.recordedAt,
        } as CaseEvent,
        {
          id: voiding.id,
          decisionId,
          type: 'makulering',
          date: voiding.date,
          makulerarId: event.id,
        } as CaseEvent,
      );
    }
    const note = voidedSinceFilingNote(
      voidedSinceFiling(
        { episodeStart, referenceDate },
        events,
        (e) => (seqs.get(e.id) ?? Number.POSITIVE_INFINITY) < filingSeq,
      ),
    );
    if (note) notes.set(lineKey, note);
  }
  return notes;
}
