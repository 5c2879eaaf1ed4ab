import 'fake-indexeddb/auto';
import { type CaseEvent, packEvents, type SyncedEvent } from '@evb/domain';
import { TRPCClientError } from '@trpc/client';
import { v7 as uuidv7 } from 'uuid';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RouterOutputs, SessionEnded } from '../api/client';
import type { Me } from '../app/context';
import { adoptUser } from '../auth/session';
import {
  getMeta,
  type LocalDb,
  openLocalDb,
  type SessionEnd,
  type StoredDecision,
  setMeta,
} from '../local/db';
import { draftKey, loadDraft, saveDraft } from '../local/drafts';
import { type SyncApi, SyncEngine } from './engine';
import { FIRST_PAGE_LIMIT } from './pull-page';

type PushAnswer = RouterOutputs['sync']['push'][number];
/** A page as the server builds it, before its events are packed for the wire. */
type PlainPage = Omit<RouterOutputs['sync']['pullPacked'], 'users' | 'events'> & {
  events: SyncedEvent[];
};
const sentBy = { id: 'u9', namn: 'Sara Nyström' };

const decision = (id: string): StoredDecision =>
  ({
    id,
    namndId: 'n1',
    verksamhetsomrade: 'lss',
    inriktning: null,
    inriktningText: null,
    lagrum: 'LSS',
    insats: 'LSS_9_9',
    beslutsdatum: '2026-06-01',
    forhandsbesked: false,
    ersatterBeslutId: null,
    handlaggareId: 'h1',
    enhetId: 'e1',
    extern: false,
    person: {} as StoredDecision['person'],
  }) satisfies StoredDecision;

const anteckning = (decisionId: string, text: string): CaseEvent => ({
  id: uuidv7(),
  decisionId,
  type: 'anteckning',
  date: '2026-11-20',
  text,
});

type FakeServer = {
  reachable: boolean;
  signedIn: boolean;
  /** Why the session ended, in the 401's data. */
  ended: SessionEnded | null;
  pulledFrom: (string | number | null)[];
  pulledLimits: (number | undefined)[];
  refuse: Set<string>;
  pushes: number;
  stored: CaseEvent[];
  pullPages: PlainPage[];
  api: SyncApi;
};

const textOf = (e: CaseEvent) => ('text' in e ? (e.text ?? '') : '');

/** A server that applies each mutation id once, like sync.push, and can be taken offline. */
function fakeServer(): FakeServer {
  const answers = new Map<string, PushAnswer>();
  const stored: CaseEvent[] = [];
  const server: FakeServer = {
    reachable: true,
    signedIn: true,
    ended: null,
    pulledFrom: [],
    pulledLimits: [],
    refuse: new Set<string>(),
    pushes: 0,
    stored,
    pullPages: [] as PlainPage[],
    api: {
      async push({ mutations }) {
        if (!server.reachable) throw new TypeError('Failed to fetch');
        if (!server.signedIn) throw unauthorized(server.ended);
        server.pushes++;
        return mutations.map((m) => {
          const known = answers.get(m.id);
          if (known) return known;
          const event = (m as unknown as { event: CaseEvent }).event;
          const answer: PushAnswer = server.refuse.has(textOf(event))
            ? { id: m.id, status: 'rejected', code: 'BAD_REQUEST', reason: 'Beslutet är avslutat' }
            : {
                id: m.id,
                status: 'applied',
                result: { event: { ...event, recordedAt: '2026-11-20T10:00:00.000Z' } },
              };
          if (answer.status === 'applied') stored.push(event);
          answers.set(m.id, answer);
          return answer;
        });
      },
      async pull({ cursor, limit }) {
        if (!server.reachable) throw new TypeError('Failed to fetch');
        if (!server.signedIn) throw unauthorized(server.ended);
        server.pulledFrom.push(cursor);
        server.pulledLimits.push(limit);
        const page = server.pullPages.shift();
        if (page) return { ...page, ...packEvents(page.events) };
        return {
          cursor: String(cursor ?? 'c0'),
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
        };
      },
      async org() {
        return { namnder: [] };
      },
    },
  };
  return server;
}

/** A 401 as tRPC sends it, with the server's reason the session ended. */
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

let db: LocalDb;
let n = 0;

const ME = {
  id: 'u1',
  username: 'utforare',
  displayName: 'Ulla Utförare',
  roles: [],
} as unknown as Me;

/** An engine sending for ME, whose copy the device holds, after its first sync. */
async function started(api: SyncApi, online: boolean): Promise<SyncEngine> {
  await adoptUser(db, ME);
  const engine = new SyncEngine(db, api, online);
  engine.signedIn(ME.id);
  await engine.sync();
  return engine;
}

beforeEach(async () => {
  db = await openLocalDb(`test-${++n}`);
});

describe('the outbox', () => {
  it('keeps an event made offline and sends it exactly once when the network returns', async () => {
    const server = fakeServer();
    const engine = await started(server.api, false);
    await engine.enqueueEvent(anteckning('b1', 'Ringde'));
    expect(engine.getState().pending).toBe(1);
    expect(server.pushes).toBe(0);

    engine.setOnline(true);
    await engine.sync();
    await engine.sync();
    expect(server.stored.map((e) => e.type)).toEqual(['anteckning']);
    expect(engine.getState().pending).toBe(0);
    expect(await db.getAll('events')).toHaveLength(1);
  });

  it('sends again, under the same ids, what a failed push did not deliver', async () => {
    const server = fakeServer();
    server.reachable = false;
    const engine = await started(server.api, true);
    await engine.enqueueEvent(anteckning('b1', 'Första'));
    await engine.enqueueEvent(anteckning('b1', 'Andra'));
    await engine.sync();
    expect(engine.getState().pending).toBe(2);
    expect(engine.getState().error).toMatch(/Servern svarar inte|inte ansluten/);

    server.reachable = true;
    await engine.sync();
    expect(server.stored.map(textOf)).toEqual(['Första', 'Andra']);
    expect(engine.getState().error).toBeNull();
    expect(engine.getState().lastSyncAt).not.toBeNull();
  });

  it('keeps a refused item with the reason until it is fixed or discarded', async () => {
    const server = fakeServer();
    server.refuse.add('Fel');
    const engine = await started(server.api, true);
    await engine.enqueueEvent(anteckning('b1', 'Fel'));
    await engine.sync();
    const [refused] = engine.getState().rejected;
    expect(refused?.rejected?.reason).toBe('Beslutet är avslutat');
    expect(engine.getState().pending).toBe(0);

    await engine.resubmit(refused!.id, anteckning('b1', 'Rätt'));
    await engine.sync();
    expect(engine.getState().rejected).toEqual([]);
    expect(server.stored.map(textOf)).toEqual(['Rätt']);

    await engine.enqueueEvent(anteckning('b1', 'Fel'));
    await engine.sync();
    await engine.discard(engine.getState().rejected[0]!.id);
    expect(await db.getAll('outbox')).toEqual([]);
  });

  it('removes the form draft in the same step as the item enters the outbox', async () => {
    const engine = await started(fakeServer().api, false);
    await saveDraft(db, 'anteckning', 'b1', { text: 'Ringde' });
    await engine.enqueueEvent(anteckning('b1', 'Ringde'), draftKey('anteckning', 'b1'));
    expect(await loadDraft(db, draftKey('anteckning', 'b1'))).toBeUndefined();
    expect(await db.getAll('outbox')).toHaveLength(1);
  });

  it('keeps the outbox and asks for a new sign-in when the session has ended', async () => {
    const server = fakeServer();
    server.signedIn = false;
    const engine = await started(server.api, true);
    await engine.enqueueEvent(anteckning('b1', 'Ringde'));
    await engine.sync();
    expect(engine.getState().needsSignIn).toBe(true);
    expect(engine.getState().pending).toBe(1);

    server.signedIn = true;
    engine.signedIn(ME.id);
    await engine.sync();
    expect(engine.getState().pending).toBe(0);
  });
});

describe('pull', () => {
  const page = (over: Partial<PlainPage>): PlainPage => ({
    cursor: 'c1',
    more: false,
    reset: false,
    scopeKey: 'k',
    progress: null,
    decisions: [],
    events: [],
    filings: [],
    drafts: [],
    removed: { decisions: [], drafts: [] },
    ...over,
  });

  it('follows the cursor over pages, forgets removed decisions, and starts over on reset', async () => {
    const server = fakeServer();
    const engine = await started(server.api, true);
    const e1 = {
      ...anteckning('b1', 'x'),
      recordedAt: '2026-11-20T10:00:00.000Z',
      recordedBy: sentBy,
    };
    server.pullPages.push(
      page({ cursor: 'c5', more: true, reset: true, decisions: [decision('b1')] }),
      page({ cursor: 'c9', decisions: [decision('b2')], events: [e1] }),
    );
    await engine.sync();
    expect((await db.getAll('decisions')).map((d) => d.id)).toEqual(['b1', 'b2']);
    // Unpacked as it was sent: its id, decision and who logged it.
    expect(await db.getAll('events')).toEqual([e1]);
    expect(await db.get('meta', 'cursor')).toBe('c9');
    expect(server.pulledFrom.slice(-2)).toEqual(['c0', 'c5']);

    // The first sync (no cursor yet: sign-in's) asked for a small page for the first screen; a
    // device with a cursor asks for full ones.
    expect(server.pulledFrom[0]).toBeNull();
    expect(server.pulledLimits[0]).toBe(FIRST_PAGE_LIMIT);
    expect(server.pulledLimits.slice(1)).toEqual(server.pulledFrom.slice(1).map(() => 500));

    server.pullPages.push(page({ cursor: 'c10', removed: { decisions: ['b1'], drafts: [] } }));
    await engine.sync();
    expect((await db.getAll('decisions')).map((d) => d.id)).toEqual(['b2']);
    expect(await db.getAll('events')).toEqual([]);

    server.pullPages.push(page({ cursor: 'c3', reset: true, decisions: [decision('b3')] }));
    await engine.sync();
    expect((await db.getAll('decisions')).map((d) => d.id)).toEqual(['b3']);
  });

  it('shows the first page while a first sync goes on, and says how far it has come', async () => {
    const server = fakeServer();
    const engine = await started(server.api, true);
    server.pullPages.push(
      page({
        cursor: 's1',
        more: true,
        reset: true,
        progress: { done: 1, total: 3 },
        decisions: [decision('b1')],
      }),
      page({
        cursor: 's2',
        more: true,
        progress: { done: 2, total: 3 },
        decisions: [decision('b2')],
      }),
      page({
        cursor: 'c3',
        more: false,
        progress: { done: 3, total: 3 },
        decisions: [decision('b3')],
      }),
    );
    // What a screen would read, and the bar would say, after each page.
    const seen: { decisions: string[]; fetching: unknown }[] = [];
    engine.onDataChange(() => {
      void db.getAllKeys('decisions').then((keys) => {
        seen.push({ decisions: keys.map(String), fetching: engine.getState().fetching });
      });
    });
    await engine.sync();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.slice(0, 3)).toEqual([
      { decisions: ['b1'], fetching: { done: 1, total: 3 } },
      { decisions: ['b1', 'b2'], fetching: { done: 2, total: 3 } },
      { decisions: ['b1', 'b2', 'b3'], fetching: null },
    ]);
    expect(engine.getState().fetching).toBeNull();
  });

  it('resumes an interrupted first sync from the last page it wrote', async () => {
    const server = fakeServer();
    const engine = await started(server.api, true);
    server.pullPages.push(
      page({
        cursor: 's1',
        more: true,
        reset: true,
        progress: { done: 1, total: 2 },
        decisions: [decision('b1')],
      }),
    );
    // The network goes after the first page.
    const pull = server.api.pull;
    let calls = 0;
    server.api.pull = async (input) => {
      calls++;
      if (calls > 1) throw new TypeError('Failed to fetch');
      return pull(input);
    };
    await engine.sync();
    expect(engine.getState().fetching).toBeNull();
    expect(await db.get('meta', 'cursor')).toBe('s1');

    server.api.pull = pull;
    server.pullPages.push(
      page({ cursor: 'c2', progress: { done: 2, total: 2 }, decisions: [decision('b2')] }),
    );
    await engine.sync();
    expect(server.pulledFrom.at(-1)).toBe('s1');
    expect((await db.getAll('decisions')).map((d) => d.id)).toEqual(['b1', 'b2']);
  });
});

describe('when the server ends the session', () => {
  const pulled = (server: FakeServer, ...ids: string[]) =>
    server.pullPages.push({
      cursor: 'c7',
      more: false,
      reset: true,
      scopeKey: 'k',
      progress: null,
      decisions: ids.map(decision),
      events: [
        {
          ...anteckning(ids[0] ?? 'b1', 'x'),
          recordedAt: '2026-11-20T10:00:00.000Z',
          recordedBy: sentBy,
        },
      ],
      filings: [],
      drafts: [],
      removed: { decisions: [], drafts: [] },
    });

  it('revoked: wipes the mirrored decisions, keeps the outbox and drafts, and sends them when the same user signs in again', async () => {
    const server = fakeServer();
    pulled(server, 'b1', 'b2');
    const engine = await started(server.api, true);
    expect(await db.count('decisions')).toBe(2);

    engine.setOnline(false);
    await engine.enqueueEvent(anteckning('b1', 'Skrivet före'));
    await saveDraft(db, 'anteckning', 'b2', { text: 'Halvskrivet' });
    server.signedIn = false;
    server.ended = 'revoked';
    engine.setOnline(true);
    await engine.sync();

    expect(engine.getState()).toMatchObject({ needsSignIn: true, ended: 'revoked', pending: 1 });
    expect(await db.count('decisions')).toBe(0);
    expect(await db.count('events')).toBe(0);
    expect(await getMeta(db, 'cursor')).toBeUndefined();
    expect(await getMeta(db, 'org')).toBeUndefined();
    expect(await db.count('outbox')).toBe(1);
    expect((await loadDraft(db, draftKey('anteckning', 'b2')))?.data).toEqual({
      text: 'Halvskrivet',
    });
    expect((await getMeta<Me>(db, 'me'))?.id).toBe(ME.id);
    expect((await getMeta<SessionEnd>(db, 'ended'))?.reason).toBe('revoked');

    // Stopped: nothing is tried until a sign-in.
    await engine.sync();
    expect(server.pushes).toBe(0);

    server.signedIn = true;
    server.ended = null;
    await adoptUser(db, ME);
    const pullsBefore = server.pulledFrom.length;
    engine.signedIn(ME.id);
    await engine.sync();
    expect(server.stored.map(textOf)).toEqual(['Skrivet före']);
    expect(engine.getState()).toMatchObject({ needsSignIn: false, ended: null, pending: 0 });
    // The mirror is read again from the start.
    expect(server.pulledFrom[pullsBefore]).toBeNull();
    expect(await getMeta(db, 'ended')).toBeUndefined();
    expect(await loadDraft(db, draftKey('anteckning', 'b2'))).toBeDefined();
  });

  it('idle or at its absolute end: keeps the mirror as well, and says why', async () => {
    for (const reason of ['idle', 'absolute'] as const) {
      const server = fakeServer();
      pulled(server, 'b1');
      const engine = await started(server.api, true);
      server.signedIn = false;
      server.ended = reason;
      await engine.enqueueEvent(anteckning('b1', 'Ringde'));
      await engine.sync();
      expect(engine.getState()).toMatchObject({ needsSignIn: true, ended: reason, pending: 1 });
      expect(await db.count('decisions')).toBe(1);
      expect((await getMeta<SessionEnd>(db, 'ended'))?.reason).toBe(reason);
      db.close();
      db = await openLocalDb(`test-${++n}`);
    }
  });

  it('a refusal seen by a screen stops the engine the same way', async () => {
    const server = fakeServer();
    pulled(server, 'b1');
    const engine = await started(server.api, true);
    await engine.sessionEnded('revoked');
    expect(engine.getState()).toMatchObject({ needsSignIn: true, ended: 'revoked' });
    expect(await db.count('decisions')).toBe(0);
    await engine.enqueueEvent(anteckning('b1', 'Efteråt'));
    await engine.sync();
    expect(server.pushes).toBe(0);
    expect(engine.getState().pending).toBe(1);
  });

  it('never sends one user’s outbox under another user’s session', async () => {
    const server = fakeServer();
    const engine = await started(server.api, false);
    await engine.enqueueEvent(anteckning('b1', 'Från Ulla'));
    // Another tab signed in as someone else on this device.
    await setMeta(db, 'me', { ...ME, id: 'u2' });
    engine.setOnline(true);
    await engine.sync();
    expect(server.pushes).toBe(0);
    expect(server.stored).toEqual([]);
    expect(engine.getState().needsSignIn).toBe(true);
    expect(await db.count('outbox')).toBe(1);
  });

  it('does nothing before anyone has signed in', async () => {
    const server = fakeServer();
    const engine = new SyncEngine(db, server.api, true);
    await setMeta(db, 'me', ME);
    await engine.enqueueEvent(anteckning('b1', 'Väntar'));
    await engine.sync();
    expect(server.pushes).toBe(0);
    expect(server.pulledFrom).toEqual([]);
  });
});
