import { PGlite } from '@electric-sql/pglite';
import type { CaseEvent } from '@evb/domain';
import { CamelCasePlugin, Kysely, PGliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { insertDecision, insertEvents, insertPerson } from '../testing/decisions';
import { seedFixture } from '../testing/fixture';
import { PGLITE_PARSERS } from './database';
import { migrateTo, migrateToLatest } from './migrate';
import type { DB } from './schema';

/*
 * A migration that fills a new column from the data already there must give what its trigger
 * gives for data written afterwards. Runs on an embedded database in memory: the migrations are
 * the same SQL on PostgreSQL.
 */

let pglite: PGlite | undefined;

afterEach(async () => {
  await pglite?.close();
});

async function openAt(migration: string): Promise<Kysely<DB>> {
  pglite = await PGlite.create({ parsers: PGLITE_PARSERS });
  const db = new Kysely<DB>({
    dialect: new PGliteDialect({ pglite }),
    plugins: [new CamelCasePlugin()],
  });
  await migrateTo(db as unknown as Kysely<unknown>, migration);
  return db;
}

const event = (
  decisionId: string,
  n: number,
  type: 'verkstalld' | 'avbrott' | 'avslutad',
  date: string,
): CaseEvent =>
  ({
    id: `${decisionId}-${n}`,
    decisionId,
    type,
    date,
    recordedAt: `${date}T${String(8 + n).padStart(2, '0')}:00:00.000Z`,
    ...(type === 'avslutad' ? { anledning: 'behov_upphort' } : {}),
  }) as CaseEvent;

/** Decisions and their episode events, with the bounds expected of them. */
const histories: {
  id: string;
  events: [type: 'verkstalld' | 'avbrott' | 'avslutad', date: string][];
  lastInterruption: string | null;
  earlierWaitsEndedBy: string | null;
  waitingEndedBy: string | null;
}[] = [
  {
    id: 'd-waiting',
    events: [],
    lastInterruption: null,
    earlierWaitsEndedBy: null,
    waitingEndedBy: null,
  },
  {
    id: 'd-executed',
    events: [['verkstalld', '2026-03-01']],
    lastInterruption: null,
    earlierWaitsEndedBy: null,
    waitingEndedBy: '2026-03-01',
  },
  {
    id: 'd-interrupted',
    events: [
      ['verkstalld', '2026-02-01'],
      ['avbrott', '2026-04-10'],
    ],
    lastInterruption: '2026-04-10',
    earlierWaitsEndedBy: '2026-02-01',
    waitingEndedBy: null,
  },
  {
    id: 'd-resumed-twice',
    events: [
      ['verkstalld', '2026-02-01'],
      ['avbrott', '2026-03-01'],
      ['verkstalld', '2026-05-01'],
      ['avbrott', '2026-05-01'],
      ['avslutad', '2026-09-01'],
    ],
    lastInterruption: '2026-05-01',
    // The execution on the day of the last interruption may have come before it.
    earlierWaitsEndedBy: '2026-05-01',
    waitingEndedBy: '2026-09-01',
  },
];

async function givenHistories(db: Kysely<DB>) {
  await seedFixture(db);
  await insertPerson(db, {
    id: 'p1',
    fornamn: 'Astrid',
    efternamn: 'Lind',
    ivoId: '19800101-T123',
  });
  for (const h of histories) {
    await insertDecision(db, {
      id: h.id,
      personId: 'p1',
      insats: 'LSS_9_4',
      beslutsdatum: '2026-01-05',
    });
    await insertEvents(
      db,
      h.events.map(([type, date], n) => event(h.id, n, type, date)),
    );
  }
}

async function bounds(db: Kysely<DB>) {
  return db
    .selectFrom('decision')
    .select(['id', 'lastInterruption', 'earlierWaitsEndedBy', 'waitingEndedBy'])
    .orderBy('id')
    .execute();
}

const expected = histories
  .map(({ id, lastInterruption, earlierWaitsEndedBy, waitingEndedBy }) => ({
    id,
    lastInterruption,
    earlierWaitsEndedBy,
    waitingEndedBy,
  }))
  .sort((a, b) => (a.id < b.id ? -1 : 1));

describe('0006_episode_bounds', () => {
  it('fills the episode bounds of decisions written before it', async () => {
    const db = await openAt('0005_decision_case_system_id');
    await givenHistories(db);
    await migrateToLatest(db as unknown as Kysely<unknown>);
    expect(await bounds(db)).toEqual(expected);
  });

  it('keeps them as events are written after it, and when one is taken back', async () => {
    const db = await openAt('0006_episode_bounds');
    await givenHistories(db);
    expect(await bounds(db)).toEqual(expected);

    await db.deleteFrom('caseEvent').where('id', '=', 'd-interrupted-1').execute();
    const [row] = await db
      .selectFrom('decision')
      .select(['lastInterruption', 'earlierWaitsEndedBy', 'waitingEndedBy'])
      .where('id', '=', 'd-interrupted')
      .execute();
    expect(row).toEqual({
      lastInterruption: null,
      earlierWaitsEndedBy: null,
      waitingEndedBy: '2026-02-01',
    });
  });
});
