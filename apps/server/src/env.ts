import path from 'node:path';
import { LOG_REVIEW_SAMPLE_SIZE } from '@evb/domain';
import envPaths from 'env-paths';
import { z } from 'zod';
import { parseTrustedProxies } from './auth/client-limit';
import type { AuthConfig } from './auth/config';
import { parseOidcEnv } from './auth/oidc-config';
import { parseSamlEnv } from './auth/saml/config';
import { DEFAULT_SESSION_IDLE_MINUTES, DEFAULT_SESSION_MAX_HOURS } from './auth/sessions';
import { DEFAULT_RENDER_SETTINGS, type RenderSettings } from './render/pool';
import { DEFAULT_SYNC_CONFIG, type SyncConfig } from './sync/config';

/** Which database the server talks to, decided by `DATABASE_URL`. */
export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'postgresql'; url: string };

export type Config = {
  port: number;
  database: DatabaseConfig;
  /** Sessions, the trusted proxy and the public origin. */
  auth: AuthConfig;
  /** The exports' render workers: time limit and how many (render/pool.ts). */
  render: RenderSettings;
  /** The e-mail reminders: the SMTP server and sender (null: no e-mail), and the hour they go. */
  reminders: ReminderConfig;
  /** How long a device keeps settled decisions. */
  sync: SyncConfig;
  /** How long the audit log is kept (the `audit-prune` command). */
  audit: AuditConfig;
  /** Loggkontroll's monthly review. */
  logReview: LogReviewConfig;
};

export type LogReviewConfig = {
  /** How many accesses a month's review samples (LOG_REVIEW_SAMPLE_SIZE). */
  sampleSize: number;
};

export const DEFAULT_LOG_REVIEW_CONFIG: LogReviewConfig = {
  sampleSize: LOG_REVIEW_SAMPLE_SIZE.default,
};

export type AuditConfig = {
  /** Audit rows older than this many years are pruned by `audit-prune`. */
  retentionYears: number;
};

/** Five years: the audit log's default retention (issue 14). */
export const DEFAULT_AUDIT_CONFIG: AuditConfig = { retentionYears: 5 };

export type ReminderConfig = {
  smtp: { url: string; from: string } | null;
  /** The hour (Europe/Stockholm, 0–23) from which each working morning's digests go. */
  hour: number;
  /** Web Push's VAPID keys and subject (unset: no push). */
  push?: VapidConfig;
};

export type VapidConfig = { publicKey: string; privateKey: string; subject: string };

/** No e-mail, no push (`push` unset); the digests would go from 07:00. */
export const DEFAULT_REMINDER_CONFIG: ReminderConfig = { smtp: null, hour: 7 };

/** One wrong environment variable and what is wrong with it. */
export type EnvProblem = { variable: string; problem: string };

export class EnvError extends Error {
  readonly problems: readonly EnvProblem[];

  constructor(problems: readonly EnvProblem[]) {
    super(
      [
        'Invalid environment configuration:',
        ...problems.map(({ variable, problem }) => `  ${variable}: ${problem}`),
      ].join('\n'),
    );
    this.name = 'EnvError';
    this.problems = problems;
  }
}

/** Where the embedded database lives when `DATA_DIR` is not set: outside the repo, per user. */
export function defaultDataDir(): string {
  return envPaths('evb', { suffix: '' }).data;
}

// An empty variable (`PORT=`) counts as unset, as it does in most deployment tools.
const optional = (value: string | undefined) => (value === '' ? undefined : value);

const portSchema = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return 3000;
    const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a whole number from 1 to 65535, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return port;
  });

// The value is never echoed: it may hold a password.
const databaseUrlSchema = z
  .string()
  .optional()
  .refine((value) => value === undefined || isPostgresUrl(value), {
    message:
      'must be a PostgreSQL connection URL such as postgresql://user:password@localhost:5432/evb ' +
      '(scheme postgres:// or postgresql://); leave it unset to use the embedded database',
  });

/** A whole number in [min, max]; `fallback` when unset. */
function wholeNumber(min: number, max: number, fallback: number) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return fallback;
      const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
        });
        return z.NEVER;
      }
      return n;
    });
}

const trustedProxiesSchema = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return [];
    const parsed = parseTrustedProxies(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed.entries;
  });

// Only scheme, host and port: it is compared with the browser's Origin header.
const publicOriginSchema = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return null;
    const url = URL.canParse(value) ? new URL(value) : null;
    if (
      !url ||
      (url.protocol !== 'https:' && url.protocol !== 'http:') ||
      url.username !== '' ||
      url.password !== '' ||
      url.pathname !== '/' ||
      url.search !== '' ||
      url.hash !== '' ||
      !/^https?:\/\/[^/?#]+\/?$/i.test(value)
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `must be the address users open, scheme, host and port only, such as https://evb.kommun.se; got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return url.origin;
  });

// The value is never echoed: it may hold a password.
const smtpUrlSchema = z
  .string()
  .optional()
  .refine(
    (value) => {
      if (value === undefined) return true;
      if (!URL.canParse(value)) return false;
      const url = new URL(value);
      return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
    },
    {
      message:
        'must be the URL of an SMTP server such as smtp://user:password@smtp.kommun.se:587 ' +
        '(scheme smtp:// or smtps://); leave it unset to send no e-mail',
    },
  );

// An address, or a name and an address: "evb <evb@kommun.se>".
const mailFromSchema = z
  .string()
  .optional()
  .refine(
    (value) =>
      value === undefined ||
      (value.length <= 320 &&
        /^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/.test(
          value,
        )),
    {
      message:
        'must be the sender of the reminders, an e-mail address such as evb@kommun.se or ' +
        '"evb <evb@kommun.se>"',
    },
  );

// VAPID keys as web-push makes them: the public key an uncompressed P-256 point (65 bytes), the
// private key 32 bytes, both base64url without padding. The private key is never echoed.
const vapidPublicKeySchema = z
  .string()
  .optional()
  .refine((value) => value === undefined || base64urlBytes(value) === 65, {
    message:
      'must be the VAPID public key, 65 bytes in base64url (87 characters), as ' +
      '`npx web-push generate-vapid-keys` prints it',
  });
const vapidPrivateKeySchema = z
  .string()
  .optional()
  .refine((value) => value === undefined || base64urlBytes(value) === 32, {
    message:
      'must be the VAPID private key, 32 bytes in base64url (43 characters), as ' +
      '`npx web-push generate-vapid-keys` prints it',
  });
const vapidSubjectSchema = z
  .string()
  .optional()
  .refine(
    (value) => {
      if (value === undefined) return true;
      if (value.length > 320 || !URL.canParse(value)) return false;
      const url = new URL(value);
      if (url.protocol === 'mailto:') return /^[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+$/.test(url.pathname);
      return url.protocol === 'https:' && url.hostname !== '';
    },
    {
      message: 'must be a contact for the push services, mailto:evb@kommun.se or an https:// URL',
    },
  );

/** How many bytes a base64url value (no padding) holds; -1 when it is not base64url. */
function base64urlBytes(value: string): number {
  if (!/^[A-Za-z0-9_-]+$/.test(value) || value.length % 4 === 1) return -1;
  return Buffer.from(value, 'base64url').length;
}

const dataDirSchema = z
  .string()
  .optional()
  .transform((value) => path.resolve(value ?? defaultDataDir()));

const envSchema = z.object({
  PORT: portSchema,
  DATABASE_URL: databaseUrlSchema,
  DATA_DIR: dataDirSchema,
  // From a minute to a working day; at most a week in all.
  SESSION_IDLE_MINUTES: wholeNumber(1, 24 * 60, DEFAULT_SESSION_IDLE_MINUTES),
  SESSION_MAX_HOURS: wholeNumber(1, 7 * 24, DEFAULT_SESSION_MAX_HOURS),
  TRUSTED_PROXIES: trustedProxiesSchema,
  PUBLIC_ORIGIN: publicOriginSchema,
  // A render past an hour is no export; one core's worth of workers per core is plenty.
  EXPORT_TIME_LIMIT_SECONDS: wholeNumber(1, 3600, DEFAULT_RENDER_SETTINGS.timeLimitMs / 1000),
  EXPORT_WORKERS: wholeNumber(1, 64, DEFAULT_RENDER_SETTINGS.workers),
  SMTP_URL: smtpUrlSchema,
  MAIL_FROM: mailFromSchema,
  REMINDER_HOUR: wholeNumber(0, 23, DEFAULT_REMINDER_CONFIG.hour),
  VAPID_PUBLIC_KEY: vapidPublicKeySchema,
  VAPID_PRIVATE_KEY: vapidPrivateKeySchema,
  VAPID_SUBJECT: vapidSubjectSchema,
  // A month to ten years: IVO's reporting reaches back a year and a quarter.
  SYNC_WINDOW_MONTHS: wholeNumber(1, 120, DEFAULT_SYNC_CONFIG.windowMonths),
  LOCAL_PASSWORDS: z
    .enum(['on', 'off'], {
      error: (issue) =>
        `must be on (everyone may sign in with a password) or off (only break-glass users may), got ${JSON.stringify(issue.input)}`,
    })
    .default('on'),
  // At least a year (the database refuses to prune younger rows), at most a century.
  AUDIT_RETENTION_YEARS: wholeNumber(1, 100, DEFAULT_AUDIT_CONFIG.retentionYears),
  // Enough to judge, few enough to review by hand in a day.
  LOG_REVIEW_SAMPLE_SIZE: wholeNumber(
    LOG_REVIEW_SAMPLE_SIZE.min,
    LOG_REVIEW_SAMPLE_SIZE.max,
    LOG_REVIEW_SAMPLE_SIZE.default,
  ),
});

const VAPID_VARIABLES = ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT'] as const;

function isPostgresUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  const hasHost = url.host !== '' || url.searchParams.has('host');
  return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && hasHost;
}

/**
 * Reads the server's configuration from environment variables. Throws an {@link EnvError}
 * naming every wrong variable.
 */
export function parseEnv(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse({
    PORT: optional(env.PORT),
    DATABASE_URL: optional(env.DATABASE_URL),
    DATA_DIR: optional(env.DATA_DIR),
    SESSION_IDLE_MINUTES: optional(env.SESSION_IDLE_MINUTES),
    SESSION_MAX_HOURS: optional(env.SESSION_MAX_HOURS),
    TRUSTED_PROXIES: optional(env.TRUSTED_PROXIES),
    PUBLIC_ORIGIN: optional(env.PUBLIC_ORIGIN),
    EXPORT_TIME_LIMIT_SECONDS: optional(env.EXPORT_TIME_LIMIT_SECONDS),
    EXPORT_WORKERS: optional(env.EXPORT_WORKERS),
    SMTP_URL: optional(env.SMTP_URL),
    MAIL_FROM: optional(env.MAIL_FROM),
    REMINDER_HOUR: optional(env.REMINDER_HOUR),
    VAPID_PUBLIC_KEY: optional(env.VAPID_PUBLIC_KEY),
    VAPID_PRIVATE_KEY: optional(env.VAPID_PRIVATE_KEY),
    VAPID_SUBJECT: optional(env.VAPID_SUBJECT),
    SYNC_WINDOW_MONTHS: optional(env.SYNC_WINDOW_MONTHS),
    LOCAL_PASSWORDS: optional(env.LOCAL_PASSWORDS),
    AUDIT_RETENTION_YEARS: optional(env.AUDIT_RETENTION_YEARS),
    LOG_REVIEW_SAMPLE_SIZE: optional(env.LOG_REVIEW_SAMPLE_SIZE),
  });
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0]),
        problem: issue.message,
      })),
    );
  }
  const { PORT, DATABASE_URL, DATA_DIR } = result.data;
  const { SESSION_IDLE_MINUTES, SESSION_MAX_HOURS, TRUSTED_PROXIES, PUBLIC_ORIGIN } = result.data;
  if (SESSION_IDLE_MINUTES > SESSION_MAX_HOURS * 60) {
    throw new EnvError([
      {
        variable: 'SESSION_IDLE_MINUTES',
        problem: `must not be longer than SESSION_MAX_HOURS (${SESSION_MAX_HOURS} h = ${SESSION_MAX_HOURS * 60} minutes), got ${SESSION_IDLE_MINUTES}`,
      },
    ]);
  }
  const { SMTP_URL, MAIL_FROM } = result.data;
  if (SMTP_URL && !MAIL_FROM) {
    throw new EnvError([
      { variable: 'MAIL_FROM', problem: 'must be set when SMTP_URL is: the reminders’ sender' },
    ]);
  }
  if (SMTP_URL && !PUBLIC_ORIGIN) {
    throw new EnvError([
      {
        variable: 'PUBLIC_ORIGIN',
        problem: 'must be set when SMTP_URL is: the reminders link to evb at that address',
      },
    ]);
  }
  // Web Push: all three or none.
  const vapidSet = VAPID_VARIABLES.filter((name) => result.data[name] !== undefined);
  if (vapidSet.length > 0 && vapidSet.length < VAPID_VARIABLES.length) {
    throw new EnvError(
      VAPID_VARIABLES.filter((name) => result.data[name] === undefined).map((variable) => ({
        variable,
        problem: `must be set when ${vapidSet.join(' and ')} ${vapidSet.length === 1 ? 'is' : 'are'}: Web Push needs all three VAPID variables (or none)`,
      })),
    );
  }
  const { VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT } = result.data;
  const oidc = parseOidcEnv(env, PUBLIC_ORIGIN);
  const saml = parseSamlEnv(env, PUBLIC_ORIGIN);
  const localPasswords = result.data.LOCAL_PASSWORDS === 'on';
  if (!localPasswords && !oidc && !saml) {
    throw new EnvError([
      {
        variable: 'LOCAL_PASSWORDS',
        problem:
          'may be off only when sign-in through the identity provider is on (OIDC_ISSUER or SAML_IDP_METADATA): otherwise only break-glass users could sign in',
      },
    ]);
  }
  return {
    port: PORT,
    database: DATABASE_URL
      ? { kind: 'postgresql', url: DATABASE_URL }
      : { kind: 'pglite', dataDir: DATA_DIR },
    auth: {
      sessionIdleMinutes: SESSION_IDLE_MINUTES,
      sessionMaxHours: SESSION_MAX_HOURS,
      trustedProxies: TRUSTED_PROXIES,
      publicOrigin: PUBLIC_ORIGIN,
      localPasswords,
      oidc,
      saml,
    },
    render: {
      timeLimitMs: result.data.EXPORT_TIME_LIMIT_SECONDS * 1000,
      workers: result.data.EXPORT_WORKERS,
    },
    reminders: {
      smtp: SMTP_URL && MAIL_FROM ? { url: SMTP_URL, from: MAIL_FROM } : null,
      hour: result.data.REMINDER_HOUR,
      push:
        VAPID_PUBLIC_KEY && VAPID_PRIVATE_KEY && VAPID_SUBJECT
          ? { publicKey: VAPID_PUBLIC_KEY, privateKey: VAPID_PRIVATE_KEY, subject: VAPID_SUBJECT }
          : undefined,
    },
    sync: { windowMonths: result.data.SYNC_WINDOW_MONTHS },
    audit: { retentionYears: result.data.AUDIT_RETENTION_YEARS },
    logReview: { sampleSize: result.data.LOG_REVIEW_SAMPLE_SIZE },
  };
}
