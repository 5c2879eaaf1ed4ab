import * as client from 'openid-client';
import { logError, logWarning } from '../logging';
import type { RefusalReason, SignInRefusalCode } from './external-identity';
import type { OidcSettings } from './oidc-config';

/*
 * OpenID Connect sign-in with `openid-client` (authorization code flow with PKCE, state and
 * nonce; the provider found by discovery from its issuer URL). The library checks the ID token:
 * signature against the provider's published keys, issuer, audience, expiry, nonce; the state of
 * the answer; the code verifier at the token endpoint. This module adds the level of assurance
 * (acr) and takes the configured claim's value, which auth/external-identity.ts links to a user.
 */

/** What a sign-in under way must remember until the provider answers (data/oidc-logins.ts). */
export type OidcPending = { state: string; nonce: string; codeVerifier: string };

export type OidcAnswer =
  | { ok: true; identity: unknown }
  | { ok: false; code: SignInRefusalCode; reason: RefusalReason };

export class OidcUnavailable extends Error {
  constructor(cause: unknown) {
    super('The OpenID Connect provider could not be reached', { cause });
    this.name = 'OidcUnavailable';
  }
}

/** After a failed discovery, the next sign-in tries again (not every request of a burst). */
const RETRY_DISCOVERY_MS = 10_000;

export class OidcClient {
  readonly settings: OidcSettings;
  #configuration: Promise<client.Configuration> | null = null;
  #failedAt = 0;

  constructor(settings: OidcSettings) {
    this.settings = settings;
  }

  /**
   * The provider's configuration by discovery, read once and kept; a failure is logged (without
   * the secret) and tried again at the next sign-in. Throws OidcUnavailable.
   */
  async configuration(): Promise<client.Configuration> {
    if (!this.#configuration && Date.now() - this.#failedAt < RETRY_DISCOVERY_MS) {
      throw new OidcUnavailable(new Error('discovery failed moments ago'));
    }
    this.#configuration ??= this.#discover();
    try {
      return await this.#configuration;
    } catch (error) {
      this.#configuration = null;
      this.#failedAt = Date.now();
      throw new OidcUnavailable(error);
    }
  }

  async #discover(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret, fetch: ownFetch } = this.settings;
    const url = new URL(issuer);
    try {
      return await client.discovery(
        url,
        clientId,
        undefined,
        client.ClientSecretBasic(clientSecret),
        {
          timeout: 15,
          ...(ownFetch ? { [client.customFetch]: ownFetch } : {}),
          execute: [
            // The ID token's signature is checked against the provider's published keys even
            // though it comes straight from the token endpoint (the library would trust TLS alone).
            client.enableNonRepudiationChecks,
            // Plain http only for a provider on this machine (oidc-config.ts allows no other).
            ...(url.protocol === 'http:' ? [client.allowInsecureRequests] : []),
          ],
        },
      );
    } catch (error) {
      // The issuer is configuration, not personal data; the secret is not in the error.
      logError('OIDC discovery failed', error, { path: `${url.origin}${url.pathname}` });
      throw error;
    }
  }

  /** Starts a sign-in: the provider's authorization URL and what to remember until it answers. */
  async begin(): Promise<{ url: URL; pending: OidcPending }> {
    const configuration = await this.configuration();
    const pending: OidcPending = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
    };
    const parameters: Record<string, string> = {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes.join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    };
    if (this.settings.acrValues.length > 0) {
      parameters.acr_values = this.settings.acrValues.join(' ');
    }
    return { url: client.buildAuthorizationUrl(configuration, parameters), pending };
  }

  /**
   * Checks the provider's answer (`search` is the callback's query string) against the sign-in it
   * answers, exchanges the code, checks the ID token and its level of assurance, and returns the
   * configured claim's value (unchecked: the identity link decides).
   */
  async finish(search: string, pending: OidcPending): Promise<OidcAnswer> {
    const configuration = await this.configuration();
    // The redirect URI exactly as registered, whatever address the request reached us by.
    const callback = new URL(this.settings.redirectUri);
    callback.search = search;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(configuration, callback, {
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        pkceCodeVerifier: pending.codeVerifier,
        idTokenExpected: true,
      });
    } catch (error) {
      return refusalOf(error);
    }
    const claims = tokens.claims();
    if (!claims) return { ok: false, code: 'misslyckades', reason: 'ogiltig' };
    const { acrValues, userClaim } = this.settings;
    if (
      acrValues.length > 0 &&
      !(typeof claims.acr === 'string' && acrValues.includes(claims.acr))
    ) {
      return { ok: false, code: 'niva', reason: 'nivå' };
    }
    return { ok: true, identity: claims[userClaim] };
  }

  /**
   * Where to send the browser to end the provider's session too (RP-initiated logout), or null
   * when the provider has no end_session_endpoint or cannot be reached. evb keeps no ID token
   * (it holds personal data and would outlive its use), so the request names the client instead
   * of giving id_token_hint: the provider may then ask the user to confirm.
   */
  async endSessionUrl(): Promise<URL | null> {
    let configuration: client.Configuration;
    try {
      configuration = await this.configuration();
    } catch {
      return null;
    }
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(configuration, {
      client_id: this.settings.clientId,
      post_logout_redirect_uri: this.settings.postLogoutRedirectUri,
    });
  }
}

/** The refusal an error of the library stands for: a fixed reason, never the provider's text. */
function refusalOf(error: unknown): OidcAnswer {
  if (error instanceof client.AuthorizationResponseError) {
    // The provider's own answer: the user cancelled, or it refused for its reasons.
    return error.error === 'access_denied'
      ? { ok: false, code: 'avbruten', reason: 'avbruten' }
      : { ok: false, code: 'misslyckades', reason: 'ogiltig' };
  }
  // openid-client wraps what went wrong: its code says what kind, the cause's message which check.
  const cause = (error as { cause?: unknown })?.cause;
  if (error instanceof TypeError || cause instanceof TypeError) {
    // fetch failed: the token endpoint or the keys could not be reached.
    logWarning('OIDC provider unreachable after discovery', {});
    return { ok: false, code: 'otillganglig', reason: 'otillgänglig' };
  }
  const code = (error as { code?: unknown })?.code;
  const detail = cause instanceof Error ? cause.message : '';
  let reason: RefusalReason = 'ogiltig';
  if (code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') reason = 'tid';
  else if (code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED') reason = 'anspråk';
  else if (code === 'OAUTH_KEY_SELECTION_FAILED' || /signature/i.test(detail)) reason = 'signatur';
  else if (/"state"/.test(detail)) reason = 'tillstånd';
  return { ok: false, code: 'misslyckades', reason };
}
