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
  addQuarters,
  compareQuarters,
  daysBetween,
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
import { demoEarlierFilings } from './earlier-filings';

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

// The kommun's earlier filings of the half-year before the open period (testing/earlier-filings),
// less one line new in the last quarter and still waiting: the open period's line for it says no
// earlier filing is recorded until the rapportör records this one afterwards.
const earlier = demoEarlierFilings(day);
const leftOutIndex = earlier.filings.findIndex(
  (f) => compareQuarters(f.quarter, earlier.quarters[1]) === 0 && f.rapporttyp === 'ny',
);
const leftOut = earlier.filings[leftOutIndex];
if (!leftOut) throw new Error('The demo data has no new, still waiting line to leave out');
const csvLines = earlier.csv.split('\r\n');
// Line 0 is the header; the filings are in the file's order.
csvLines.splice(leftOutIndex + 1, 1);
const csvPath = `${values.manifest}.csv`;
writeFileSync(csvPath, csvLines.join('\r\n'));
writeFileSync(
  values.manifest,
  JSON.stringify(
    {
      day,
      namndId: earlier.namndId,
      windowQuarter: quarterKey(windowQuarter),
      halfYear: earlier.quarters.map(quarterKey),
      csvPath,
      rows: earlier.filings.length - 1,
      leftOut: {
        decisionId: leftOut.decisionId,
        episodeStart: leftOut.episodeStart,
        quarter: quarterKey(leftOut.quarter),
        sendOn: leftOut.filedOn,
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
