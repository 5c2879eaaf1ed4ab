import {
  addQuarters,
  type CaseEvent,
  quarterBounds,
  quarterOf,
  quarterReport,
  todayInStockholm,
} from '@evb/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../seed/startup';
import { toDomainDecision, toDomainEvent } from '../services/case-events';
import { callerFor, openTestDatabase, type TestDatabase } from '../testing/harness';

/*
 * quarter.lines reads only the decisions that can have a line in the quarter (quarterSelection:
 * those that may have an episode overdue in it). On the demo kommun, whose
 * decisions give every kind of line, each rapportör's lines for the last five quarters must be
 * exactly what the domain's quarterReport gives over every decision they report, unfiltered.
 */

const today = todayInStockholm();
let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
  await seedDemoIfEmpty(database.db, today);
});
afterAll(async () => {
  await database?.dispose();
});

describe('quarter.lines on the demo kommun', () => {
  it('gives every rapportör exactly the domain’s lines over all their decisions', async () => {
    const db = database.db;
    const decisions = await db.selectFrom('decision').selectAll().execute();
    const events = new Map<string, CaseEvent[]>();
    for (const row of await db.selectFrom('caseEvent').selectAll().execute()) {
      events.set(row.decisionId, [...(events.get(row.decisionId) ?? []), toDomainEvent(row)]);
    }
    const grants = await db
      .selectFrom('userRole')
      .select(['userId', 'namndId', 'verksamhetsomrade'])
      .where('role', 'in', ['rapportor', 'huvudrapportor'])
      .execute();
    expect(grants.length).toBeGreaterThan(0);

    let compared = 0;
    let leftUnread = 0;
    for (const grant of grants) {
      const caller = await callerFor(database, grant.userId);
      const namndId = grant.namndId!;
      const areas = grant.verksamhetsomrade ? [grant.verksamhetsomrade] : undefined;
      const reported = decisions.filter(
        (d) => d.namndId === namndId && (!areas || areas.includes(d.verksamhetsomrade)),
      );
      for (let back = 4; back >= 0; back--) {
        const quarter = addQuarters(quarterOf(today), -back);
        const expected = reported.flatMap((d) =>
          quarterReport(toDomainDecision(d), events.get(d.id) ?? [], quarter).map((line) =>
            [
              line.decisionId,
              line.episode.kind,
              line.episode.start,
              line.report,
              line.status,
              line.statusDate ?? null,
              line.overdueFrom,
              line.daysWaited,
            ].join('|'),
          ),
        );
        const result = await caller.quarter.lines({
          namndId,
          quarter,
          ...(areas ? { verksamhetsomraden: areas as never } : {}),
        });
        const actual = result.lines.map((l) =>
          [
            l.decisionId,
            l.episode.kind,
            l.episode.start,
            l.report,
            l.status,
            l.statusDate,
            l.overdueFrom,
            l.daysWaited,
          ].join('|'),
        );
        expect(actual.sort()).toEqual(expected.sort());
        compared += expected.length;
        leftUnread += reported.filter(
          (d) => d.waitingEndedBy !== null && d.waitingEndedBy < quarterBounds(quarter).start,
        ).length;
      }
    }
    // The comparison covers many lines, and the narrowed read really left decisions unread.
    expect(compared).toBeGreaterThan(100);
    expect(leftUnread).toBeGreaterThan(0);
  });
});
