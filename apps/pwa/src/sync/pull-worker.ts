import { api } from '../api/client';
import { readCasesHere } from '../local/cases';
import { type LocalDb, openLocalDb } from '../local/db';
import { pullPageInto } from './pull-page';
import { type Port, serveWorker } from './worker-rpc';

/*
 * The sync worker: fetches sync.pullPacked's pages, parses them and writes them to IndexedDB, and reads
 * the case list with every decision's status, all off the page's main thread, so a first sync or a
 * list of hundreds of decisions never holds up a tap or a scroll. The session cookie goes along
 * (same origin); the engine in the page decides when to pull and tells the screens after every
 * page.
 */

let opened: Promise<LocalDb> | null = null;
const db = () => {
  opened ??= openLocalDb();
  return opened;
};

serveWorker(self as unknown as Port, {
  pull: async (limit) =>
    pullPageInto(await db(), (input) => api.sync.pullPacked.query(input), limit),
  cases: async (today) => readCasesHere(await db(), today),
});
