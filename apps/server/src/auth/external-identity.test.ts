import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/harness';
import { auditExternalRefusal, signInWithExternalIdentity } from './external-identity';
import { checkSessionToken, DEFAULT_SESSION_POLICY } from './sessions';

const database = useTestDatabase();
const now = new Date('2026-12-07T09:00:00Z');

function signIn(identity: unknown, method: 'oidc' | 'saml' = 'oidc') {
  return signInWithExternalIdentity(database.db, {
    method,
    identity,
    now,
    policy: DEFAULT_SESSION_POLICY,
  });
}

async function audits() {
  return database.db
    .selectFrom('auditLog')
    .select(['userId', 'action', 'subjectId', 'details'])
    .orderBy('id')
    .execute();
}

async function sessionUserOf(cookie: string) {
  const token = cookie.split(';')[0]!.split('=')[1]!;
  const check = await checkSessionToken(database.db, token, now);
  return check.session?.user.id;
}

describe('signing in with an identity from the provider', () => {
  it('begins a session for the user whose username the value is, in any case, and audits it', async () => {
    const result = await signIn('HandLaggare1', 'saml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.id).toBe('handlaggare1');
    expect(result.cookie).toMatch(/^evb_session=[a-z2-7]+\.[a-z2-7]+;.*HttpOnly.*Secure/);
    expect(await sessionUserOf(result.cookie)).toBe('handlaggare1');
    const session = await database.db
      .selectFrom('session')
      .select('signInMethod')
      .executeTakeFirstOrThrow();
    expect(session.signInMethod).toBe('saml');
    expect(await audits()).toEqual([
      {
        userId: 'handlaggare1',
        action: 'inloggning',
        subjectId: 'handlaggare1',
        details: { metod: 'saml' },
      },
    ]);
  });

  it('matches the external id an administrator set instead of the username, which then no longer signs in', async () => {
    await database.db
      .updateTable('appUser')
      .set({ externalId: 'SE2321000016-A1b2' })
      .where('id', '=', 'utforareA')
      .execute();
    const byHsaId = await signIn('se2321000016-a1B2');
    expect(byHsaId.ok && byHsaId.user.id).toBe('utforareA');
    const byUsername = await signIn('utforarea');
    expect(byUsername).toEqual({ ok: false, code: 'ingen-anvandare' });
  });

  it("prefers a user's external id over another user's equal username", async () => {
    await database.db
      .updateTable('appUser')
      .set({ externalId: 'matchare' })
      .where('id', '=', 'utforareB')
      .execute();
    const result = await signIn('matchare');
    expect(result.ok && result.user.id).toBe('utforareB');
  });

  it('refuses an unknown identity, creates nothing, and audits no value', async () => {
    const usersBefore = await database.db.selectFrom('appUser').select('id').execute();
    const result = await signIn('okand.person@kommun.se');
    expect(result).toEqual({ ok: false, code: 'ingen-anvandare' });
    expect(await database.db.selectFrom('appUser').select('id').execute()).toEqual(usersBefore);
    expect(await database.db.selectFrom('session').select('id').execute()).toEqual([]);
    const rows = await audits();
    expect(rows).toEqual([
      {
        userId: null,
        action: 'inloggning_misslyckad',
        subjectId: null,
        details: { metod: 'oidc', orsak: 'okänd' },
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain('okand.person');
  });

  it('refuses a deactivated user, with the same code as an unknown one, audited with the id', async () => {
    await database.db
      .updateTable('appUser')
      .set({ active: false })
      .where('id', '=', 'handlaggare2')
      .execute();
    expect(await signIn('handlaggare2')).toEqual({ ok: false, code: 'ingen-anvandare' });
    expect(await database.db.selectFrom('session').select('id').execute()).toEqual([]);
    expect(await audits()).toEqual([
      {
        userId: null,
        action: 'inloggning_misslyckad',
        subjectId: 'handlaggare2',
        details: { metod: 'oidc', orsak: 'inaktiverad' },
      },
    ]);
  });

  it('refuses a missing, empty, non-string or overlong value', async () => {
    for (const value of [undefined, null, '', '   ', 42, ['admin'], 'a'.repeat(257)]) {
      expect(await signIn(value)).toEqual({ ok: false, code: 'identitet-saknas' });
    }
    expect(await database.db.selectFrom('session').select('id').execute()).toEqual([]);
    expect((await audits()).map((row) => row.details)).toEqual(
      Array(7).fill({ metod: 'oidc', orsak: 'identitet-saknas' }),
    );
  });

  it('audits a protocol refusal with the method and reason only', async () => {
    await auditExternalRefusal(database.db, 'saml', 'signatur');
    expect(await audits()).toEqual([
      {
        userId: null,
        action: 'inloggning_misslyckad',
        subjectId: null,
        details: { metod: 'saml', orsak: 'signatur' },
      },
    ]);
  });

  it('keeps external ids unique without regard to case', async () => {
    await database.db
      .updateTable('appUser')
      .set({ externalId: 'anna@kommun.se' })
      .where('id', '=', 'utforareA')
      .execute();
    await expect(
      database.db
        .updateTable('appUser')
        .set({ externalId: 'Anna@Kommun.se' })
        .where('id', '=', 'utforareB')
        .execute(),
    ).rejects.toThrow();
  });
});
