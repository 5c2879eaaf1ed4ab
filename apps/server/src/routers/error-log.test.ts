import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../app';
import { describeError, type ErrorLogLine } from '../logging';
import { seedDecision } from '../sync/test-support';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { fixedClock, useTestDatabase } from '../testing/harness';

/*
 * The server's error log carries ids and codes, never personal data: a database error provoked
 * with a personnummer and a name among the query's parameters (and in PostgreSQL's `detail`) is
 * logged through real HTTP with the procedure, user, request id, SQLSTATE, constraint and table,
 * and without the personnummer, the names or any other value of the row.
 */

const database = useTestDatabase();

const PNR = '198001011231';
const PNR_DASH = '19800101-1231';
const FORNAMN = 'Gunvor';
const EFTERNAMN = 'Hemligsson';

let logged: string[];

beforeEach(() => {
  logged = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    logged.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const headers = { 'content-type': 'application/json', host: 'evb.test', origin: 'http://evb.test' };

async function signedIn(username: string) {
  const app = createApp({
    database,
    pwaRoot: '/nonexistent',
    clock: fixedClock('2026-11-22T10:00:00Z'),
  });
  const login = await app.request('/api/trpc/auth.login', {
    method: 'POST',
    headers,
    body: JSON.stringify({ username, password: FIXTURE_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  return (path: string, body: unknown) =>
    app.request(`/api/trpc/${path}`, {
      method: 'POST',
      headers: { ...headers, cookie },
      body: JSON.stringify(body),
    });
}

function assertNoPersonalData(text: string) {
  for (const value of [PNR, PNR_DASH, FORNAMN, EFTERNAMN, '1980-01-01', '19800101-T']) {
    expect(text).not.toContain(value);
  }
}

/** The logger's lines (the PWA's static files, missing here, log their own complaint). */
function linesOf(output: string[]): ErrorLogLine[] {
  return output
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as ErrorLogLine);
}

describe('the error log', () => {
  it('logs a database error of a procedure with its codes and ids, without the values of the row', async () => {
    // The database refuses the person's row: its error quotes the row (detail), and the driver
    // holds the query's parameters (personnummer, names, birth date).
    await sql`alter table person add constraint evb_test_refused check (efternamn <> ${sql.lit(EFTERNAMN)})`.execute(
      database.db,
    );
    const call = await signedIn('handlaggare1');
    const response = await call('decisions.register', {
      namndId: 'n-vard',
      lagrum: 'LSS',
      insats: 'LSS_9_10',
      verksamhetsomrade: 'LSS',
      beslutsdatum: '2026-08-10',
      person: {
        typ: 'personnummer',
        fornamn: FORNAMN,
        efternamn: EFTERNAMN,
        personnummer: PNR_DASH,
      },
    });
    expect(response.status).toBe(500);
    const body = await response.text();
    assertNoPersonalData(body);

    assertNoPersonalData(logged.join('\n'));
    const lines = linesOf(logged);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({
      level: 'error',
      event: 'tRPC',
      path: 'decisions.register',
      userId: 'handlaggare1',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(line!.errors[0]).toMatchObject({ class: 'TRPCError', code: 'INTERNAL_SERVER_ERROR' });
    expect(line!.errors).toContainEqual(
      expect.objectContaining({ code: '23514', constraint: 'evb_test_refused', table: 'person' }),
    );
    // Frames say where, without the message the stack starts with.
    expect(line!.errors.some((e) => e.at.length > 0)).toBe(true);
    for (const error of line!.errors) {
      expect(Object.keys(error).sort()).toEqual(expect.arrayContaining(['at', 'class']));
      expect(
        Object.keys(error).every((k) =>
          ['class', 'code', 'constraint', 'table', 'column', 'at'].includes(k),
        ),
      ).toBe(true);
    }
  });

  it('logs an item sync.push could not store without the text it held', async () => {
    await seedDecision(database.db, { id: 'd-a', enhetId: 'e-a', personnummer: PNR });
    await sql`alter table case_event add constraint evb_test_refused check (data->>'text' not like ${sql.lit(`%${PNR_DASH}%`)})`.execute(
      database.db,
    );
    const call = await signedIn('utforarea');
    const response = await call('sync.push', {
      mutations: [
        {
          id: randomUUID(),
          kind: 'event',
          event: {
            id: randomUUID(),
            decisionId: 'd-a',
            type: 'anteckning',
            date: '2026-07-01',
            text: `Ringde ${FORNAMN} ${EFTERNAMN}, ${PNR_DASH}`,
          },
        },
      ],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { data: { code: string }[] } };
    expect(body.result.data[0]).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(logged.length).toBeGreaterThan(0);
    assertNoPersonalData(logged.join('\n'));
    const lines = linesOf(logged);
    expect(lines).toContainEqual(
      expect.objectContaining({
        event: 'sync.push item failed',
        path: 'sync.push',
        userId: 'utforareA',
        errors: expect.arrayContaining([
          expect.objectContaining({
            code: '23514',
            constraint: 'evb_test_refused',
            table: 'case_event',
          }),
        ]),
      }),
    );
  });

  it('describes an error chain by class, codes and frames only, whatever text the errors carry', () => {
    const pgError = Object.assign(new Error(`duplicate key ${PNR}\n  ${FORNAMN}`), {
      code: '23505',
      constraint: 'person_kommun_id_personnummer_key',
      table: 'person',
      column: 'personnummer',
      detail: `Key (kommun_id, personnummer)=(k1, ${PNR}) already exists.`,
      where: `SQL statement "insert … ${EFTERNAMN}"`,
      hint: PNR,
      query: `insert into person values ('${PNR}')`,
      params: [PNR, FORNAMN, EFTERNAMN],
      // A code or a name that is not an identifier is the error's text, not a code.
      schema: PNR,
    });
    const outer = new Error(`Registrering av ${FORNAMN} misslyckades`, { cause: pgError });
    const weird = Object.assign(new Error('x'), { code: `${PNR} ${FORNAMN}`, table: 'a b' });
    const described = describeError(outer);
    const text = JSON.stringify([described, describeError(weird), describeError(PNR)]);
    assertNoPersonalData(text);
    expect(described).toEqual([
      { class: 'Error', at: expect.any(Array) },
      {
        class: 'Error',
        code: '23505',
        constraint: 'person_kommun_id_personnummer_key',
        table: 'person',
        column: 'personnummer',
        at: expect.any(Array),
      },
    ]);
    expect(described[0]!.at[0]).toMatch(/^at /);
  });
});
