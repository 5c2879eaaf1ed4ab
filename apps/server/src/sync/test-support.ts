import { randomUUID } from 'node:crypto';
import type { CaseEvent } from '@evb/domain';
import { lockChangeSequence, nextSeq } from '../data/decisions';
import type { Db } from '../db/database';
import { ORG } from '../testing/fixture';
import type { callerFor } from '../testing/harness';
import type { PullResult } from './pull';

/*
 * Rows for the sync tests, written the way the server's writers write them (under the
 * change-sequence lock, with a fresh seq), without depending on the decisions procedures.
 */

export const TODAY = '2026-11-22';

export type SeedDecision = {
  id: string;
  enhetId?: string | null;
  handlaggareId?: string;
  namndId?: string;
  verksamhetsomrade?: string;
  insats?: string;
  beslutsdatum?: string;
  /** 12 digits; the person gets one of their own unless told null. */
  personnummer?: string | null;
};

let serial = 0;

/** A valid personnummer born 1980-01-01 (a kvinna), different on every call. */
export function nextPersonnummer(): string {
  serial = (serial + 2) % 1000;
  const nine = `800101${String(serial).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    let digit = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return `19${nine}${(10 - (sum % 10)) % 10}`;
}

/** A person (one per decision) and an LSS 9 § 10 decision of Vård- och omsorgsnämnden. */
export async function seedDecision(db: Db, decision: SeedDecision): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockChangeSequence(trx);
    const personId = `p-${decision.id}`;
    await trx
      .insertInto('person')
      .values({
        id: personId,
        kommunId: ORG.kommun,
        fornamn: 'Anna',
        efternamn: `Berg ${decision.id}`,
        personnummer:
          decision.personnummer === undefined ? nextPersonnummer() : decision.personnummer,
        identitet: decision.personnummer === null ? 'saknas' : 'personnummer',
        kon: 'kvinna',
        fodelsedatum: '1980-01-01',
        ivoId: `19800101-${decision.id}`,
        seq: nextSeq(),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await trx
      .insertInto('decision')
      .values({
        id: decision.id,
        namndId: decision.namndId ?? ORG.vard,
        verksamhetsomrade: decision.verksamhetsomrade ?? 'LSS',
        personId,
        lagrum: (decision.insats ?? 'LSS_9_10').startsWith('LSS') ? 'LSS' : 'SoL',
        insats: decision.insats ?? 'LSS_9_10',
        beslutsdatum: decision.beslutsdatum ?? '2026-06-01',
        handlaggareId: decision.handlaggareId ?? 'handlaggare1',
        enhetId: decision.enhetId ?? null,
        orderedAt: decision.enhetId ? new Date('2026-06-02T08:00:00Z') : null,
        seq: nextSeq(),
      })
      .execute();
  });
}

/** Routes a decision's order to another unit or team, as the decisions service does. */
export async function orderTo(db: Db, decisionId: string, enhetId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockChangeSequence(trx);
    await trx
      .updateTable('decision')
      .set({ enhetId, orderedAt: new Date(), seq: nextSeq() })
      .where('id', '=', decisionId)
      .execute();
  });
}

/** A note (anteckning): any role that reaches a decision may log one, on any date. */
export function note(decisionId: string, date = '2026-07-01', text = 'Ringde'): CaseEvent {
  return { id: randomUUID(), decisionId, type: 'anteckning', date, text };
}

export function offer(decisionId: string, date = '2026-07-01'): CaseEvent {
  return { id: randomUUID(), decisionId, type: 'erbjudande', date, text: 'Plats på Eken' };
}

export function eventMutation(event: CaseEvent) {
  return { id: randomUUID(), kind: 'event' as const, event };
}

type Caller = Awaited<ReturnType<typeof callerFor>>;

/** Pulls page after page from `cursor` until the server has no more, as a phone does. */
export async function pullAll(
  caller: Caller,
  cursor: string | null,
  limit?: number,
): Promise<{ pages: PullResult[]; cursor: string }> {
  const pages: PullResult[] = [];
  let next = cursor;
  for (;;) {
    const page = await caller.sync.pull({ cursor: next, limit });
    pages.push(page);
    next = page.cursor;
    if (!page.more) return { pages, cursor: page.cursor };
    if (pages.length > 1000) throw new Error('pull never ends');
  }
}
