import type { Quarter } from '@evb/domain';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import type { Database } from '../db/database';
import { configureRender, DEFAULT_RENDER_SETTINGS } from '../render/pool';
import { insertDecision, insertPerson } from '../testing/decisions';
import { bytesOf, getExport, signIn } from '../testing/export-http';
import { ORG } from '../testing/fixture';
import { callerFor, clearAuditLog, fixedClock, useTestDatabase } from '../testing/harness';
import { pdfText } from '../testing/pdf';

/*
 * The quarter's exports over HTTP with a large quarter: the file is rendered off the request
 * thread, within a time limit. What these tests check is where and for how long the render runs,
 * which does not depend on the database: vitest.config.ts runs this file on PGlite only. The
 * files' contents, access and audit on both databases: exports.test.ts.
 */

const Q2: Quarter = { year: 2026, quarter: 2 };
const TODAY = '2026-07-05';

function appOn(database: Database, day = TODAY) {
  return createApp({ database, pwaRoot: '/nonexistent', clock: fixedClock(`${day}T10:00:00Z`) });
}

describe('the quarter’s exports run off the request thread, within a time limit', () => {
  // Both tests read the same large quarter and change none of it: it is made once for the file
  // (200 drafts through reports.saveDraft took most of each test's time).
  const database = useTestDatabase({ reset: 'once' });
  const Q = `namndId=${ORG.vard}&quarter=2026-Q2`;
  const LINES = 200;

  beforeAll(async () => {
    // A quarter of lines whose drafts fill every free text to its maximum with one long word.
    const rapportor = await callerFor(database, 'rapportorLss', fixedClock(`${TODAY}T09:00:00Z`));
    for (let i = 0; i < LINES; i++) {
      const id = `big${i}`;
      await insertPerson(database.db, { id: `pb${i}`, fornamn: 'Stor', efternamn: `Text ${i}` });
      await insertDecision(database.db, {
        id,
        personId: `pb${i}`,
        insats: 'LSS_9_10',
        beslutsdatum: '2026-01-20',
      });
      await rapportor.reports.saveDraft({
        namndId: ORG.vard,
        quarter: Q2,
        decisionId: id,
        episodeStart: '2026-01-20',
        draft: {
          skal: 'hos_den_enskilde',
          orsak: 'annat',
          orsakText: 'o'.repeat(4000),
          delvisVerkstalld: true,
          delvisDatum: '2026-03-01',
          delvisText: 'd'.repeat(4000),
          kompenserandeInsats: true,
          kompenserandeText: `2026-03-01 ${'k'.repeat(3989)}`,
          ovrigt: 'w'.repeat(4000),
        },
      });
    }
  });

  afterEach(() => {
    configureRender(DEFAULT_RENDER_SETTINGS);
  });

  it('answers other requests promptly while a large quarter’s PDF is rendered', async () => {
    const a = appOn(database);
    const cookie = await signIn(a, 'rapportorLss');
    // The workers are started by a first export, outside the measurement.
    expect((await getExport(a, 'kvartal.csv', Q, cookie)).status).toBe(200);

    const started = performance.now();
    let done = false;
    const exported = (async () => {
      const response = await getExport(a, 'kvartal.pdf', Q, cookie);
      const bytes = await bytesOf(response);
      done = true;
      return { response, bytes, ms: performance.now() - started };
    })();
    const latencies: number[] = [];
    while (!done) {
      const asked = performance.now();
      const health = await a.request('/api/health', { headers: { host: 'evb.test' } });
      expect(health.status).toBe(200);
      latencies.push(performance.now() - asked);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { response, bytes, ms } = await exported;
    expect(response.status).toBe(200);
    expect((await pdfText(bytes)).length).toBeGreaterThan(LINES * 2);
    // The export takes a while; the health checks made meanwhile answer in a small part of it.
    // Nine in ten, not every one: on a loaded machine a single check can meet a pause of the whole
    // process (a collection, the scheduler), which says nothing about where the render runs; a
    // render on the request thread would hold most of them for most of the export.
    expect(ms).toBeGreaterThan(500);
    expect(latencies.length).toBeGreaterThan(5);
    const sorted = [...latencies].sort((x, y) => x - y);
    expect(sorted[Math.floor(sorted.length * 0.9)]).toBeLessThan(ms / 5);
  });

  it('stops a render past the time limit with a Swedish 503, and audits no file', async () => {
    const a = appOn(database);
    const cookie = await signIn(a, 'rapportorLss');
    // The test before this one exported the quarter: its rows are not this request's.
    await clearAuditLog(database);
    configureRender({ timeLimitMs: 20 });
    const response = await getExport(a, 'kvartal.pdf', Q, cookie);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe(
      'Filen tog för lång tid att ta fram och avbröts efter 1 sekund. Försök igen om en stund. ' +
        'Händer det igen, kontakta den som förvaltar evb.',
    );
    const audited = await database.db
      .selectFrom('auditLog')
      .select('action')
      .where('action', '=', 'kvartal_pdf')
      .execute();
    expect(audited).toEqual([]);
    // Within the limit the same export is made.
    configureRender(DEFAULT_RENDER_SETTINGS);
    expect((await getExport(a, 'kvartal.pdf', Q, cookie)).status).toBe(200);
  });
});
