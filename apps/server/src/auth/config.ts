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
};

export const DEFAULT_AUTH_CONFIG: AuthConfig = {
  sessionIdleMinutes: DEFAULT_SESSION_IDLE_MINUTES,
  sessionMaxHours: DEFAULT_SESSION_MAX_HOURS,
  trustedProxies: [],
  publicOrigin: null,
};

export function sessionPolicyOf(config: AuthConfig): SessionPolicy {
  return sessionPolicy(config.sessionIdleMinutes, config.sessionMaxHours);
}
