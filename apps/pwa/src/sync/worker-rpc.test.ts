import 'fake-indexeddb/auto';
import { TRPCClientError } from '@trpc/client';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RouterInputs, RouterOutputs, SessionEnded } from '../api/client';
import type { Me } from '../app/context';
import { adoptUser } from '../auth/session';
import { byUrgency, readCases, readCasesHere, readCasesWith } from '../local/cases';
import { getMeta, type LocalDb, openLocalDb, type StoredDecision } from '../local/db';
import { storedDecision } from '../local/stored-decision.fixtures';
import { type SyncApi, SyncEngine } from './engine';
import { type PullPage, pullPageInto } from './pull-page';
import {
  type Port,
  receivedError,
  sendableError,
  serveWorker,
  type WorkerLike,
  workerCaseReader,
  workerClient,
  workerPuller,
} from './worker-rpc';

type Page = RouterOutputs['sync']['pullPacked'];

const page = (over: Partial<Page>): Page => ({
  cursor: 'c1',
  more: false,
  reset: false,
  scopeKey: 'k',
  progress: null,
  decisions: [],
  users: [],
  events: {},
  filings: [],
  drafts: [],
  removed: { decisions: [], drafts: [] },
  ...over,
});

const decision = (id: string): StoredDecision =>
  storedDecision(id, '2026-06-01', {
    verksamhetsomrade: 'lss',
    insats: 'LSS_9_10',
    person: { fornamn: 'A', efternamn: 'B' } as StoredDecision['person'],
  });

function unauthorized(ended: SessionEnded | null) {
  return new TRPCClientError('Du är inte inloggad.', {
    result: {
      error: {
        message: 'Du är inte inloggad.',
        code: -32001,
        data: { httpStatus: 401, sessionEnded: ended },
      },
    },
  } as never);
}

/**
 * A worker and its global scope joined as postMessage joins them: asynchronously, and with every
 * message structured-cloned (an answer that cannot cross a thread fails here too).
 */
function channel(): { page: WorkerLike; worker: Port; fail: () => void } {
  const page: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage: (m) =>
      queueMicrotask(() => worker.onmessage?.({ data: structuredClone(m) } as MessageEvent)),
  };
  const worker: Port = {
    onmessage: null,
    postMessage: (m) =>
      queueMicrotask(() => page.onmessage?.({ data: structuredClone(m) } as MessageEvent)),
  };
  const fail = () => page.onerror?.(new Event('error') as ErrorEvent);
  return { page, worker, fail };
}

const ME = { id: 'u1', username: 'utforare', displayName: 'U', roles: [] } as unknown as Me;

let db: LocalDb;
let n = 0;
beforeEach(async () => {
  db = await openLocalDb(`worker-puller-${++n}`);
  await adoptUser(db, ME);
});

/** The worker's side over its own connection to the same database, as in the browser. */
async function startWorker(
  pull: PullPage,
): Promise<{ connects: number; connect: () => WorkerLike }> {
  const workerDb = await openLocalDb(`worker-puller-${n}`);
  const state = {
    connects: 0,
    connect: () => {
      state.connects++;
      const { page, worker } = channel();
      serveWorker(worker, {
        pull: (limit) => pullPageInto(workerDb, pull, limit),
        cases: (today) => readCasesHere(workerDb, today),
      });
      return page;
    },
  };
  return state;
}

const api = (pull: PullPage): SyncApi => ({
  push: async () => [],
  pull,
  org: async () => ({ namnder: [] }),
});

describe('the pull worker', () => {
  it('writes each page in the worker; the engine follows the cursor, shows progress and tells the screens per page', async () => {
    const pages = [
      page({
        cursor: 'c5',
        more: true,
        reset: true,
        progress: { done: 1, total: 2 },
        decisions: [decision('b1')],
      }),
      page({ cursor: 'c9', progress: { done: 2, total: 2 }, decisions: [decision('b2')] }),
    ];
    const asked: RouterInputs['sync']['pullPacked'][] = [];
    const pull: PullPage = async (input) => {
      asked.push(input);
      return pages.shift() ?? page({ cursor: String(input.cursor) });
    };
    const worker = await startWorker(pull);
    const engine = new SyncEngine(db, api(pull), true, workerPuller(workerClient(worker.connect)));
    const fetching: unknown[] = [];
    engine.subscribe(() => fetching.push(engine.getState().fetching));
    let told = 0;
    engine.onDataChange(() => told++);
    engine.signedIn(ME.id);
    await engine.sync();

    // signedIn's run and the one asked for: the second starts from the last cursor.
    expect(asked.map((a) => a.cursor).slice(0, 2)).toEqual([null, 'c5']);
    expect(asked[1]?.scopeKey).toBe('k');
    expect((await db.getAll('decisions')).map((d) => d.id).sort()).toEqual(['b1', 'b2']);
    expect(await getMeta(db, 'cursor')).toBe('c9');
    expect(fetching).toContainEqual({ done: 1, total: 2 });
    expect(engine.getState().fetching).toBeNull();
    // Once per page, and once when the run ends.
    expect(told).toBeGreaterThanOrEqual(2);
    expect(engine.getState().error).toBeNull();
    expect(worker.connects).toBe(1);
  });

  it("brings the server's 401 back to the engine: the session has ended", async () => {
    const worker = await startWorker(async () => {
      throw unauthorized('idle');
    });
    const engine = new SyncEngine(
      db,
      api(async () => page({})),
      true,
      workerPuller(workerClient(worker.connect)),
    );
    engine.signedIn(ME.id);
    await engine.sync();
    expect(engine.getState().needsSignIn).toBe(true);
    expect(engine.getState().ended).toBe('idle');
  });

  it('says the server does not answer when the network failed, and keeps the session', async () => {
    const worker = await startWorker(async () => {
      throw new TypeError('Failed to fetch');
    });
    const engine = new SyncEngine(
      db,
      api(async () => page({})),
      true,
      workerPuller(workerClient(worker.connect)),
    );
    engine.signedIn(ME.id);
    await engine.sync();
    expect(engine.getState().needsSignIn).toBe(false);
    expect(engine.getState().error).toMatch(/Servern svarar inte|inte ansluten/);
  });

  it('fails the waiting pull when the worker cannot start, and starts it again on the next', async () => {
    let connects = 0;
    const failing = channel();
    const puller = workerPuller(
      workerClient(() => {
        connects++;
        return connects === 1 ? failing.page : { ...channel().page, postMessage: () => {} };
      }),
    );
    const first = puller(10);
    failing.fail();
    await expect(first).rejects.toThrow('Synkningen kunde inte starta.');
    void puller(10);
    expect(connects).toBe(2);
  });
});

describe('the case list read in the worker', () => {
  it('gives what the read in this thread gives, and falls back to it when the worker fails', async () => {
    const worker = await startWorker(async () =>
      page({ cursor: 'c1', reset: true, decisions: [decision('b1'), decision('b2')] }),
    );
    const client = workerClient(worker.connect);
    await workerPuller(client)(100);
    const here = (await readCasesHere(db, '2026-11-20')).sort(byUrgency);
    expect(here.map((c) => c.decision.id).sort()).toEqual(['b1', 'b2']);
    readCasesWith(db, workerCaseReader(client));
    expect((await readCases(db, '2026-11-20')).sort(byUrgency)).toEqual(here);
    readCasesWith(db, async () => {
      throw new Error('Synkningen kunde inte starta.');
    });
    expect((await readCases(db, '2026-11-20')).sort(byUrgency)).toEqual(here);
  });
});

describe('errors crossing to the page', () => {
  it('keep a tRPC error’s data, and make anything else a plain error', () => {
    const back = receivedError(structuredClone(sendableError(unauthorized('revoked'))));
    expect(back).toBeInstanceOf(TRPCClientError);
    expect((back as TRPCClientError<never>).data).toMatchObject({
      httpStatus: 401,
      sessionEnded: 'revoked',
    });
    const plain = receivedError(structuredClone(sendableError(new TypeError('Failed to fetch'))));
    expect(plain).not.toBeInstanceOf(TRPCClientError);
    expect(plain.message).toBe('Failed to fetch');
  });
});
