import type { OidcSettings } from './oidc-config';
import type { SamlSettings } from './saml/config';
import {
  DEFAULT_SESSION_IDLE_MINUTES,
  DEFAULT_SESSION_MAX_HOURS,
  type SessionPolicy,
  sessionPolicy,
} from './sessions';

/** What the environment decides about sign-in and sessions (env.ts reads it). */
export type AuthConfig = {
  /** SESSION_IDLE_MINUTES: a session unused this long ends. */
  sessionIdleMinutes: number;
  /** SESSION_MAX_HOURS: a session ends this long after sign-in, however it is used. */
  sessionMaxHours: number;
  /** TRUSTED_PROXIES: whose X-Forwarded-For names the client (see client-limit.ts). */
  trustedProxies: readonly string[];
  /** PUBLIC_ORIGIN: when set, the only Origin a mutation may come from (`https://evb.kommun.se`). */
  publicOrigin: string | null;
  /**
   * LOCAL_PASSWORDS: whether password sign-in is open to everyone (true, the default) or only to
   * break-glass users (false: the others sign in through the kommun's identity provider).
   */
  localPasswords?: boolean;
  /** OIDC_*: sign-in through an OpenID Connect provider; null or unset when off. */
  oidc?: OidcSettings | null;
  /** SAML_*: sign-in through a SAML 2.0 IdP (its metadata is read at start-up); null when off. */
  saml?: SamlSettings | null;
};

export const DEFAULT_AUTH_CONFIG: AuthConfig = {
  sessionIdleMinutes: DEFAULT_SESSION_IDLE_MINUTES,
  sessionMaxHours: DEFAULT_SESSION_MAX_HOURS,
  trustedProxies: [],
  publicOrigin: null,
  localPasswords: true,
  oidc: null,
  saml: null,
};

/** Which ways of signing in are open, as auth.status tells the PWA. */
export type SignInMethods = {
  /** Sign-in through the OpenID Connect provider (GET /api/auth/oidc/login). */
  oidc: boolean;
  /** Sign-in through the SAML IdP. */
  saml: boolean;
  /** Password sign-in for everyone (false: only break-glass users; the form stays reachable). */
  localPasswords: boolean;
};

export function signInMethodsOf(config: AuthConfig): SignInMethods {
  return {
    oidc: Boolean(config.oidc),
    saml: Boolean(config.saml),
    localPasswords: config.localPasswords ?? true,
  };
}

export function sessionPolicyOf(config: AuthConfig): SessionPolicy {
  return sessionPolicy(config.sessionIdleMinutes, config.sessionMaxHours);
}
