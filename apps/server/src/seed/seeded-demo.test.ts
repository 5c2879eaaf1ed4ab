import {
  addQuarters,
  assertEventFits,
  type CaseEvent,
  CaseEventSchema,
  caseStatus,
  defaultOrderRecipient,
  loggableEventTypes,
  quarterOf,
  quarterReport,
  rapportorMessages,
  todayInStockholm,
} from '@evb/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { decisionScope } from '../access/scope';
import { createApp } from '../app';
import { hashPassword } from '../auth/password';
import { visibleTo } from '../data/decisions';
import { rolesOfUser } from '../data/users';
import type { DecisionRow } from '../db/schema';
import { toDomainDecision, toDomainEvent } from '../services/case-events';
import { useTestDatabase } from '../testing/harness';
import type { AuthUser } from '../trpc/context';
import { LINE_KINDS, type LineKind, lineKinds } from './line-kinds';
import { DEMO_PASSWORD, DEMO_USERNAMES } from './organisation';
import { type DemoSeedResult, presentDemoUsers, seedDemoIfEmpty } from './startup';

const today = todayInStockholm();
// The new database, empty, seeded once with the demo kommun for every test of the file.
const database = useTestDatabase({ reset: 'never' });
let seeded: DemoSeedResult | null;

beforeAll(async () => {
  seeded = await seedDemoIfEmpty(database.db, today);
});

async function stored() {
  const db = database.db;
  const decisions = await db.selectFrom('decision').selectAll().execute();
  const rows = await db
    .selectFrom('caseEvent')
    .selectAll()
    .orderBy('date')
    .orderBy('recordedAt')
    .orderBy('id')
    .execute();
  const events = new Map<string, CaseEvent[]>();
  const recorders = new Map<string, string>();
  for (const row of rows) {
    events.set(row.decisionId, [...(events.get(row.decisionId) ?? []), toDomainEvent(row)]);
    recorders.set(row.id, row.recordedBy);
  }
  return { decisions, events, recorders };
}

async function demoUser(username: string): Promise<AuthUser> {
  const row = await database.db
    .selectFrom('appUser')
    .select(['id', 'username', 'displayName'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return { ...row, roles: await rolesOfUser(database.db, row.id) };
}

async function visibleDecisions(user: AuthUser): Promise<DecisionRow[]> {
  return database.db
    .selectFrom('decision')
    .selectAll('decision')
    .where(visibleTo(decisionScope(user)))
    .execute();
}

describe('the demo kommun seeded on an empty database', () => {
  it('writes a few hundred decisions with their events', async () => {
    expect(seeded?.decisions).toBe(300);
    const counts = await database.db
      .selectFrom('caseEvent')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(counts.n)).toBe(seeded?.events);
    expect(seeded!.events).toBeGreaterThan(900);
  });

  it('stores only events the domain accepts, each logged by someone who may log it', async () => {
    const { decisions, events, recorders } = await stored();
    const users = new Map<string, AuthUser>();
    for (const u of await database.db
      .selectFrom('appUser')
      .select(['id', 'username', 'displayName'])
      .execute()) {
      users.set(u.id, { ...u, roles: await rolesOfUser(database.db, u.id) });
    }
    let checked = 0;
    for (const row of decisions) {
      const decision = toDomainDecision(row);
      const history = events.get(row.id) ?? [];
      history.forEach((event, i) => {
        expect(CaseEventSchema.safeParse(event).success, JSON.stringify(event)).toBe(true);
        expect(() => assertEventFits(decision, history.slice(0, i), event, today)).not.toThrow();
        const recorder = users.get(recorders.get(event.id)!)!;
        expect(
          loggableEventTypes(recorder, row).has(event.type),
          `${recorder.username} ${event.type}`,
        ).toBe(true);
        checked++;
      });
    }
    expect(checked).toBe(seeded?.events);
  });

  it('has every kind of report line in the current and the previous quarter', async () => {
    const { decisions, events } = await stored();
    const current = quarterOf(today);
    for (const q of [addQuarters(current, -1), current]) {
      const kinds = new Set<LineKind>();
      for (const row of decisions) {
        const decision = toDomainDecision(row);
        for (const line of quarterReport(decision, events.get(row.id) ?? [], q)) {
          for (const kind of lineKinds(decision, line)) kinds.add(kind);
        }
      }
      // On 1 January no line of the new quarter can be executed yet (see demo.test.ts).
      const expected = today.endsWith('-01-01')
        ? LINE_KINDS.filter((k) => !k.includes('samma kvartal') || q !== current)
        : LINE_KINDS;
      expect(expected.filter((k) => !kinds.has(k))).toEqual([]);
    }
  });

  it('orders every decision to the unit or team the domain routes it to', async () => {
    const enheter = new Map(
      (await database.db.selectFrom('enhet').select(['id', 'typ', 'namndId']).execute()).map(
        (e) => [e.id, e],
      ),
    );
    const { decisions } = await stored();
    const ordered = decisions.filter((d) => d.enhetId);
    expect(ordered.length).toBeGreaterThan(280);
    expect(decisions.some((d) => !d.enhetId)).toBe(true);
    for (const d of ordered) {
      const enhet = enheter.get(d.enhetId!)!;
      expect(enhet.typ).toBe(defaultOrderRecipient(d.insats, d.extern));
      expect(enhet.namndId).toBe(d.namndId);
      expect(d.orderedAt).not.toBeNull();
    }
  });

  it('marks most of the rapportör messages due before last week as handled', async () => {
    const { decisions, events } = await stored();
    const handled = await database.db
      .selectFrom('messageHandled')
      .select(['messageKey', 'decisionId'])
      .execute();
    const keys = new Map(
      decisions.flatMap((d) =>
        rapportorMessages(toDomainDecision(d), events.get(d.id) ?? [], today).map(
          (m) => [m.key, d.id] as const,
        ),
      ),
    );
    expect(handled.length).toBeGreaterThan(50);
    for (const h of handled) expect(keys.get(h.messageKey)).toBe(h.decisionId);
    // Recent ones are left for the rapportör's inbox.
    expect(keys.size).toBeGreaterThan(handled.length);
  });
});

describe('each demo user has something to see', () => {
  it('the utförare: orders to their own unit', async () => {
    const user = await demoUser('utforare');
    const visible = await visibleDecisions(user);
    expect(visible.length).toBeGreaterThan(5);
    expect(visible.every((d) => d.enhetId === user.roles[0]!.enhetId)).toBe(true);
  });

  it('the matchare: 9 § 9 decisions ordered to Boendeteamet', async () => {
    const visible = await visibleDecisions(await demoUser('matchare'));
    expect(visible.filter((d) => d.insats.startsWith('LSS_9_9')).length).toBeGreaterThan(5);
    expect(
      visible.every((d) => d.insats.startsWith('LSS_9_9') || (d.insats === 'LSS_9_8' && d.extern)),
    ).toBe(true);
  });

  it('the handläggare: follow-up calls due now and overdue', async () => {
    const user = await demoUser('handlaggare');
    const visible = await visibleDecisions(user);
    expect(visible.every((d) => d.handlaggareId === user.id)).toBe(true);
    const { events } = await stored();
    const calls = visible
      .map(
        (d) => caseStatus(toDomainDecision(d), events.get(d.id) ?? [], today).deadlines.uppfoljning,
      )
      .filter((c) => c !== null);
    const due = calls.filter((c) => !c.overdue && c.from! <= today);
    const overdue = calls.filter((c) => c.overdue);
    expect(due.length).toBeGreaterThanOrEqual(2);
    expect(overdue.length).toBeGreaterThanOrEqual(2);
  });

  it('the rapportör and huvudrapportör: their nämnder, with lines in both quarters', async () => {
    const rapportor = await visibleDecisions(await demoUser('rapportor'));
    const huvudrapportor = await visibleDecisions(await demoUser('huvudrapportor'));
    expect(new Set(rapportor.map((d) => d.namndId)).size).toBe(1);
    expect(new Set(huvudrapportor.map((d) => d.namndId)).size).toBe(2);
    const { events } = await stored();
    for (const q of [addQuarters(quarterOf(today), -1), quarterOf(today)]) {
      const lines = rapportor.flatMap((d) =>
        quarterReport(toDomainDecision(d), events.get(d.id) ?? [], q),
      );
      expect(lines.length).toBeGreaterThan(20);
    }
  });

  it('the admin: no decisions (an admin manages users and codes)', async () => {
    expect(await visibleDecisions(await demoUser('admin'))).toEqual([]);
  });

  it('every demo user signs in over HTTP with the demo password', async () => {
    const app = createApp({ database, pwaRoot: '/nonexistent' });
    for (const username of DEMO_USERNAMES) {
      const response = await app.request('/api/trpc/auth.login', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          host: 'evb.test',
          origin: 'http://evb.test',
        },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      expect(response.status, username).toBe(200);
    }
  });
});

describe('start-up on a database that was seeded before', () => {
  it('does not seed again', async () => {
    const before = await stored();
    expect(await seedDemoIfEmpty(database.db, today)).toBeNull();
    const after = await stored();
    expect(after.decisions.length).toBe(before.decisions.length);
    expect(after.recorders.size).toBe(before.recorders.size);
  });

  it('lists the demo users only while they exist with the demo password', async () => {
    expect((await presentDemoUsers(database.db)).map((u) => u.username)).toEqual(DEMO_USERNAMES);
    await database.db
      .updateTable('appUser')
      .set({ active: false })
      .where('username', '=', 'admin')
      .execute();
    await database.db
      .updateTable('appUser')
      .set({ passwordHash: await hashPassword('ett-helt-annat-lösenord') })
      .where('username', '=', 'rapportor')
      .execute();
    const listed = await presentDemoUsers(database.db);
    expect(listed.map((u) => u.username)).toEqual([
      'utforare',
      'matchare',
      'handlaggare',
      'huvudrapportor',
      'loggranskare',
    ]);
    expect(listed.find((u) => u.username === 'huvudrapportor')!.grants).toHaveLength(2);
  });
});
