import {
  type CaseEvent,
  parseQuarterKey,
  quarterBounds,
  voidedSinceFiling,
  voidedSinceFilingNote,
} from '@evb/domain';
import type { FilingRow } from '../data/reports';
import { changeSeqsOf } from '../data/voided';
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
