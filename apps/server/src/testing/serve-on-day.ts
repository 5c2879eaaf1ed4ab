/*
 * The server on another day, for the onboarding e2e spec (test/e2e/onboarding.spec.ts): the
 * rapportör's work depends on which reporting window is open, and the demo data is seeded relative
 * to the server's today. This starts the real application (createApp, the built PWA) on the
 * embedded database with its clock moved forward to a day inside a reporting window — today, if a
 * window is open now — seeds the demo kommun as of that day, and writes the kommun's "earlier
 * filings" file: every line of the two quarters before that window's quarter for the demo
 * rapportör, as the kommun would have filed them in IVO's e-tjänst, except one line left out to be
 * recorded afterwards in the browser. A manifest (JSON) says which day, quarters and line.
 *
 *   tsx src/testing/serve-on-day.ts --port P --data-dir DIR --manifest FILE
 *
 * Test code: the product's server has no way to move its clock.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  addDays,
  addQuarters,
  daysBetween,
  type FilingImportField,
  filingImportCsv,
  filingImportQuarterLabel,
  type IsoDate,
  maxDate,
  type Quarter,
  quarterKey,
  quarterOf,
  reportingWindow,
  todayInStockholm,
} from '@evb/domain';
import { serve } from '@hono/node-server';
import { createApp } from '../app';
import { createDatabase } from '../db/database';
import { seedDemoIfEmpty } from '../seed/startup';
import type { ServerClock } from '../trpc/context';
import { callerFor } from './harness';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    manifest: { type: 'string' },
  },
});
if (!values.port || !values['data-dir'] || !values.manifest) {
  throw new Error('Usage: serve-on-day.ts --port P --data-dir DIR --manifest FILE');
}

/** The first reporting window that has not closed: its quarter, and a day in it not before today. */
function openWindowDay(today: IsoDate): { quarter: Quarter; day: IsoDate } {
  for (let q = addQuarters(quarterOf(today), -1); ; q = addQuarters(q, 1)) {
    const window = reportingWindow(q);
    if (window.closes >= today) return { quarter: q, day: maxDate(today, window.opens) };
  }
}

const realToday = todayInStockholm();
const { quarter: windowQuarter, day } = openWindowDay(realToday);
const shiftMs = daysBetween(realToday, day) * 24 * 60 * 60 * 1000;
// Forward only, so a cookie's expiry the server sets is never already past for the browser.
const clock: ServerClock = {
  now: () => new Date(Date.now() + shiftMs),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const database = await createDatabase({ kind: 'pglite', dataDir: values['data-dir'] });
await seedDemoIfEmpty(database.db, day);

const rapportor = await database.db
  .selectFrom('appUser')
  .innerJoin('userRole', 'userRole.userId', 'appUser.id')
  .select(['appUser.id', 'userRole.namndId'])
  .where('appUser.username', '=', 'rapportor')
  .where('userRole.role', '=', 'rapportor')
  .executeTakeFirstOrThrow();
const namndId = rapportor.namndId as string;
const caller = await callerFor(database, rapportor.id, clock);

type Row = Record<FilingImportField, string> & { decisionId: string; episodeStart: string };
const halfYear = [addQuarters(windowQuarter, -2), addQuarters(windowQuarter, -1)];
const rows: Row[] = [];
const newInLast = new Set<string>();
for (const quarter of halfYear) {
  const { lines } = await caller.quarter.lines({ namndId, quarter });
  const sent = addDays(reportingWindow(quarter).opens, 1);
  for (const line of lines) {
    const decision = await database.db
      .selectFrom('decision')
      .innerJoin('person', 'person.id', 'decision.personId')
      .select(['decision.beslutsdatum', 'decision.insats', 'person.personnummer', 'person.ivoId'])
      .where('decision.id', '=', line.decisionId)
      .executeTakeFirstOrThrow();
    const ended = line.status !== 'ej_verkstalld';
    rows.push({
      decisionId: line.decisionId,
      episodeStart: line.episode.start,
      person: decision.personnummer ?? decision.ivoId,
      beslutsdatum: decision.beslutsdatum,
      insats: decision.insats,
      avbrottsdatum: line.episode.kind === 'avbrott' ? line.episode.start : '',
      kvartal: filingImportQuarterLabel(quarter),
      rapporttyp: ended ? 'slut' : line.report,
      // An ended line may be sent from its end; one still waiting inside the window.
      inlamnad: ended ? maxDate(line.statusDate ?? sent, sent) : sent,
    });
    if (quarter === halfYear[1] && line.report === 'ny' && !ended) {
      newInLast.add(`${line.decisionId}|${line.episode.start}`);
    }
  }
}

// Left out: a line new in the last quarter and still waiting, so the open period's line for it
// says no earlier filing is recorded until the rapportör records this one afterwards.
const leftOutKey = [...newInLast][0];
if (!leftOutKey) throw new Error('The demo data has no new, still waiting line to leave out');
const [leftOutDecision, leftOutStart] = leftOutKey.split('|') as [string, string];
const imported = rows.filter(
  (r) =>
    !(
      r.decisionId === leftOutDecision &&
      r.episodeStart === leftOutStart &&
      r.kvartal === filingImportQuarterLabel(halfYear[1]!)
    ),
);
const csvPath = `${values.manifest}.csv`;
writeFileSync(csvPath, filingImportCsv(imported));
writeFileSync(
  values.manifest,
  JSON.stringify(
    {
      day,
      namndId,
      windowQuarter: quarterKey(windowQuarter),
      halfYear: halfYear.map(quarterKey),
      csvPath,
      rows: imported.length,
      leftOut: {
        decisionId: leftOutDecision,
        episodeStart: leftOutStart,
        quarter: quarterKey(halfYear[1]!),
        sendOn: addDays(reportingWindow(halfYear[1]!).opens, 3),
      },
    },
    null,
    2,
  ),
);

const pwaRoot = fileURLToPath(new URL('../../../pwa/dist', import.meta.url));
const app = createApp({ database, pwaRoot, clock });
const server = serve({ fetch: app.fetch, port: Number(values.port) }, (info) => {
  console.log(`evb (on ${day}) is running at http://localhost:${info.port}/`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close();
    void database.close().then(() => process.exit(0));
  });
}
