import { parseArgs } from 'node:util';
import type { IsoDate } from '@evb/domain';
import { z } from 'zod';
import {
  deleteAllData,
  inSeedTransaction,
  isDatabaseEmpty,
  seedCounts,
  vacuumAnalyzeDatabase,
} from '../data/seed';
import type { Database } from '../db/database';
import { type BulkOptions, bulkBatches, bulkOrganisation } from './bulk';
import { DEMO_DECISIONS } from './demo';
import { DEMO_KOMMUN } from './organisation';
import { demoUserLines, presentDemoUsers, seedDemoIfEmpty } from './startup';
import { writeBatch, writeOrganisation } from './write';

export const SEED_USAGE = `Usage: seed [--size N] [--events-per-decision E] [--reset] [--database-url URL]

Fills the database with demo data. Without --size: the demo kommun (${DEMO_KOMMUN}, about
${DEMO_DECISIONS} decisions and one demo user per role), as the server seeds it on its first start.
With --size: N decisions with E events each on average (default 20) for benchmarks, spread over
the demo kommun and made-up kommuner; the demo users can sign in to look at it.

  --size N                   number of decisions (1 to 10 000 000)
  --events-per-decision E    average number of events per decision (0 to 1 000; default 20)
  --reset                    delete everything in the database first (needed when it is not empty)
  --database-url URL         a PostgreSQL database; default DATABASE_URL, else the embedded
                             database in DATA_DIR (stop the server first: the embedded database
                             can only be opened by one program at a time)
  --help                     show this text`;

/** A wrong command line: the message says what, and the usage follows. */
export class SeedUsageError extends Error {}

/** The database has data and --reset was not given. */
export class SeedRefusedError extends Error {}

const OptionsSchema = z.object({
  size: z.coerce
    .number({ error: '--size must be a whole number' })
    .int({ error: '--size must be a whole number' })
    .min(1, { error: '--size must be at least 1' })
    .max(10_000_000, { error: '--size must be at most 10 000 000' })
    .optional(),
  eventsPerDecision: z.coerce
    .number({ error: '--events-per-decision must be a number' })
    .min(0, { error: '--events-per-decision must be at least 0' })
    .max(1000, { error: '--events-per-decision must be at most 1 000' })
    .default(20),
  reset: z.boolean().default(false),
  databaseUrl: z.string().min(1, { error: '--database-url must not be empty' }).optional(),
  help: z.boolean().default(false),
});

export type SeedOptions = z.infer<typeof OptionsSchema>;

export function parseSeedArgs(argv: readonly string[]): SeedOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        size: { type: 'string' },
        'events-per-decision': { type: 'string' },
        reset: { type: 'boolean' },
        'database-url': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new SeedUsageError((error as Error).message);
  }
  const parsed = OptionsSchema.safeParse({
    size: values.size,
    eventsPerDecision: values['events-per-decision'],
    reset: values.reset,
    databaseUrl: values['database-url'],
    help: values.help,
  });
  if (!parsed.success) throw new SeedUsageError(parsed.error.issues[0]!.message);
  if (values.size !== undefined && !/^\d+$/.test(String(values.size))) {
    throw new SeedUsageError('--size must be a whole number');
  }
  return parsed.data;
}

export type SeedSummary = { decisions: number; events: number; persons: number; users: number };

const count = (n: number) => n.toLocaleString('en-US');

/** "2 min 13 s" or "4.2 s". */
export function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * Seeds `database` as the options say, telling `log` how it goes. Refuses a database that has
 * data unless `reset` is set, and then deletes everything in it first.
 */
export async function runSeed(
  database: Database,
  options: SeedOptions,
  today: IsoDate,
  log: (line: string) => void,
): Promise<SeedSummary> {
  const { db } = database;
  const started = Date.now();
  if (!(await isDatabaseEmpty(db))) {
    if (!options.reset) {
      const has = await seedCounts(db);
      throw new SeedRefusedError(
        `The database is not empty (${count(has.users)} users, ${count(has.decisions)} decisions). ` +
          'Run again with --reset to delete everything in it and seed anew.',
      );
    }
    log('Deleting all data (--reset)…');
    await inSeedTransaction(db, deleteAllData);
  }
  if (options.size === undefined) {
    log(`Seeding the demo kommun ${DEMO_KOMMUN} as of ${today}…`);
    await seedDemoIfEmpty(db, today);
  } else {
    await seedBulk(
      database,
      { size: options.size, eventsPerDecision: options.eventsPerDecision, today },
      log,
    );
  }
  // Fresh planner statistics and visibility map for the new data (PGlite has no autovacuum).
  await vacuumAnalyzeDatabase(db);
  const summary = await seedCounts(db);
  log(
    `Seeded ${count(summary.decisions)} decisions, ${count(summary.events)} events ` +
      `(${(summary.events / Math.max(1, summary.decisions)).toFixed(1)} per decision), ` +
      `${count(summary.persons)} persons and ${count(summary.users)} users in ${duration(Date.now() - started)}.`,
  );
  for (const line of demoUserLines(await presentDemoUsers(db))) log(line);
  return summary;
}

async function seedBulk(database: Database, options: BulkOptions, log: (line: string) => void) {
  const { db } = database;
  const started = Date.now();
  const plan = bulkOrganisation(options);
  log(
    `Seeding ${count(options.size)} decisions with ${options.eventsPerDecision} events each on ` +
      `average, in ${plan.org.kommuner.length} kommuner with ${plan.org.namnder.length} nämnder, as of ${options.today}…`,
  );
  await inSeedTransaction(db, (trx) => writeOrganisation(trx, plan.org));
  let decisions = 0;
  let events = 0;
  let checked = 0;
  let refused = 0;
  let waitingInLarge = 0;
  let reported = 0;
  for (const batch of bulkBatches(plan, options)) {
    await inSeedTransaction(db, (trx) => writeBatch(trx, batch));
    decisions += batch.decisions.length;
    events += batch.events.length;
    checked += batch.checked;
    refused += batch.refused.length;
    waitingInLarge += batch.waitingInLarge;
    // Progress about every tenth of the way.
    if (decisions - reported >= options.size / 10 || decisions === options.size) {
      reported = decisions;
      const seconds = (Date.now() - started) / 1000;
      log(
        `  ${count(decisions)} / ${count(options.size)} decisions, ${count(events)} events ` +
          `(${duration(Date.now() - started)}, ${count(Math.round(events / Math.max(seconds, 0.001)))} events/s)`,
      );
    }
  }
  log(
    `Checked ${count(checked)} events one by one with the domain's assertEventFits: ` +
      `${count(refused)} refused (not written).`,
  );
  const large = plan.org.kommuner.find((k) => k.id === plan.large.kommunId)!;
  log(
    `${plan.large.namn} in ${large.namn} (the large nämnd) has ${count(waitingInLarge)} decisions waiting.`,
  );
}
