import { describe, expect, it } from 'vitest';
import { insertDecision, insertPerson } from '../testing/decisions';
import { FIXTURE_PASSWORD, ORG, seedFixture, USERS } from '../testing/fixture';
import { callerFor, resetDatabase, useTestDatabase } from '../testing/harness';

/*
 * Who may call what: every procedure × every role × a decision of their own or of someone else →
 * allowed or refused, and how. A role that may never use a procedure gets 403; a record the caller
 * may not see gets 404, the same answer as one that does not exist; nobody signed in gets 401.
 * The decision `own` is LSS 9 § 10 in Vård- och omsorgsnämnden, handled by handlaggare1 and ordered
 * to enhet A (utforareA's unit). Every cell runs on fresh data.
 */

type Who = 'anon' | keyof typeof USERS;
type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND';
type Caller = Awaited<ReturnType<typeof callerFor>>;

const WHO: Who[] = ['anon', ...(Object.keys(USERS) as (keyof typeof USERS)[])];
const OWN = 'beslut-own';
const MESSAGE_KEY = `${OWN}:2026-06-01:ny:2026-09-02`;
/** A case system export of one good decision, for handlaggare1 (imports.*). */
const IMPORT_CSV =
  'beslutsid;personnummer;förnamn;efternamn;lagrum;insats;beslutsdatum;handläggare\n' +
  'A-1;19121212-1212;Ny;Person;LSS;LSS_9_4;2026-11-02;handlaggare1\n';

/** Expected outcomes: listed exceptions, else `rest`; nobody signed in gets 401 unless listed. */
function outcomes(rest: Outcome, exceptions: Partial<Record<Who, Outcome>>): Record<Who, Outcome> {
  return Object.fromEntries(
    WHO.map((who) => [who, exceptions[who] ?? (who === 'anon' ? 'UNAUTHORIZED' : rest)]),
  ) as Record<Who, Outcome>;
}

const READERS_OF_OWN = {
  utforareA: 'ok',
  handlaggare1: 'ok',
  rapportorLss: 'ok',
  huvudrapportor: 'ok',
} as const;

const CASES: {
  path: string;
  call: (c: Caller) => Promise<unknown>;
  expected: Record<Who, Outcome>;
}[] = [
  { path: 'auth.me', call: (c) => c.auth.me(), expected: outcomes('ok', { anon: 'ok' }) },
  { path: 'auth.logout', call: (c) => c.auth.logout(), expected: outcomes('ok', {}) },
  { path: 'org.overview', call: (c) => c.org.overview(), expected: outcomes('ok', {}) },
  {
    path: 'decisions.list',
    call: (c) => c.decisions.list({}),
    expected: outcomes('ok', {
      admin: 'FORBIDDEN',
      loggranskare: 'FORBIDDEN',
      loggranskareSocial: 'FORBIDDEN',
    }),
  },
  {
    path: 'decisions.get (own)',
    call: (c) => c.decisions.get({ id: OWN }),
    expected: outcomes('NOT_FOUND', READERS_OF_OWN),
  },
  {
    path: 'decisions.get (unknown)',
    call: (c) => c.decisions.get({ id: 'finns-inte' }),
    expected: outcomes('NOT_FOUND', {}),
  },
  {
    path: 'decisions.register (own nämnd)',
    call: (c) =>
      c.decisions.register({
        namndId: ORG.vard,
        person: {
          typ: 'personnummer',
          fornamn: 'Ny',
          efternamn: 'Person',
          personnummer: '19121212-1212',
        },
        lagrum: 'LSS',
        insats: 'LSS_9_4',
        verksamhetsomrade: 'LSS',
        beslutsdatum: '2026-11-02',
      }),
    expected: outcomes('FORBIDDEN', { handlaggare1: 'ok', handlaggare2: 'ok' }),
  },
  {
    path: 'decisions.register (other nämnd)',
    call: (c) =>
      c.decisions.register({
        namndId: ORG.social,
        person: {
          typ: 'personnummer',
          fornamn: 'Ny',
          efternamn: 'Person',
          personnummer: '19121212-1212',
        },
        lagrum: 'SoL',
        insats: 'SOL_HVB',
        verksamhetsomrade: 'SOL_IFO',
        inriktning: 'IFO_MISSBRUK',
        beslutsdatum: '2026-11-02',
      }),
    expected: outcomes('FORBIDDEN', {}),
  },
  {
    path: 'imports.dryRun (own nämnd)',
    call: (c) => c.imports.dryRun({ namndId: ORG.vard, csv: IMPORT_CSV }),
    expected: outcomes('FORBIDDEN', { handlaggare1: 'ok', handlaggare2: 'ok' }),
  },
  {
    path: 'imports.run (own nämnd)',
    call: (c) => c.imports.run({ namndId: ORG.vard, csv: IMPORT_CSV }),
    expected: outcomes('FORBIDDEN', { handlaggare1: 'ok', handlaggare2: 'ok' }),
  },
  {
    path: 'imports.run (other nämnd)',
    call: (c) => c.imports.run({ namndId: ORG.social, csv: IMPORT_CSV }),
    expected: outcomes('FORBIDDEN', {}),
  },
  {
    path: 'decisions.order',
    call: (c) => c.decisions.order({ decisionId: OWN, enhetId: ORG.enhetB }),
    expected: outcomes('FORBIDDEN', { handlaggare1: 'ok', handlaggare2: 'NOT_FOUND' }),
  },
  {
    path: 'decisions.close',
    call: (c) => c.decisions.close({ decisionId: OWN, anledning: 'behov_upphort' }),
    expected: outcomes('FORBIDDEN', { handlaggare1: 'ok', handlaggare2: 'NOT_FOUND' }),
  },
  {
    path: 'events.log (erbjudande)',
    call: (c) =>
      c.events.log({
        id: '0193f3c0-0000-7000-8000-000000000001',
        decisionId: OWN,
        type: 'erbjudande',
        date: '2026-11-20',
        text: 'Plats på Eken',
      }),
    expected: outcomes('NOT_FOUND', {
      utforareA: 'ok',
      handlaggare1: 'ok',
      rapportorLss: 'FORBIDDEN',
      huvudrapportor: 'FORBIDDEN',
    }),
  },
  {
    path: 'followUps.due',
    call: (c) => c.followUps.due(),
    expected: outcomes('FORBIDDEN', { handlaggare1: 'ok', handlaggare2: 'ok' }),
  },
  {
    path: 'followUps.log',
    call: (c) =>
      c.followUps.log({ decisionId: OWN, kontakt: 'God man', text: 'Väntar fortfarande' }),
    expected: outcomes('FORBIDDEN', { handlaggare1: 'ok', handlaggare2: 'NOT_FOUND' }),
  },
  {
    path: 'messages.inbox',
    call: (c) => c.messages.inbox({}),
    expected: outcomes('FORBIDDEN', {
      rapportorLss: 'ok',
      huvudrapportor: 'ok',
      rapportorSocial: 'ok',
    }),
  },
  {
    path: 'messages.markHandled',
    call: (c) => c.messages.markHandled({ decisionId: OWN, key: MESSAGE_KEY }),
    expected: outcomes('FORBIDDEN', {
      rapportorLss: 'ok',
      huvudrapportor: 'ok',
      rapportorSocial: 'NOT_FOUND',
    }),
  },
  {
    path: 'quarter.lines',
    call: (c) => c.quarter.lines({ namndId: ORG.vard, quarter: { year: 2026, quarter: 3 } }),
    expected: outcomes('FORBIDDEN', { rapportorLss: 'ok', huvudrapportor: 'ok' }),
  },
  {
    path: 'quarter.todo',
    call: (c) => c.quarter.todo({ namndId: ORG.vard, quarter: { year: 2026, quarter: 3 } }),
    expected: outcomes('FORBIDDEN', { rapportorLss: 'ok', huvudrapportor: 'ok' }),
  },
  {
    path: 'exports.quarter',
    call: (c) => c.exports.quarter({ namndId: ORG.vard, quarter: { year: 2026, quarter: 3 } }),
    expected: outcomes('FORBIDDEN', { rapportorLss: 'ok', huvudrapportor: 'ok' }),
  },
  {
    path: 'audit.list',
    call: (c) => c.audit.list({}),
    expected: outcomes('FORBIDDEN', {
      rapportorLss: 'ok',
      huvudrapportor: 'ok',
      rapportorSocial: 'ok',
    }),
  },
  {
    path: 'reporters.list',
    call: (c) => c.reporters.list({}),
    expected: outcomes('FORBIDDEN', {
      rapportorLss: 'ok',
      huvudrapportor: 'ok',
      rapportorSocial: 'ok',
    }),
  },
  {
    path: 'reporters.add',
    call: (c) =>
      c.reporters.add({ namndId: ORG.vard, username: 'handlaggare2', status: 'rapportor' }),
    expected: outcomes('FORBIDDEN', { huvudrapportor: 'ok' }),
  },
  {
    path: 'reporters.searchUsers',
    call: (c) => c.reporters.searchUsers({ namndId: ORG.vard, text: 'utf' }),
    expected: outcomes('FORBIDDEN', { huvudrapportor: 'ok' }),
  },
  {
    path: 'reporters.remove',
    call: (c) => c.reporters.remove({ namndId: ORG.vard, userId: 'rapportorLss' }),
    expected: outcomes('FORBIDDEN', { huvudrapportor: 'ok' }),
  },
  {
    path: 'users.list',
    call: (c) => c.users.list(),
    expected: outcomes('FORBIDDEN', { admin: 'ok' }),
  },
  {
    path: 'users.create',
    call: (c) =>
      c.users.create({
        username: 'ny.anvandare',
        displayName: 'Ny Användare',
        password: 'ett-langt-losenord',
        roles: [{ role: 'utforare', enhetId: ORG.enhetA }],
      }),
    expected: outcomes('FORBIDDEN', { admin: 'ok' }),
  },
  {
    path: 'users.deactivate',
    call: (c) => c.users.deactivate({ id: 'utforareB' }),
    expected: outcomes('FORBIDDEN', { admin: 'ok' }),
  },
  {
    path: 'users.changeOwnPassword',
    call: (c) =>
      c.users.changeOwnPassword({
        currentPassword: FIXTURE_PASSWORD,
        newPassword: 'ett-nytt-langt-losenord',
      }),
    expected: outcomes('ok', {}),
  },
  { path: 'mfa.status', call: (c) => c.mfa.status(), expected: outcomes('ok', {}) },
  {
    path: 'mfa.policy',
    call: (c) => c.mfa.policy(),
    expected: outcomes('FORBIDDEN', { admin: 'ok' }),
  },
  {
    path: 'mfa.setPolicy',
    call: (c) => c.mfa.setPolicy({ required: true }),
    expected: outcomes('FORBIDDEN', { admin: 'ok' }),
  },
  {
    path: 'mfa.resetUser',
    call: (c) => c.mfa.resetUser({ userId: 'utforareB' }),
    expected: outcomes('FORBIDDEN', { admin: 'ok' }),
  },
  {
    path: 'statistics.quarter',
    call: (c) => c.statistics.quarter({ namndId: ORG.vard, quarter: { year: 2026, quarter: 3 } }),
    expected: outcomes('FORBIDDEN', { rapportorLss: 'ok', huvudrapportor: 'ok' }),
  },
  {
    path: 'risk.longestWaits',
    call: (c) => c.risk.longestWaits({ namndId: ORG.vard }),
    expected: outcomes('FORBIDDEN', { rapportorLss: 'ok', huvudrapportor: 'ok' }),
  },
  {
    path: 'reports.history (own)',
    call: (c) => c.reports.history({ decisionId: OWN }),
    expected: outcomes('NOT_FOUND', READERS_OF_OWN),
  },
  {
    path: 'logReview.overview',
    call: (c) => c.logReview.overview(),
    expected: outcomes('FORBIDDEN', { loggranskare: 'ok', loggranskareSocial: 'ok' }),
  },
  {
    path: 'logReview.log (Vård och omsorg)',
    call: (c) => c.logReview.log({ namndId: ORG.vard }),
    expected: outcomes('FORBIDDEN', { loggranskare: 'ok' }),
  },
  {
    path: 'logReview.extract (Vård och omsorg)',
    call: (c) => c.logReview.extract({ namndId: ORG.vard, personId: 'p1' }),
    expected: outcomes('FORBIDDEN', { loggranskare: 'ok' }),
  },
  {
    path: 'logReview.start (Vård och omsorg)',
    call: (c) => c.logReview.start({ namndId: ORG.vard, month: '2026-11' }),
    expected: outcomes('FORBIDDEN', { loggranskare: 'ok' }),
  },
  {
    path: 'logReview.reviews (Socialnämnden)',
    call: (c) => c.logReview.reviews({ namndId: ORG.social }),
    expected: outcomes('FORBIDDEN', { loggranskareSocial: 'ok' }),
  },
  { path: 'sync.pull', call: (c) => c.sync.pull({ cursor: null }), expected: outcomes('ok', {}) },
  {
    path: 'sync.pullPacked',
    call: (c) => c.sync.pullPacked({ cursor: null }),
    expected: outcomes('ok', {}),
  },
  { path: 'sync.push', call: (c) => c.sync.push({ mutations: [] }), expected: outcomes('ok', {}) },
];

// Each role's call starts from the same data, so the database is reset per call, not per test.
const database = useTestDatabase({ reset: 'never' });

async function freshData(): Promise<void> {
  await resetDatabase(database);
  await seedFixture(database.db);
  await insertPerson(database.db, { id: 'p1', personnummer: '198001019802' });
  // Decided 2026-06-01: over three months on the fixed day, so it has messages and quarter lines.
  await insertDecision(database.db, {
    id: OWN,
    personId: 'p1',
    insats: 'LSS_9_10',
    beslutsdatum: '2026-06-01',
    enhetId: ORG.enhetA,
  });
}

describe('the access matrix', () => {
  for (const { path, call, expected } of CASES) {
    it(path, async () => {
      const actual: Partial<Record<Who, Outcome | string>> = {};
      for (const who of WHO) {
        await freshData();
        const caller = await callerFor(database, who === 'anon' ? null : who);
        actual[who] = await call(caller).then(
          () => 'ok',
          (error: { code?: string; message?: string }) => error.code ?? String(error),
        );
      }
      expect(actual).toEqual(expected);
    });
  }
});
