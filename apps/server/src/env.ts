import path from 'node:path';
import envPaths from 'env-paths';
import { z } from 'zod';

/** Which database the server talks to, decided by `DATABASE_URL`. */
export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'postgresql'; url: string };

export type Config = {
  port: number;
  database: DatabaseConfig;
};

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

const dataDirSchema = z
  .string()
  .optional()
  .transform((value) => path.resolve(value ?? defaultDataDir()));

const envSchema = z.object({
  PORT: portSchema,
  DATABASE_URL: databaseUrlSchema,
  DATA_DIR: dataDirSchema,
});

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
  return {
    port: PORT,
    database: DATABASE_URL
      ? { kind: 'postgresql', url: DATABASE_URL }
      : { kind: 'pglite', dataDir: DATA_DIR },
  };
}
