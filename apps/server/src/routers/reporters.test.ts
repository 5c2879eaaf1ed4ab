import { beforeEach, describe, expect, it } from 'vitest';
import { createSession, validateSessionToken } from '../auth/sessions';
import { refusal } from '../testing/errors';
import { ORG } from '../testing/fixture';
import { callerFor, useTestDatabase } from '../testing/harness';

const database = useTestDatabase();

beforeEach(async () => {
  // Socialnämnden's own huvudrapportör, to try the vård nämnd's register from outside.
  await database.db
    .insertInto('appUser')
    .values({
      id: 'huvudSocial',
      username: 'huvudsocial',
      displayName: 'Huvud Social',
      passwordHash: 'x',
    })
    .execute();
  await database.db
    .insertInto('userRole')
    .values({
      id: 'huvudSocial-0',
      userId: 'huvudSocial',
      role: 'huvudrapportor',
      namndId: ORG.social,
      verksamhetsomrade: null,
      enhetId: null,
    })
    .execute();
});

async function sessionOf(userId: string) {
  const session = await createSession(database.db, userId);
  return () => validateSessionToken(database.db, session.token);
}

async function reportingGrants(userId: string) {
  return database.db
    .selectFrom('userRole')
    .select(['role', 'namndId', 'verksamhetsomrade'])
    .where('userId', '=', userId)
    .where('role', 'in', ['rapportor', 'huvudrapportor'])
    .orderBy('verksamhetsomrade')
    .execute();
}

describe('reporters.list', () => {
  it('shows a rapportör the register of their nämnd, with areas and contact details', async () => {
    await database.db
      .updateTable('appUser')
      .set({ telefon: '08-555 12 34', email: 'huvud@exempel.se' })
      .where('id', '=', 'huvudrapportor')
      .execute();
    const rapportor = await callerFor(database, 'rapportorLss');
    const [vard, ...others] = await rapportor.reporters.list();
    expect(others).toEqual([]);
    expect(vard).toMatchObject({
      namndId: ORG.vard,
      namn: 'Vård- och omsorgsnämnden',
      verksamhetsomraden: ['LSS', 'SOL_ALDRE', 'SOL_FUNK'],
    });
    expect(vard!.reporters).toEqual([
      {
        userId: 'huvudrapportor',
        username: 'huvudrapportor',
        displayName: 'huvudrapportor',
        email: 'huvud@exempel.se',
        telefon: '08-555 12 34',
        active: true,
        status: 'huvudrapportor',
        verksamhetsomraden: ['LSS', 'SOL_ALDRE', 'SOL_FUNK'],
        helaNamnden: true,
      },
      {
        userId: 'rapportorLss',
        username: 'rapportorlss',
        displayName: 'rapportorLss',
        email: null,
        telefon: null,
        active: true,
        status: 'rapportor',
        verksamhetsomraden: ['LSS'],
        helaNamnden: false,
      },
    ]);
  });

  it("refuses another nämnd's register, and everyone who does not report", async () => {
    const social = await callerFor(database, 'rapportorSocial');
    expect((await social.reporters.list()).map((r) => r.namndId)).toEqual([ORG.social]);
    await expect(social.reporters.list({ namndId: ORG.vard })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    for (const userId of ['utforareA', 'matchare', 'handlaggare1', 'admin']) {
      const caller = await callerFor(database, userId);
      await expect(caller.reporters.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });
});

describe('reporters.searchUsers', () => {
  const names = (answer: { users: { userId: string }[] }) => answer.users.map((u) => u.userId);

  it('finds colleagues by part of the name or username, only among the nämnder the caller reports for', async () => {
    // A user of another kommun, who has the same kind of name.
    await database.db.insertInto('kommun').values({ id: 'k2', namn: 'Annan kommun' }).execute();
    await database.db
      .insertInto('namnd')
      .values({ id: 'n-annan', kommunId: 'k2', namn: 'Annan nämnd' })
      .execute();
    await database.db
      .insertInto('appUser')
      .values({
        id: 'utforareAnnan',
        username: 'utforare.annan',
        displayName: 'Utforare Annan',
        passwordHash: 'x',
      })
      .execute();
    await database.db
      .insertInto('userRole')
      .values({
        id: 'ua-0',
        userId: 'utforareAnnan',
        role: 'handlaggare',
        namndId: 'n-annan',
        verksamhetsomrade: null,
        enhetId: null,
      })
      .execute();

    const vard = await callerFor(database, 'huvudrapportor');
    // Utförare of the nämnd's units are found; the other kommun's user is not.
    expect(names(await vard.reporters.searchUsers({ namndId: ORG.vard, text: 'UTFOR' }))).toEqual([
      'utforareA',
      'utforareB',
    ]);
    const lss = await vard.reporters.searchUsers({ namndId: ORG.vard, text: ' rapportorl ' });
    expect(lss).toEqual({
      users: [
        {
          userId: 'rapportorLss',
          username: 'rapportorlss',
          displayName: 'rapportorLss',
          active: true,
          inRegister: true,
        },
      ],
      more: false,
    });
    // Socialnämnden's people are outside what the vård nämnd's huvudrapportör sees.
    expect(names(await vard.reporters.searchUsers({ namndId: ORG.vard, text: 'social' }))).toEqual(
      [],
    );
    // LIKE's wildcards are plain characters.
    expect(names(await vard.reporters.searchUsers({ namndId: ORG.vard, text: '%_' }))).toEqual([]);

    const social = await callerFor(database, 'huvudSocial');
    expect(
      names(await social.reporters.searchUsers({ namndId: ORG.social, text: 'utfor' })),
    ).toEqual([]);
    expect(
      names(await social.reporters.searchUsers({ namndId: ORG.social, text: 'social' })),
      // Everyone with a role in Socialnämnden, its log reviewer too.
    ).toEqual(['huvudSocial', 'loggranskareSocial', 'rapportorSocial']);
  });

  it('answers at most 20, saying there are more', async () => {
    for (let i = 0; i < 25; i++) {
      const id = `hl${String(i).padStart(2, '0')}`;
      await database.db
        .insertInto('appUser')
        .values({ id, username: id, displayName: `Handläggare ${id}`, passwordHash: 'x' })
        .execute();
      await database.db
        .insertInto('userRole')
        .values({
          id: `${id}-0`,
          userId: id,
          role: 'handlaggare',
          namndId: ORG.vard,
          verksamhetsomrade: null,
          enhetId: null,
        })
        .execute();
    }
    const vard = await callerFor(database, 'huvudrapportor');
    const answer = await vard.reporters.searchUsers({ namndId: ORG.vard, text: 'handläggare hl' });
    expect(answer.users).toHaveLength(20);
    expect(answer.users[0]).toMatchObject({ userId: 'hl00', inRegister: false });
    expect(answer.more).toBe(true);
  });

  it('refuses a text too short or too long, another nämnd and anyone but a huvudrapportör', async () => {
    const vard = await callerFor(database, 'huvudrapportor');
    expect(
      await refusal(vard.reporters.searchUsers({ namndId: ORG.vard, text: ' a ' })),
    ).toMatchObject({
      httpStatus: 400,
      message: 'text: Skriv minst 2 tecken av namnet eller användarnamnet',
    });
    expect(
      await refusal(vard.reporters.searchUsers({ namndId: ORG.vard, text: 'x'.repeat(101) })),
    ).toMatchObject({ httpStatus: 400, message: 'text: Sökningen får ha högst 100 tecken' });
    expect(
      await refusal(vard.reporters.searchUsers({ namndId: ORG.social, text: 'social' })),
    ).toMatchObject({ httpStatus: 403 });
    for (const userId of ['rapportorLss', 'handlaggare1', 'admin']) {
      const caller = await callerFor(database, userId);
      await expect(
        caller.reporters.searchUsers({ namndId: ORG.vard, text: 'utfor' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });
});

describe('reporters.add / update / remove by the huvudrapportör', () => {
  it('adds an existing user as rapportör for some verksamhetsområden, with contact details', async () => {
    const huvud = await callerFor(database, 'huvudrapportor');
    const register = await huvud.reporters.add({
      namndId: ORG.vard,
      username: 'Handlaggare2',
      status: 'rapportor',
      verksamhetsomraden: ['SOL_FUNK', 'SOL_ALDRE'],
      telefon: '070-111 22 33',
      email: 'h2@exempel.se',
    });
    expect(register.reporters.find((r) => r.userId === 'handlaggare2')).toMatchObject({
      status: 'rapportor',
      verksamhetsomraden: ['SOL_ALDRE', 'SOL_FUNK'],
      helaNamnden: false,
      telefon: '070-111 22 33',
      email: 'h2@exempel.se',
    });
    expect(await reportingGrants('handlaggare2')).toEqual([
      { role: 'rapportor', namndId: ORG.vard, verksamhetsomrade: 'SOL_ALDRE' },
      { role: 'rapportor', namndId: ORG.vard, verksamhetsomrade: 'SOL_FUNK' },
    ]);
    // The new rapportör now reads the register and the nämnd's decisions.
    const added = await callerFor(database, 'handlaggare2');
    await expect(added.reporters.list()).resolves.toHaveLength(1);
    const log = await database.db
      .selectFrom('auditLog')
      .select(['userId', 'role', 'action', 'subjectId', 'namndId'])
      .execute();
    expect(log).toEqual([
      {
        userId: 'huvudrapportor',
        role: 'huvudrapportor',
        action: 'rapportor_tillagd',
        subjectId: 'handlaggare2',
        namndId: ORG.vard,
      },
    ]);
  });

  it('refuses what cannot be added, in Swedish', async () => {
    const huvud = await callerFor(database, 'huvudrapportor');
    expect(
      await refusal(
        huvud.reporters.add({
          namndId: ORG.vard,
          username: 'handlaggare2',
          status: 'rapportor',
          verksamhetsomraden: ['SOL_IFO'],
        }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'verksamhetsomraden.0: Vård- och omsorgsnämnden rapporterar inte för SoL IFO',
    });
    expect(
      await refusal(
        huvud.reporters.add({
          namndId: ORG.vard,
          username: 'handlaggare2',
          status: 'chef' as never,
        }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'status: Välj status: rapportor eller huvudrapportor',
    });
    expect(
      await refusal(
        huvud.reporters.add({ namndId: ORG.vard, username: 'ingen', status: 'rapportor' }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await refusal(
        huvud.reporters.add({ namndId: ORG.vard, username: 'rapportorlss', status: 'rapportor' }),
      ),
    ).toMatchObject({
      code: 'CONFLICT',
      message:
        'username: rapportorLss är redan rapportör för nämnden; ändra uppgifterna i stället.',
    });
  });

  it('answers a user of another kommun exactly as a username nobody has; a user with no roles can be added', async () => {
    await database.db.insertInto('kommun').values({ id: 'k2', namn: 'Annan kommun' }).execute();
    await database.db
      .insertInto('namnd')
      .values({ id: 'n-annan', kommunId: 'k2', namn: 'Annan nämnd' })
      .execute();
    await database.db
      .insertInto('enhet')
      .values({ id: 'e-annan', namndId: 'n-annan', namn: 'Annan enhet', typ: 'utforarenhet' })
      .execute();
    const users = [
      // A handläggare of the other kommun's nämnd, a rapportör there, and an inactive utförare of
      // one of its units.
      { id: 'annanNamnd', username: 'annan.namnd', active: true },
      { id: 'annanRapportor', username: 'annan.rapportor', active: true },
      { id: 'annanEnhet', username: 'annan.enhet', active: false },
      // One who works in both kommuner, and a fresh account with no roles at all.
      { id: 'bada', username: 'bada', active: true },
      { id: 'ny', username: 'ny.anvandare', active: true },
    ];
    await database.db
      .insertInto('appUser')
      .values(users.map((u) => ({ ...u, displayName: `Namn ${u.id}`, passwordHash: 'x' })))
      .execute();
    const role = (id: string, userId: string, r: 'handlaggare' | 'rapportor' | 'utforare') => ({
      id,
      userId,
      role: r,
      namndId: r === 'utforare' ? null : id.endsWith('hem') ? ORG.social : 'n-annan',
      verksamhetsomrade: null,
      enhetId: r === 'utforare' ? 'e-annan' : null,
    });
    await database.db
      .insertInto('userRole')
      .values([
        role('r1', 'annanNamnd', 'handlaggare'),
        role('r2', 'annanRapportor', 'rapportor'),
        role('r3', 'annanEnhet', 'utforare'),
        role('r4', 'bada', 'handlaggare'),
        role('r5-hem', 'bada', 'handlaggare'),
      ])
      .execute();

    const huvud = await callerFor(database, 'huvudrapportor');
    const add = (username: string) =>
      refusal(huvud.reporters.add({ namndId: ORG.vard, username, status: 'rapportor' }));
    const nobody = (username: string) => ({
      code: 'NOT_FOUND',
      httpStatus: 404,
      message: `username: Det finns ingen användare med användarnamnet ${username}.`,
    });
    expect(await add('ingen.alls')).toEqual(nobody('ingen.alls'));
    for (const username of ['annan.namnd', 'annan.rapportor', 'annan.enhet']) {
      expect(await add(username)).toEqual(nobody(username));
    }
    expect(await reportingGrants('annanNamnd')).toEqual([]);

    // Someone with a role in this kommun too, and a user with no roles, are added.
    const register = await huvud.reporters.add({
      namndId: ORG.vard,
      username: 'bada',
      status: 'rapportor',
    });
    expect(register.reporters.map((r) => r.userId)).toContain('bada');
    await huvud.reporters.add({ namndId: ORG.vard, username: 'ny.anvandare', status: 'rapportor' });
    expect(await reportingGrants('ny')).toEqual([
      { role: 'rapportor', namndId: ORG.vard, verksamhetsomrade: null },
    ]);
    // Once in the register, the answer names them as usual.
    expect(await add('NY.anvandare')).toMatchObject({ code: 'CONFLICT' });

    // The other kommun's own huvudrapportör finds its users.
    await database.db
      .insertInto('userRole')
      .values({ ...role('r6', 'annanRapportor', 'rapportor'), role: 'huvudrapportor' })
      .execute();
    const annan = await callerFor(database, 'annanRapportor');
    await expect(
      annan.reporters.add({ namndId: 'n-annan', username: 'annan.namnd', status: 'rapportor' }),
    ).resolves.toMatchObject({ namndId: 'n-annan' });
  });

  it('changes areas and status; narrowing someone’s access ends their sessions', async () => {
    const huvud = await callerFor(database, 'huvudrapportor');
    const session = await sessionOf('rapportorLss');
    await huvud.reporters.update({
      namndId: ORG.vard,
      userId: 'rapportorLss',
      verksamhetsomraden: ['LSS', 'SOL_FUNK'],
      telefon: '070-999 88 77',
    });
    expect(await session()).not.toBeNull();
    const promoted = await huvud.reporters.update({
      namndId: ORG.vard,
      userId: 'rapportorLss',
      status: 'huvudrapportor',
    });
    expect(promoted.reporters.find((r) => r.userId === 'rapportorLss')).toMatchObject({
      status: 'huvudrapportor',
      verksamhetsomraden: ['LSS', 'SOL_FUNK'],
      telefon: '070-999 88 77',
    });
    expect(await session()).not.toBeNull();
    await huvud.reporters.update({
      namndId: ORG.vard,
      userId: 'rapportorLss',
      verksamhetsomraden: ['LSS'],
    });
    expect(await reportingGrants('rapportorLss')).toEqual([
      { role: 'huvudrapportor', namndId: ORG.vard, verksamhetsomrade: 'LSS' },
    ]);
    expect(await session()).toBeNull();
  });

  it('removes a rapportör: the grants go and every session of theirs ends at once', async () => {
    const huvud = await callerFor(database, 'huvudrapportor');
    const session = await sessionOf('rapportorLss');
    const register = await huvud.reporters.remove({ namndId: ORG.vard, userId: 'rapportorLss' });
    expect(register.reporters.map((r) => r.userId)).toEqual(['huvudrapportor']);
    expect(await reportingGrants('rapportorLss')).toEqual([]);
    expect(await session()).toBeNull();
    const removed = await callerFor(database, 'rapportorLss');
    await expect(removed.reporters.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      huvud.reporters.remove({ namndId: ORG.vard, userId: 'rapportorLss' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      huvud.reporters.update({ namndId: ORG.vard, userId: 'utforareA', status: 'rapportor' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the last huvudrapportör can neither remove nor demote themself until a new one is added', async () => {
    const huvud = await callerFor(database, 'huvudrapportor');
    expect(
      await refusal(huvud.reporters.remove({ namndId: ORG.vard, userId: 'huvudrapportor' })),
    ).toEqual({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message:
        'userId: Du är nämndens enda huvudrapportör. Lägg först till en ny huvudrapportör, som sedan kan avanmäla dig',
    });
    expect(
      await refusal(
        huvud.reporters.update({
          namndId: ORG.vard,
          userId: 'huvudrapportor',
          status: 'rapportor',
        }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      message:
        'status: Du är nämndens enda huvudrapportör. Lägg först till en ny huvudrapportör, som sedan kan ändra din status',
    });
    expect(await reportingGrants('huvudrapportor')).toHaveLength(1);

    await huvud.reporters.add({
      namndId: ORG.vard,
      username: 'handlaggare2',
      status: 'huvudrapportor',
    });
    const successor = await callerFor(database, 'handlaggare2');
    const session = await sessionOf('huvudrapportor');
    const register = await successor.reporters.remove({
      namndId: ORG.vard,
      userId: 'huvudrapportor',
    });
    expect(register.reporters.map((r) => [r.userId, r.status])).toEqual([
      ['handlaggare2', 'huvudrapportor'],
      ['rapportorLss', 'rapportor'],
    ]);
    expect(await session()).toBeNull();
  });

  it('an inactive huvudrapportör does not count as the one left', async () => {
    await database.db
      .insertInto('userRole')
      .values({
        id: 'utforareB-hr',
        userId: 'utforareB',
        role: 'huvudrapportor',
        namndId: ORG.vard,
        verksamhetsomrade: null,
        enhetId: null,
      })
      .execute();
    await database.db
      .updateTable('appUser')
      .set({ active: false })
      .where('id', '=', 'utforareB')
      .execute();
    const huvud = await callerFor(database, 'huvudrapportor');
    await expect(
      huvud.reporters.remove({ namndId: ORG.vard, userId: 'huvudrapportor' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('reporters.add / update / remove refused', () => {
  const attempts = (caller: Awaited<ReturnType<typeof callerFor>>) => [
    caller.reporters.add({ namndId: ORG.vard, username: 'handlaggare2', status: 'rapportor' }),
    caller.reporters.update({
      namndId: ORG.vard,
      userId: 'rapportorLss',
      status: 'huvudrapportor',
    }),
    caller.reporters.remove({ namndId: ORG.vard, userId: 'huvudrapportor' }),
  ];

  it.each(['rapportorLss', 'rapportorSocial', 'huvudSocial', 'handlaggare1', 'admin'])(
    '%s gets 403 for the vård nämnd and nothing changes',
    async (userId) => {
      const caller = await callerFor(database, userId);
      for (const attempt of attempts(caller)) {
        await expect(attempt).rejects.toMatchObject({ code: 'FORBIDDEN' });
      }
      expect(await reportingGrants('handlaggare2')).toEqual([]);
      expect(await reportingGrants('rapportorLss')).toEqual([
        { role: 'rapportor', namndId: ORG.vard, verksamhetsomrade: 'LSS' },
      ]);
      expect(await reportingGrants('huvudrapportor')).toHaveLength(1);
    },
  );

  it("a huvudrapportör manages their own nämnd's register, not another's", async () => {
    const social = await callerFor(database, 'huvudSocial');
    await social.reporters.add({
      namndId: ORG.social,
      username: 'handlaggare2',
      status: 'rapportor',
    });
    expect(await reportingGrants('handlaggare2')).toEqual([
      { role: 'rapportor', namndId: ORG.social, verksamhetsomrade: null },
    ]);
  });
});
