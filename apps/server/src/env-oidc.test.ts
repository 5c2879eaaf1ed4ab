import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

function problemsOf(env: Record<string, string | undefined>) {
  try {
    parseEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).problems;
  }
  throw new Error('expected parseEnv to throw');
}

const OIDC = {
  PUBLIC_ORIGIN: 'https://evb.kommun.se',
  OIDC_ISSUER: 'https://idp.kommun.se/oidc',
  OIDC_CLIENT_ID: 'evb',
  OIDC_CLIENT_SECRET: 'hemlig-klientnyckel',
  OIDC_USER_CLAIM: 'email',
};

describe('OIDC_* and LOCAL_PASSWORDS', () => {
  it('leaves OIDC off and passwords on by default', () => {
    const { auth } = parseEnv({});
    expect(auth.oidc).toBeNull();
    expect(auth.localPasswords).toBe(true);
  });

  it('reads the provider, the claim, the assurance demanded and the scopes', () => {
    const { auth } = parseEnv({
      ...OIDC,
      OIDC_ACR_VALUES:
        ' http://id.elegnamnden.se/loa/1.0/loa3  http://id.elegnamnden.se/loa/1.0/loa4 ',
      OIDC_SCOPES: 'email openid',
      LOCAL_PASSWORDS: 'off',
    });
    expect(auth.localPasswords).toBe(false);
    expect(auth.oidc).toEqual({
      issuer: 'https://idp.kommun.se/oidc',
      clientId: 'evb',
      clientSecret: 'hemlig-klientnyckel',
      userClaim: 'email',
      acrValues: ['http://id.elegnamnden.se/loa/1.0/loa3', 'http://id.elegnamnden.se/loa/1.0/loa4'],
      scopes: ['openid', 'email'],
      redirectUri: 'https://evb.kommun.se/api/auth/oidc/callback',
      postLogoutRedirectUri: 'https://evb.kommun.se/',
    });
    expect(parseEnv(OIDC).auth.oidc?.scopes).toEqual(['openid']);
    expect(parseEnv(OIDC).auth.oidc?.acrValues).toEqual([]);
  });

  it('names each variable OIDC needs with the issuer, and PUBLIC_ORIGIN', () => {
    expect(problemsOf({ OIDC_ISSUER: 'https://idp.kommun.se' }).map((p) => p.variable)).toEqual([
      'OIDC_CLIENT_ID',
      'OIDC_CLIENT_SECRET',
      'OIDC_USER_CLAIM',
      'PUBLIC_ORIGIN',
    ]);
  });

  it('names OIDC_ISSUER when another OIDC variable is set without it', () => {
    const [problem, ...rest] = problemsOf({ OIDC_CLIENT_ID: 'evb' });
    expect(rest).toEqual([]);
    expect(problem?.variable).toBe('OIDC_ISSUER');
    expect(problem?.problem).toContain('OIDC_CLIENT_ID');
  });

  it('refuses an issuer that is not https (http only on loopback), or has a query', () => {
    for (const issuer of [
      'http://idp.kommun.se',
      'idp.kommun.se',
      'https://idp.kommun.se/?x=1',
      'ftp://idp.kommun.se',
    ]) {
      expect(problemsOf({ ...OIDC, OIDC_ISSUER: issuer }).map((p) => p.variable)).toEqual([
        'OIDC_ISSUER',
      ]);
    }
    expect(parseEnv({ ...OIDC, OIDC_ISSUER: 'http://127.0.0.1:4000' }).auth.oidc?.issuer).toBe(
      'http://127.0.0.1:4000',
    );
  });

  it('refuses a malformed claim name, client id, acr value or scope, and never echoes the secret', () => {
    const problems = problemsOf({
      ...OIDC,
      OIDC_CLIENT_ID: 'evb klient',
      OIDC_USER_CLAIM: 'e post',
      OIDC_ACR_VALUES: 'loa3 "loa4"',
      OIDC_SCOPES: 'openid e\\mail',
      OIDC_CLIENT_SECRET: 'x'.repeat(1025),
    });
    expect(problems.map((p) => p.variable)).toEqual([
      'OIDC_CLIENT_ID',
      'OIDC_CLIENT_SECRET',
      'OIDC_USER_CLAIM',
      'OIDC_ACR_VALUES',
      'OIDC_SCOPES',
    ]);
    expect(JSON.stringify(problems)).not.toContain('xxxxxxxx');
  });

  it('refuses LOCAL_PASSWORDS other than on or off, and off without an identity provider', () => {
    expect(problemsOf({ LOCAL_PASSWORDS: 'nej' })).toEqual([
      {
        variable: 'LOCAL_PASSWORDS',
        problem:
          'must be on (everyone may sign in with a password) or off (only break-glass users may), got "nej"',
      },
    ]);
    expect(problemsOf({ LOCAL_PASSWORDS: 'off' }).map((p) => p.variable)).toEqual([
      'LOCAL_PASSWORDS',
    ]);
  });
});
