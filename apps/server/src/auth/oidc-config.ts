import { EnvError, type EnvProblem } from '../env';

/*
 * The OpenID Connect client's configuration, from environment variables, checked at start-up
 * (env.ts calls parseOidcEnv). OIDC is on when OIDC_ISSUER is set; then OIDC_CLIENT_ID,
 * OIDC_CLIENT_SECRET, OIDC_USER_CLAIM and PUBLIC_ORIGIN must be set too, and any OIDC_* variable
 * without OIDC_ISSUER is an error rather than silently ignored.
 */

export const OIDC_VARIABLES = [
  'OIDC_ISSUER',
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
  'OIDC_USER_CLAIM',
  'OIDC_ACR_VALUES',
  'OIDC_SCOPES',
] as const;

/** Where the provider sends the browser back: register `${PUBLIC_ORIGIN}${OIDC_CALLBACK_PATH}`. */
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';

export type OidcSettings = {
  /** The issuer URL; its /.well-known/openid-configuration is read (discovery). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The ID token claim whose value names the evb user (auth/external-identity.ts). */
  userClaim: string;
  /** The acr values of which the ID token must carry one; empty: any level is taken. */
  acrValues: readonly string[];
  /** The scopes asked for; always with `openid`. */
  scopes: readonly string[];
  /** `${PUBLIC_ORIGIN}/api/auth/oidc/callback`. */
  redirectUri: string;
  /** PUBLIC_ORIGIN + '/': where the provider sends the browser after signing out. */
  postLogoutRedirectUri: string;
  /**
   * Tests only: the fetch the client uses for discovery, the token endpoint and the keys (a test
   * tampers with the provider's answers through it). Never set from the environment.
   */
  fetch?: typeof fetch;
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
// A claim name as providers spell them (sub, email, upn, hsa_id, urn:oid:…, http://…/claims/x).
const CLAIM = /^[A-Za-z0-9:._/#-]{1,256}$/;
// RFC 6749's scope-token and acr values: printable ASCII without space, quote or backslash.
const TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;

/**
 * Reads the OIDC_* variables (empty counts as unset); null when OIDC is off. Throws an EnvError
 * naming every wrong variable; the client secret is never echoed.
 */
export function parseOidcEnv(
  env: Record<string, string | undefined>,
  publicOrigin: string | null,
): OidcSettings | null {
  const value = (name: (typeof OIDC_VARIABLES)[number]) =>
    env[name] === '' || env[name] === undefined ? null : (env[name] as string).trim();
  const set = OIDC_VARIABLES.filter((name) => value(name) !== null);
  if (set.length === 0) return null;

  const problems: EnvProblem[] = [];
  const issuer = value('OIDC_ISSUER');
  if (issuer === null) {
    problems.push({
      variable: 'OIDC_ISSUER',
      problem: `must be set when ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'}: OpenID Connect is on only with the provider's issuer URL`,
    });
  } else {
    const url = URL.canParse(issuer) ? new URL(issuer) : null;
    if (
      !url ||
      issuer.length > 1024 ||
      url.search !== '' ||
      url.hash !== '' ||
      url.username !== '' ||
      !(url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    ) {
      problems.push({
        variable: 'OIDC_ISSUER',
        problem: `must be the provider's issuer URL, https://… without query (http:// only on loopback, for tests), got ${JSON.stringify(issuer.slice(0, 200))}`,
      });
    }
    for (const name of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_USER_CLAIM'] as const) {
      if (value(name) === null) {
        problems.push({
          variable: name,
          problem:
            'must be set when OIDC_ISSUER is: OpenID Connect needs OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_USER_CLAIM',
        });
      }
    }
    if (publicOrigin === null) {
      problems.push({
        variable: 'PUBLIC_ORIGIN',
        problem:
          'must be set when OIDC_ISSUER is: the redirect URI registered with the provider is made from it',
      });
    }
  }
  const clientId = value('OIDC_CLIENT_ID');
  if (clientId !== null && !TOKEN.test(clientId)) {
    problems.push({
      variable: 'OIDC_CLIENT_ID',
      problem: `must be the client id the provider gave evb (up to 256 characters without spaces), got ${JSON.stringify(clientId.slice(0, 200))}`,
    });
  }
  const secret = value('OIDC_CLIENT_SECRET');
  if (secret !== null && secret.length > 1024) {
    problems.push({ variable: 'OIDC_CLIENT_SECRET', problem: 'must be at most 1024 characters' });
  }
  const claim = value('OIDC_USER_CLAIM');
  if (claim !== null && !CLAIM.test(claim)) {
    problems.push({
      variable: 'OIDC_USER_CLAIM',
      problem: `must be the name of an ID token claim, such as email, upn or an HSA-id claim, got ${JSON.stringify(claim.slice(0, 200))}`,
    });
  }
  const acrValues = words(value('OIDC_ACR_VALUES'));
  if (acrValues.some((acr) => !TOKEN.test(acr)) || acrValues.length > 10) {
    problems.push({
      variable: 'OIDC_ACR_VALUES',
      problem:
        'must be up to 10 acr values separated by spaces, such as http://id.elegnamnden.se/loa/1.0/loa3',
    });
  }
  const scopes = words(value('OIDC_SCOPES'));
  if (scopes.some((scope) => !TOKEN.test(scope)) || scopes.length > 20) {
    problems.push({
      variable: 'OIDC_SCOPES',
      problem: 'must be up to 20 scopes separated by spaces, such as "openid email"',
    });
  }
  if (problems.length > 0) throw new EnvError(problems);
  const origin = publicOrigin as string;
  return {
    issuer: issuer as string,
    clientId: clientId as string,
    clientSecret: secret as string,
    userClaim: claim as string,
    acrValues,
    scopes: ['openid', ...scopes.filter((scope) => scope !== 'openid')],
    redirectUri: `${origin}${OIDC_CALLBACK_PATH}`,
    postLogoutRedirectUri: `${origin}/`,
  };
}

function words(text: string | null): string[] {
  return text === null ? [] : text.split(/\s+/).filter((word) => word !== '');
}
