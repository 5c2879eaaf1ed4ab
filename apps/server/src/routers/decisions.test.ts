import { caseStatus, ivoIdSex, rapportorMessages } from '@evb/domain';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { nextSeq } from '../data/decisions';
import { FIXTURE_PASSWORD, type FixtureUser, ORG } from '../testing/fixture';
import { callerFor, clearAuditLog, fixedClock, useTestDatabase } from '../testing/harness';
import { pnr } from '../testing/personnummer';

/*
 * decisions.*: registering (persons, IVO ids, validation), ordering, who sees what, closing, and
 * the list and detail views with the domain's caseStatus. The clock stands at 2026-11-22.
 */

const database = useTestDatabase();

const TODAY = '2026-11-22';

const as = (user: FixtureUser) => callerFor(database, user);

type RegisterInput = Parameters<Awaited<ReturnType<typeof as>>['decisions']['register']>[0];

const annaPnr = pnr('19800101', '002'); // kvinna
const base = {
  namndId: ORG.vard,
  lagrum: 'LSS',
  insats: 'LSS_9_10',
  verksamhetsomrade: 'LSS',
  beslutsdatum: '2026-08-10',
  person: { typ: 'personnummer', fornamn: 'Anna', efternamn: 'Berg', personnummer: annaPnr },
} satisfies RegisterInput;

async function register(
  overrides: Partial<RegisterInput> = {},
  user: FixtureUser = 'handlaggare1',
) {
  return (await as(user)).decisions.register({ ...base, ...overrides } as RegisterInput);
}

/** The issues of a 400: field path and Swedish message, from zod or from the server's checks. */
async function issuesOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: { code: string; cause?: { issues?: { path: PropertyKey[]; message: string }[] } }) => e,
  );
  expect(error.code).toBe('BAD_REQUEST');
  return (error.cause?.issues ?? []).map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('decisions.register', () => {
  it('registers a new person with a personnummer: kön and birth date from the number, an IVO id minted', async () => {
    const decision = await register({ order: {} });
    expect(decision.person).toMatchObject({
      fornamn: 'Anna',
      efternamn: 'Berg',
      personnummer: `19800101-${annaPnr.slice(8)}`,
      identitet: 'personnummer',
      kon: 'kvinna',
      fodelsedatum: '1980-01-01',
      fullIdentity: true,
    });
    expect(decision.person.ivoId).toMatch(/^19800101-T\d{3}$/);
    expect(ivoIdSex(decision.person.ivoId)).toBe('kvinna');
    expect(decision).toMatchObject({
      insats: 'LSS_9_10',
      insatsLabel: 'Daglig verksamhet',
      handlaggare: { id: 'handlaggare1' },
      // 9 § 10 goes to Centralen för sysselsättning by default.
      enhet: { id: ORG.centralen, typ: 'centralen_for_sysselsattning' },
    });
    expect(decision.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(decision.caseStatus).toEqual(
      caseStatus(
        {
          id: decision.id,
          lagrum: 'LSS',
          insats: 'LSS_9_10',
          beslutsdatum: '2026-08-10',
          forhandsbesked: false,
          ersatterBeslutId: null,
        },
        [],
        TODAY,
        { handledMessages: [], filedQuarters: [] },
      ),
    );
    expect(decision.caseStatus.overThreeMonths).toBe(true);
    const audit = await database.db.selectFrom('auditLog').selectAll().orderBy('id').execute();
    expect(audit).toMatchObject([
      {
        action: 'beslut_registrerat',
        userId: 'handlaggare1',
        subjectId: decision.id,
        namndId: ORG.vard,
      },
      // The look-up by personnummer: who, not found, never the number.
      {
        action: 'person_uppslag',
        userId: 'handlaggare1',
        subjectType: 'person',
        subjectId: null,
        namndId: ORG.vard,
        details: { hittad: false, antal: 1, via: 'registrering' },
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain(annaPnr.slice(2));
  });

  it('registers a person with a samordningsnummer (birth day + 60) and one without any number', async () => {
    const samordning = pnr('19900171', '013'); // born 1990-01-11, man
    const s = await register({
      person: {
        typ: 'samordningsnummer',
        fornamn: 'Sami',
        efternamn: 'Ek',
        personnummer: samordning,
      },
    });
    expect(s.person).toMatchObject({
      identitet: 'samordningsnummer',
      fodelsedatum: '1990-01-11',
      kon: 'man',
    });
    expect(s.person.ivoId).toMatch(/^19900111-T\d{3}$/);
    expect(ivoIdSex(s.person.ivoId)).toBe('man');

    const n = await register({
      person: {
        typ: 'saknas',
        fornamn: 'Nora',
        efternamn: 'Ny',
        fodelsedatum: '2001-05-06',
        kon: 'kvinna',
        skyddadIdentitet: true,
      },
    });
    expect(n.person).toMatchObject({
      identitet: 'saknas',
      personnummer: null,
      fodelsedatum: '2001-05-06',
      kon: 'kvinna',
      skyddadIdentitet: true,
    });
    expect(n.person.ivoId).toMatch(/^20010506-T\d{3}$/);
    expect(ivoIdSex(n.person.ivoId)).toBe('kvinna');
  });

  it('mints the IVO id once: the same person keeps it for a second decision, another person born the same day gets another', async () => {
    const first = await register();
    const again = await register({ insats: 'LSS_9_4', beslutsdatum: '2026-09-01' });
    const byId = await register({
      insats: 'LSS_9_3',
      person: { typ: 'befintlig', personId: first.person.id },
    });
    expect(again.person.id).toBe(first.person.id);
    expect(byId.person.id).toBe(first.person.id);
    expect(again.person.ivoId).toBe(first.person.ivoId);
    expect(byId.person.ivoId).toBe(first.person.ivoId);
    const twin = await register({
      person: {
        typ: 'personnummer',
        fornamn: 'Tvilling',
        efternamn: 'Berg',
        personnummer: pnr('19800101', '024'),
      },
    });
    expect(twin.person.ivoId).toMatch(/^19800101-T\d{3}$/);
    expect(twin.person.ivoId).not.toBe(first.person.ivoId);
    const persons = await database.db.selectFrom('person').select(['ivoId']).execute();
    expect(persons).toHaveLength(2);
  });

  it('is idempotent on the client id: the same registration twice is one decision and the same answer', async () => {
    const id = '01900000-0000-7000-8000-000000000001';
    const first = await register({ id, order: {} });
    const second = await register({ id, order: {} });
    expect(second).toEqual(first);
    expect(await database.db.selectFrom('decision').select('id').execute()).toEqual([{ id }]);
    // The id of another decision is refused, not overwritten.
    await expect(register({ id, insats: 'LSS_9_4' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses bad input with 400 naming the field in Swedish', async () => {
    expect(
      await issuesOf(register({ person: { ...base.person, personnummer: '198001011235' } })),
    ).toContainEqual({
      path: 'person.personnummer',
      message: expect.stringContaining('Ogiltigt personnummer'),
    });
    expect(await issuesOf(register({ lagrum: 'SoL' }))).toContainEqual({
      path: 'insats',
      message: 'Insatsen Daglig verksamhet beviljas enligt LSS, inte SoL',
    });
    expect(await issuesOf(register({ beslutsdatum: '2026-11-23' }))).toEqual([
      { path: 'beslutsdatum', message: 'Beslutsdatum 23 november 2026 ligger i framtiden' },
    ]);
    expect(
      await issuesOf(
        register({ lagrum: 'SoL', insats: 'SOL_BOENDESTOD', verksamhetsomrade: 'SOL_FUNK' }),
      ),
    ).toEqual([{ path: 'inriktning', message: 'Välj inriktning för SoL FUNK' }]);
    expect(
      await issuesOf(
        register({
          lagrum: 'SoL',
          insats: 'SOL_BOENDESTOD',
          verksamhetsomrade: 'SOL_FUNK',
          inriktning: 'OVRIGT',
        }),
      ),
    ).toEqual([
      { path: 'inriktningText', message: expect.stringContaining('Beskriv inriktningen') },
    ]);
    expect(
      await issuesOf(
        register({ lagrum: 'SoL', insats: 'SOL_HEMTJANST', verksamhetsomrade: 'SOL_IFO' }),
      ),
    ).toContainEqual({
      path: 'verksamhetsomrade',
      message: 'Hemtjänst rapporteras under SoL Äldre eller SoL FUNK, inte SoL IFO',
    });
    // The nämnd does not report for SoL IFO.
    expect(
      await issuesOf(
        register({
          lagrum: 'SoL',
          insats: 'SOL_STODBOENDE',
          verksamhetsomrade: 'SOL_IFO',
          inriktning: 'IFO_HEMLOSHET',
        }),
      ),
    ).toEqual([
      {
        path: 'verksamhetsomrade',
        message: 'Vård- och omsorgsnämnden rapporterar inte för SoL IFO',
      },
    ]);
    expect(await issuesOf(register({ insats: 'LSS_9_4', order: {} }))).toEqual([
      { path: 'order.enhetId', message: 'Välj vilken utförarenhet beställningen går till' },
    ]);
    expect(await issuesOf(register({ order: { extern: true } }))).toEqual([
      { path: 'order.extern', message: 'Extern verkställighet gäller bara LSS 9 § 8' },
    ]);
    expect(await database.db.selectFrom('decision').select('id').execute()).toEqual([]);
    expect(await database.db.selectFrom('person').select('id').execute()).toEqual([]);
  });

  it('answers bad input over HTTP with 400 and the field named in the message', async () => {
    const clock = fixedClock('2026-11-22T10:00:00Z');
    const app = createApp({ database, pwaRoot: '/nonexistent', clock });
    const headers = {
      'content-type': 'application/json',
      host: 'evb.test',
      origin: 'http://evb.test',
    };
    const login = await app.request('/api/trpc/auth.login', {
      method: 'POST',
      headers,
      body: JSON.stringify({ username: 'handlaggare1', password: FIXTURE_PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const response = await app.request('/api/trpc/decisions.register', {
      method: 'POST',
      headers: { ...headers, cookie },
      body: JSON.stringify({ ...base, person: { ...base.person, personnummer: '19800101-0000' } }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toBe(
      'person.personnummer: Ogiltigt personnummer: ange ÅÅÅÅMMDD-NNNN med rätt kontrollsiffra',
    );
  });

  it('refuses a handläggare of another nämnd, and roles that do not register', async () => {
    await expect(
      register({
        namndId: ORG.social,
        lagrum: 'SoL',
        insats: 'SOL_STODBOENDE',
        verksamhetsomrade: 'SOL_IFO',
        inriktning: 'IFO_HEMLOSHET',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(register({}, 'rapportorLss')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(register({}, 'utforareA')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets a decision replace only a decision of the same person that the handläggare sees', async () => {
    const old = await register({ beslutsdatum: '2026-05-01' });
    const replacing = await register({ ersatterBeslutId: old.id });
    expect(replacing.ersatterBeslutId).toBe(old.id);
    const refusal = {
      path: 'ersatterBeslutId',
      message: 'Beslutet som ersätts finns inte bland den enskildes beslut som du kan se',
    };
    const bo = {
      typ: 'personnummer',
      fornamn: 'Bo',
      efternamn: 'Ek',
      personnummer: pnr('19700303', '011'),
    } as const;
    expect(await issuesOf(register({ person: bo, ersatterBeslutId: old.id }))).toEqual([refusal]);
    // The same person, but a decision handlaggare2 does not handle.
    expect(await issuesOf(register({ ersatterBeslutId: old.id }, 'handlaggare2'))).toEqual([
      refusal,
    ]);
  });
});

describe('ordering and who sees a decision', () => {
  it('routes to the default team for 9 § 9 and an external 9 § 8, and re-routes to a unit of the nämnd', async () => {
    const bostad = await register({ insats: 'LSS_9_9_GRUPPBOSTAD', order: {} });
    expect(bostad.enhet?.id).toBe(ORG.boendeteamet);
    const barn = await register({ insats: 'LSS_9_8', order: { extern: true } });
    expect(barn).toMatchObject({ extern: true, enhet: { id: ORG.boendeteamet } });
    const handlaggare = await as('handlaggare1');
    const moved = await handlaggare.decisions.order({ decisionId: bostad.id, enhetId: ORG.enhetA });
    expect(moved.enhet?.id).toBe(ORG.enhetA);
    expect(moved.orderedAt).toBe('2026-11-22T10:00:00.000Z');
    expect(
      await issuesOf(handlaggare.decisions.order({ decisionId: bostad.id, enhetId: 'finns-inte' })),
    ).toEqual([{ path: 'enhetId', message: 'Enheten finns inte i beslutets nämnd' }]);
    const audit = await database.db
      .selectFrom('auditLog')
      .select(['action', 'subjectId'])
      .where('action', '=', 'beslut_bestallt')
      .execute();
    expect(audit).toEqual([{ action: 'beslut_bestallt', subjectId: bostad.id }]);
  });

  it("shows an utförare their unit's decisions once ordered there, with the personnummer masked, and not another unit's", async () => {
    const decision = await register({ insats: 'LSS_9_4' });
    const a = await as('utforareA');
    const b = await as('utforareB');
    await expect(a.decisions.get({ id: decision.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await a.decisions.list()).items).toEqual([]);

    const handlaggare = await as('handlaggare1');
    await handlaggare.decisions.order({ decisionId: decision.id, enhetId: ORG.enhetA });
    const seen = await a.decisions.get({ id: decision.id });
    expect(seen.decision.person).toMatchObject({
      personnummer: '19800101-****',
      fullIdentity: false,
      fornamn: 'Anna',
    });
    const listed = await a.decisions.list();
    expect(listed.items.map((i) => i.id)).toEqual([decision.id]);
    expect(listed.items[0]!.person.personnummer).toBe('19800101-****');
    await expect(b.decisions.get({ id: decision.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await b.decisions.list()).items).toEqual([]);
    // The utförare cannot find it by the personnummer either.
    expect((await a.decisions.list({ search: annaPnr })).items).toEqual([]);
    expect((await handlaggare.decisions.list({ search: annaPnr })).items).toHaveLength(1);

    // Re-routed to B: A loses it, B gets it.
    await handlaggare.decisions.order({ decisionId: decision.id, enhetId: ORG.enhetB });
    await expect(a.decisions.get({ id: decision.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await b.decisions.get({ id: decision.id })).decision.id).toBe(decision.id);
  });

  it('shows a rapportör LSS the LSS decisions of her nämnd with full identity, not SoL Äldre', async () => {
    const lss = await register();
    const aldre = await register({
      lagrum: 'SoL',
      insats: 'SOL_HEMTJANST',
      verksamhetsomrade: 'SOL_ALDRE',
    });
    const rapportor = await as('rapportorLss');
    const list = await rapportor.decisions.list();
    expect(list.items.map((i) => i.id)).toEqual([lss.id]);
    expect(list.items[0]!.person.personnummer).toBe(`19800101-${annaPnr.slice(8)}`);
    await expect(rapportor.decisions.get({ id: aldre.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // The huvudrapportör's grant covers all of the nämnd's verksamhetsområden.
    const huvud = await as('huvudrapportor');
    expect((await huvud.decisions.list()).items.map((i) => i.id).sort()).toEqual(
      [lss.id, aldre.id].sort(),
    );
    expect((await (await as('rapportorSocial')).decisions.list()).items).toEqual([]);
  });

  it("gives an admin no decisions, and another handläggare's decision is 404", async () => {
    const decision = await register();
    const admin = await as('admin');
    await expect(admin.decisions.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(admin.decisions.get({ id: decision.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const other = await as('handlaggare2');
    await expect(other.decisions.get({ id: decision.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Beslutet finns inte eller så saknar du behörighet.',
    });
    await expect(other.decisions.get({ id: 'finns-inte' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Beslutet finns inte eller så saknar du behörighet.',
    });
    await expect(
      other.decisions.order({ decisionId: decision.id, enhetId: ORG.enhetA }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      other.decisions.close({ decisionId: decision.id, anledning: 'behov_upphort' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await other.decisions.list()).items).toEqual([]);
  });
});

describe('decisions.close', () => {
  it('logs an avslutad event with the reason; the decision is closed and can no longer be ordered', async () => {
    const decision = await register();
    const handlaggare = await as('handlaggare1');
    expect(
      await issuesOf(handlaggare.decisions.close({ decisionId: decision.id, anledning: 'annat' })),
    ).toEqual([{ path: 'text', message: 'Beskriv anledningen till att beslutet avslutas' }]);
    const closed = await handlaggare.decisions.close({
      decisionId: decision.id,
      anledning: 'ansokan_aterkallad',
      date: '2026-11-16',
    });
    expect(closed.event).toMatchObject({
      type: 'avslutad',
      anledning: 'ansokan_aterkallad',
      date: '2026-11-16',
    });
    expect(closed.caseStatus).toMatchObject({
      state: 'avslutad',
      waiting: false,
      episode: { start: '2026-08-10', end: { type: 'avslutad', date: '2026-11-16' } },
    });
    // It had waited more than three months: the rapportör gets the new report and then the
    // slutrapportering.
    const detail = await handlaggare.decisions.get({ id: decision.id });
    expect(detail.messages.map((m) => [m.title, m.handled])).toEqual([
      ['IVO – Nyrapportering 2026-11-11, 9§10', false],
      ['IVO – Slutrapportering, avslutat 2026-11-16, 9§10', false],
    ]);
    await expect(
      handlaggare.decisions.close({ decisionId: decision.id, anledning: 'behov_upphort' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Beslutet avslutades 16 november 2026; bara anteckningar kan läggas till',
    });
    await expect(
      handlaggare.decisions.order({ decisionId: decision.id, enhetId: ORG.enhetA }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      (await as('utforareA')).decisions.close({ decisionId: decision.id, anledning: 'avliden' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('decisions.list and decisions.get', () => {
  /** Five decisions of handlaggare1 in different states, for filters and ordering. */
  async function fiveDecisions() {
    const handlaggare = await as('handlaggare1');
    const person = (fornamn: string, efternamn: string, birth: string, serial: string) =>
      ({ typ: 'personnummer', fornamn, efternamn, personnummer: pnr(birth, serial) }) as const;
    // Waiting since August: its follow-up call, summary and message are overdue.
    const overdue = await register({
      person: person('Anna', 'Berg', '19800101', '002'),
      order: {},
    });
    // Waiting since September: its follow-up window is open (15–29 November).
    const soon = await register({
      person: person('Bertil', 'Dahl', '19750505', '013'),
      insats: 'LSS_9_4',
      beslutsdatum: '2026-09-15',
      order: { enhetId: ORG.enhetA },
    });
    const fresh = await register({
      person: person('Cecilia', 'Ek', '19400404', '022'),
      lagrum: 'SoL',
      insats: 'SOL_HEMTJANST',
      verksamhetsomrade: 'SOL_ALDRE',
      beslutsdatum: '2026-11-01',
      order: { enhetId: ORG.enhetB },
    });
    const executed = await register({
      person: person('David', 'Fors', '19990909', '031'),
      insats: 'LSS_9_4',
      beslutsdatum: '2026-06-01',
      order: { enhetId: ORG.enhetA },
    });
    await handlaggare.events.log({
      id: 'e-verkstalld',
      decisionId: executed.id,
      type: 'verkstalld',
      date: '2026-07-01',
    });
    const closed = await register({
      person: person('Eva', 'Gran', '19601212', '042'),
      insats: 'LSS_9_1',
      beslutsdatum: '2026-10-01',
    });
    await handlaggare.decisions.close({
      decisionId: closed.id,
      anledning: 'behov_upphort',
      date: '2026-10-20',
    });
    return { overdue, soon, fresh, executed, closed };
  }

  it('sorts most urgent first and pages with offsets', async () => {
    const d = await fiveDecisions();
    const handlaggare = await as('handlaggare1');
    const all = await handlaggare.decisions.list();
    expect(all.items.map((i) => i.id)).toEqual([
      d.overdue.id,
      d.soon.id,
      d.fresh.id,
      d.executed.id,
      d.closed.id,
    ]);
    expect(all.items[0]!.caseStatus.overdue).toBe(true);
    expect(all.items[1]!.caseStatus.next).toMatchObject({
      kind: 'uppfoljning',
      date: '2026-11-29',
    });
    expect(all).toMatchObject({ total: 5, nextOffset: null });
    const first = await handlaggare.decisions.list({ limit: 2 });
    expect(first.items.map((i) => i.id)).toEqual([d.overdue.id, d.soon.id]);
    expect(first).toMatchObject({ total: 5, nextOffset: 2 });
    const last = await handlaggare.decisions.list({ limit: 2, offset: 4 });
    expect(last.items.map((i) => i.id)).toEqual([d.closed.id]);
    expect(last.nextOffset).toBeNull();
    // By beslutsdatum, the database pages.
    const oldest = await handlaggare.decisions.list({ sort: 'oldest', limit: 2 });
    expect(oldest.items.map((i) => i.id)).toEqual([d.executed.id, d.overdue.id]);
    expect(oldest).toMatchObject({ total: 5, nextOffset: 2 });
    const newest = await handlaggare.decisions.list({ sort: 'newest' });
    expect(newest.items.map((i) => i.id)).toEqual([
      d.fresh.id,
      d.closed.id,
      d.soon.id,
      d.overdue.id,
      d.executed.id,
    ]);
    expect(await issuesOf(handlaggare.decisions.list({ limit: 201 }))).toEqual([
      { path: 'limit', message: 'Högst 200 per sida' },
    ]);
  });

  it("orders each caller's list by the caller's own next deadline", async () => {
    const handlaggare = await as('handlaggare1');
    const person = (fornamn: string, birth: string, serial: string) =>
      ({
        typ: 'personnummer',
        fornamn,
        efternamn: 'Lund',
        personnummer: pnr(birth, serial),
      }) as const;
    // The handläggare's call (1–15 November) is overdue; the unit's summary and three-month date
    // are on 1 December.
    const callOverdue = await register({
      person: person('Frida', '19700303', '062'),
      insats: 'LSS_9_4',
      beslutsdatum: '2026-09-01',
      order: { enhetId: ORG.enhetA },
    });
    // Call made; the summary and three-month date are on 24 November, in two days; the message to
    // the rapportör is due on 25 November.
    const nearThreeMonths = await register({
      person: person('Gustav', '19650606', '071'),
      insats: 'LSS_9_4',
      beslutsdatum: '2026-08-24',
      order: { enhetId: ORG.enhetA },
    });
    await handlaggare.events.log({
      id: 'e-uppfoljning',
      decisionId: nearThreeMonths.id,
      type: 'uppfoljning',
      date: '2026-11-01',
      kontakt: 'Gode man',
      text: 'Väntar på kontaktperson',
    });
    const ids = async (user: FixtureUser) =>
      (await (await as(user)).decisions.list()).items.map((i) => i.id);
    // By every role's deadlines the overdue call would put callOverdue first for the utförare too.
    expect(await ids('utforareA')).toEqual([nearThreeMonths.id, callOverdue.id]);
    expect(await ids('handlaggare1')).toEqual([callOverdue.id, nearThreeMonths.id]);
  });

  it('filters by status, overdue, unit, verksamhetsområde and text', async () => {
    const d = await fiveDecisions();
    const handlaggare = await as('handlaggare1');
    const ids = async (input: Parameters<typeof handlaggare.decisions.list>[0]) =>
      (await handlaggare.decisions.list(input)).items.map((i) => i.id);
    expect(await ids({ status: 'vantar' })).toEqual([d.overdue.id, d.soon.id, d.fresh.id]);
    expect(await ids({ status: 'verkstalld' })).toEqual([d.executed.id]);
    expect(await ids({ status: 'avslutad' })).toEqual([d.closed.id]);
    expect(await ids({ overdueOnly: true })).toEqual([d.overdue.id]);
    expect(await ids({ enhetId: ORG.enhetA })).toEqual([d.soon.id, d.executed.id]);
    expect(await ids({ verksamhetsomrade: 'SOL_ALDRE' })).toEqual([d.fresh.id]);
    expect(await ids({ search: 'daglig' })).toEqual([d.overdue.id]);
    expect(await ids({ search: 'hemtjänst' })).toEqual([d.fresh.id]);
    expect(await ids({ search: 'bertil dahl' })).toEqual([d.soon.id]);
    expect(await ids({ search: d.executed.person.ivoId })).toEqual([d.executed.id]);
    expect(await ids({ search: '100%' })).toEqual([]);
    expect(await ids({ status: 'vantar', enhetId: ORG.enhetA, sort: 'newest' })).toEqual([
      d.soon.id,
    ]);
  });

  it('audits every list call with the ids it returned', async () => {
    const d = await fiveDecisions();
    await clearAuditLog(database);
    await (await as('handlaggare1')).decisions.list({ limit: 2 });
    const audit = await database.db.selectFrom('auditLog').selectAll().execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'beslut_listade',
      userId: 'handlaggare1',
      namndId: ORG.vard,
      details: { beslut: [d.overdue.id, d.soon.id] },
    });
  });

  it("gives the domain's caseStatus for the same data, counting handled messages and filed quarters", async () => {
    const d = await fiveDecisions();
    const handlaggare = await as('handlaggare1');
    const domainDecision = {
      id: d.overdue.id,
      lagrum: 'LSS' as const,
      insats: 'LSS_9_10',
      beslutsdatum: '2026-08-10',
      forhandsbesked: false,
      ersatterBeslutId: null,
    };
    const before = (await handlaggare.decisions.get({ id: d.overdue.id })).caseStatus;
    expect(before.deadlines.meddelande).toMatchObject({
      title: 'IVO – Nyrapportering 2026-11-11, 9§10',
      overdue: true,
    });
    expect(before.deadlines.kvartalsrapport).toMatchObject({
      quarter: { year: 2026, quarter: 4 },
      report: 'ny',
    });

    // The rapportör handled the message and filed Q4's line.
    const [message] = rapportorMessages(domainDecision, [], TODAY);
    await database.db
      .insertInto('messageHandled')
      .values({ messageKey: message!.key, decisionId: d.overdue.id, handledBy: 'rapportorLss' })
      .execute();
    await database.db
      .insertInto('rapportFiling')
      .values({
        id: 'f1',
        decisionId: d.overdue.id,
        episodeStart: '2026-08-10',
        quarter: '2026-Q4',
        report: 'ny',
        status: 'ej_verkstalld',
        filedOn: '2026-11-20',
        filedBy: 'rapportorLss',
        snapshot: JSON.stringify({ personnummer: annaPnr }),
        seq: nextSeq(),
      })
      .execute();
    const expected = caseStatus(domainDecision, [], TODAY, {
      handledMessages: [message!.key],
      filedQuarters: ['2026-Q4'],
    });
    const detail = await handlaggare.decisions.get({ id: d.overdue.id });
    expect(detail.caseStatus).toEqual(expected);
    expect(detail.decision.caseStatus).toEqual(expected);
    expect(expected.deadlines.meddelande?.title).toBe('IVO – Återrapportering 2027-02-11, 9§10');
    // Q4 is filed and Q1 has not begun: no quarter report is pending.
    expect(expected.deadlines.kvartalsrapport).toBeNull();
    const listed = (await handlaggare.decisions.list()).items.find((i) => i.id === d.overdue.id);
    expect(listed?.caseStatus).toEqual(expected);
    expect(detail.messages).toEqual([
      expect.objectContaining({
        key: message!.key,
        handled: true,
        handledBy: { id: 'rapportorLss', namn: 'rapportorLss' },
      }),
    ]);
    expect(detail.filings).toEqual([
      expect.objectContaining({
        quarter: '2026-Q4',
        report: 'ny',
        filedBy: { id: 'rapportorLss', namn: 'rapportorLss' },
      }),
    ]);
    expect(detail.filings[0]).not.toHaveProperty('snapshot');

    // Every decision in the list, with events of every kind that describes a wait, has the
    // status the domain gives over its full events.
    const utforare = await as('utforareA');
    const wait = { decisionId: d.soon.id, date: '2026-11-16' } as const;
    await utforare.events.log({ ...wait, id: 'w1', type: 'erbjudande', text: 'Kontaktperson Eva' });
    await utforare.events.log({
      ...wait,
      id: 'w2',
      type: 'tackat_nej',
      erbjudandedatum: '2026-11-16',
      orsak: 'utforare_person',
    });
    await utforare.events.log({
      ...wait,
      id: 'w3',
      type: 'skal',
      skal: 'hos_kommunen',
      orsak: 'uppdragstagare',
    });
    await utforare.events.log({ ...wait, id: 'w4', type: 'sammanfattning', text: 'Söker ny' });
    await handlaggare.followUps.log({
      ...wait,
      id: '01900000-0000-7000-8000-0000000000f1',
      kontakt: 'Den enskilde',
      text: 'Vill vänta på en ny kontaktperson',
    });
    const list = await handlaggare.decisions.list();
    expect(list.items).toHaveLength(5);
    for (const item of list.items) {
      const full = await handlaggare.decisions.get({ id: item.id });
      expect(item.caseStatus).toEqual(
        caseStatus(
          {
            ...domainDecision,
            id: item.id,
            insats: item.insats,
            lagrum: item.lagrum,
            beslutsdatum: item.beslutsdatum,
          },
          full.events,
          TODAY,
          {
            handledMessages: full.messages.filter((m) => m.handled).map((m) => m.key),
            filedQuarters: full.filings.map((f) => f.quarter),
          },
        ),
      );
      expect(item.caseStatus).toEqual(full.caseStatus);
    }
    const soon = list.items.find((i) => i.id === d.soon.id)!;
    // The call and the summary are done: the next ones are the second cycle's.
    expect(soon.caseStatus.deadlines.uppfoljning).toMatchObject({ k: 2, from: '2027-02-15' });
    expect(soon.caseStatus.deadlines.sammanfattning).toMatchObject({ k: 2 });
  });

  it('gives the whole decision: timeline with who recorded each event, episodes, handläggare, and audits the read', async () => {
    const d = await fiveDecisions();
    const utforare = await as('utforareA');
    await utforare.events.log({
      id: 'e-avbrott',
      decisionId: d.executed.id,
      type: 'avbrott',
      date: '2026-09-01',
    });
    const handlaggare = await as('handlaggare1');
    await handlaggare.events.log({
      id: 'e-anteckning',
      decisionId: d.executed.id,
      type: 'anteckning',
      date: '2026-06-15',
      text: 'Väntar på plats',
    });
    await clearAuditLog(database);
    const detail = await utforare.decisions.get({ id: d.executed.id });
    expect(detail.events.map((e) => [e.type, e.date, e.recordedBy.id])).toEqual([
      ['anteckning', '2026-06-15', 'handlaggare1'],
      ['verkstalld', '2026-07-01', 'handlaggare1'],
      ['avbrott', '2026-09-01', 'utforareA'],
    ]);
    expect(detail.episodes).toEqual([
      { kind: 'beslut', start: '2026-06-01', end: { type: 'verkstalld', date: '2026-07-01' } },
      { kind: 'avbrott', start: '2026-09-01' },
    ]);
    expect(detail.decision).toMatchObject({
      handlaggare: { id: 'handlaggare1', namn: 'handlaggare1' },
      enhet: { id: ORG.enhetA, namn: 'Daglig verksamhet Eken' },
      person: { personnummer: '19990909-****' },
    });
    // The interruption has waited more than two months: its follow-up window is open.
    expect(detail.caseStatus).toMatchObject({ state: 'vantar', daysWaited: 82 });
    expect(
      await database.db.selectFrom('auditLog').select(['action', 'userId', 'subjectId']).execute(),
    ).toEqual([{ action: 'beslut_last', userId: 'utforareA', subjectId: d.executed.id }]);
  });
});
