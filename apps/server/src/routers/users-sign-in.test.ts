import { describe, expect, it } from 'vitest';
import { signInWithExternalIdentity } from '../auth/external-identity';
import { createSession, DEFAULT_SESSION_POLICY } from '../auth/sessions';
import { callerFor, useTestDatabase } from '../testing/harness';

const database = useTestDatabase();

async function setSignIn(input: { id: string; externalId: unknown; breakGlass: unknown }) {
  const admin = await callerFor(database, 'admin');
  // biome-ignore lint/suspicious/noExplicitAny: hostile input on purpose
  return admin.users.setSignIn(input as any);
}

function viaProvider(identity: string) {
  return signInWithExternalIdentity(database.db, {
    method: 'oidc',
    identity,
    now: new Date(),
    policy: DEFAULT_SESSION_POLICY,
  });
}

describe('users.setSignIn', () => {
  it('sets the external id that signs the user in, and break-glass; lists them', async () => {
    const saved = await setSignIn({
      id: 'handlaggare1',
      externalId: '  SE2321000016-H1  ',
      breakGlass: true,
    });
    expect(saved).toMatchObject({ externalId: 'SE2321000016-H1', breakGlass: true });
    const listed = (await (await callerFor(database, 'admin')).users.list()).find(
      (u) => u.id === 'handlaggare1',
    );
    expect(listed).toMatchObject({ externalId: 'SE2321000016-H1', breakGlass: true });
    expect((await viaProvider('se2321000016-h1')).ok).toBe(true);
    const audit = await database.db
      .selectFrom('auditLog')
      .select(['userId', 'action', 'subjectId', 'details'])
      .where('action', '=', 'anvandare_andrad')
      .execute();
    expect(audit).toEqual([
      {
        userId: 'admin',
        action: 'anvandare_andrad',
        subjectId: 'handlaggare1',
        details: { fält: ['externtId', 'nödåtkomst'], externtIdÄndrat: true, nödåtkomst: true },
      },
    ]);
  });

  it('clears the external id with a blank, so the username signs in again', async () => {
    await setSignIn({ id: 'utforareA', externalId: 'anna@kommun.se', breakGlass: false });
    expect((await viaProvider('utforarea')).ok).toBe(false);
    const cleared = await setSignIn({ id: 'utforareA', externalId: '', breakGlass: false });
    expect(cleared.externalId).toBeNull();
    expect((await viaProvider('utforarea')).ok).toBe(true);
  });

  it('refuses an id another user has (any case), or another user’s username, in Swedish', async () => {
    await setSignIn({ id: 'utforareA', externalId: 'anna@kommun.se', breakGlass: false });
    await expect(
      setSignIn({ id: 'utforareB', externalId: 'ANNA@kommun.se', breakGlass: false }),
    ).rejects.toThrow('Det externa id:t används redan av en annan användare');
    await expect(
      setSignIn({ id: 'utforareB', externalId: 'Handlaggare1', breakGlass: false }),
    ).rejects.toThrow('Det externa id:t är en annan användares användarnamn');
    // The user's own username is no clash.
    await setSignIn({ id: 'utforareB', externalId: 'UtforareB', breakGlass: false });
  });

  it('refuses hostile input with a clear message', async () => {
    await expect(
      setSignIn({ id: 'utforareA', externalId: 'x'.repeat(257), breakGlass: false }),
    ).rejects.toThrow('högst 256 tecken');
    await expect(
      setSignIn({ id: 'utforareA', externalId: 'anna andersson', breakGlass: false }),
    ).rejects.toThrow('mellanslag');
    await expect(
      setSignIn({ id: 'utforareA', externalId: 'a\u0000b', breakGlass: false }),
    ).rejects.toThrow(/otillåtet tecken|kontrolltecken/);
    await expect(
      setSignIn({ id: 'utforareA', externalId: 'a\u200bb', breakGlass: false }),
    ).rejects.toThrow('kontrolltecken');
    await expect(setSignIn({ id: 'utforareA', externalId: 'a', breakGlass: 'ja' })).rejects.toThrow(
      'nödåtkomst',
    );
    await expect(
      setSignIn({ id: 'finns-inte', externalId: 'a', breakGlass: false }),
    ).rejects.toThrow();
  });

  it('ends the user’s sessions when the external id changes, not when only break-glass does', async () => {
    await createSession(database.db, 'handlaggare2');
    const live = async () =>
      (
        await database.db
          .selectFrom('session')
          .select('id')
          .where('userId', '=', 'handlaggare2')
          .where('revokedAt', 'is', null)
          .execute()
      ).length;
    await setSignIn({ id: 'handlaggare2', externalId: null, breakGlass: true });
    expect(await live()).toBe(1);
    await setSignIn({ id: 'handlaggare2', externalId: 'h2@kommun.se', breakGlass: true });
    expect(await live()).toBe(0);
  });

  it('is for administrators only', async () => {
    const other = await callerFor(database, 'handlaggare1');
    await expect(
      other.users.setSignIn({ id: 'handlaggare1', externalId: 'x', breakGlass: true }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
