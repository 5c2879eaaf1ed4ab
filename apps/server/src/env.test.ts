import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTH_CONFIG } from './auth/config';
import {
  DEFAULT_AUDIT_CONFIG,
  DEFAULT_LOG_REVIEW_CONFIG,
  DEFAULT_REMINDER_CONFIG,
  defaultDataDir,
  EnvError,
  parseEnv,
} from './env';
import { DEFAULT_RENDER_SETTINGS } from './render/pool';
import { DEFAULT_SYNC_CONFIG } from './sync/config';

function problemsOf(env: Record<string, string | undefined>) {
  try {
    parseEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).problems;
  }
  throw new Error('expected parseEnv to throw');
}

describe('parseEnv', () => {
  it('defaults to port 3000 and the embedded database in the user data directory', () => {
    const config = parseEnv({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: defaultDataDir() });
    expect(path.isAbsolute(defaultDataDir())).toBe(true);
    expect(defaultDataDir()).not.toContain(path.resolve(import.meta.dirname, '../../..'));
  });

  it('treats empty variables as unset', () => {
    expect(
      parseEnv({
        PORT: '',
        DATABASE_URL: '',
        DATA_DIR: '',
        SESSION_IDLE_MINUTES: '',
        SESSION_MAX_HOURS: '',
        TRUSTED_PROXIES: '',
        PUBLIC_ORIGIN: '',
      }),
    ).toEqual(parseEnv({}));
  });

  it('reads PORT and an absolute or relative DATA_DIR', () => {
    expect(parseEnv({ PORT: '8080', DATA_DIR: '/srv/evb' })).toEqual({
      port: 8080,
      database: { kind: 'pglite', dataDir: '/srv/evb' },
      auth: DEFAULT_AUTH_CONFIG,
      render: DEFAULT_RENDER_SETTINGS,
      reminders: DEFAULT_REMINDER_CONFIG,
      sync: DEFAULT_SYNC_CONFIG,
      audit: DEFAULT_AUDIT_CONFIG,
      logReview: DEFAULT_LOG_REVIEW_CONFIG,
    });
    expect(parseEnv({ DATA_DIR: 'data' }).database).toEqual({
      kind: 'pglite',
      dataDir: path.resolve('data'),
    });
  });

  it.each([
    'postgres://evb:secret@db.example:5432/evb',
    'postgresql://localhost/evb',
    'postgresql:///evb?host=/run/postgresql',
  ])('uses PostgreSQL for DATABASE_URL=%s', (url) => {
    expect(parseEnv({ DATABASE_URL: url }).database).toEqual({ kind: 'postgresql', url });
  });

  it.each(['abc', '0', '65536', '80.5', '-1', ' 3000'])('rejects PORT=%j', (port) => {
    const problems = problemsOf({ PORT: port });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.variable).toBe('PORT');
    expect(problems[0]?.problem).toContain('whole number from 1 to 65535');
    expect(problems[0]?.problem).toContain(JSON.stringify(port));
  });

  it.each(['mysql://evb:secret@localhost/evb', 'not a url', 'localhost:5432', 'postgresql://'])(
    'rejects DATABASE_URL=%j without echoing it',
    (url) => {
      const problems = problemsOf({ DATABASE_URL: url });
      expect(problems).toEqual([{ variable: 'DATABASE_URL', problem: expect.any(String) }]);
      expect(problems[0]?.problem).toContain('postgresql://');
      expect(problems[0]?.problem).not.toContain('secret');
    },
  );

  it('names every wrong variable in one message', () => {
    expect(() => parseEnv({ PORT: 'x', DATABASE_URL: 'mysql://h/db' })).toThrowError(
      /^Invalid environment configuration:\n {2}PORT: .*\n {2}DATABASE_URL: /,
    );
  });

  it('defaults to sessions of 30 idle minutes and 12 hours in all, no trusted proxy, no public origin', () => {
    expect(parseEnv({}).auth).toEqual({
      sessionIdleMinutes: 30,
      sessionMaxHours: 12,
      trustedProxies: [],
      publicOrigin: null,
      localPasswords: true,
      oidc: null,
      saml: null,
    });
  });

  it('reads the session times, trusted proxies and the public origin', () => {
    expect(
      parseEnv({
        SESSION_IDLE_MINUTES: '15',
        SESSION_MAX_HOURS: '8',
        TRUSTED_PROXIES: ' 10.0.0.5, 10.1.0.0/16,::1 ,loopback',
        PUBLIC_ORIGIN: 'https://EVB.kommun.se/',
      }).auth,
    ).toEqual({
      sessionIdleMinutes: 15,
      sessionMaxHours: 8,
      trustedProxies: ['10.0.0.5', '10.1.0.0/16', '::1', 'loopback'],
      publicOrigin: 'https://evb.kommun.se',
      localPasswords: true,
      oidc: null,
      saml: null,
    });
    expect(parseEnv({ PUBLIC_ORIGIN: 'http://evb.kommun.se:8443' }).auth.publicOrigin).toBe(
      'http://evb.kommun.se:8443',
    );
  });

  it.each([
    ['SESSION_IDLE_MINUTES', '0', 'from 1 to 1440'],
    ['SESSION_IDLE_MINUTES', '1441', 'from 1 to 1440'],
    ['SESSION_IDLE_MINUTES', '30m', 'from 1 to 1440'],
    ['SESSION_IDLE_MINUTES', '2.5', 'from 1 to 1440'],
    ['SESSION_MAX_HOURS', '0', 'from 1 to 168'],
    ['SESSION_MAX_HOURS', '169', 'from 1 to 168'],
    ['SESSION_MAX_HOURS', '-1', 'from 1 to 168'],
    ['TRUSTED_PROXIES', '10.0.0.300', 'IP addresses or CIDR ranges'],
    ['TRUSTED_PROXIES', '10.0.0.1, proxy.kommun.se', 'IP addresses or CIDR ranges'],
    ['TRUSTED_PROXIES', '10.0.0.0/33', 'IP addresses or CIDR ranges'],
    ['TRUSTED_PROXIES', '*', 'IP addresses or CIDR ranges'],
    ['PUBLIC_ORIGIN', 'evb.kommun.se', 'scheme, host and port only'],
    ['PUBLIC_ORIGIN', 'https://evb.kommun.se/evb', 'scheme, host and port only'],
    ['PUBLIC_ORIGIN', 'https://evb.kommun.se?x=1', 'scheme, host and port only'],
    ['PUBLIC_ORIGIN', 'https://user:pw@evb.kommun.se', 'scheme, host and port only'],
    ['PUBLIC_ORIGIN', 'ftp://evb.kommun.se', 'scheme, host and port only'],
  ])('rejects %s=%j', (variable, value, problem) => {
    const problems = problemsOf({ [variable]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.variable).toBe(variable);
    expect(problems[0]?.problem).toContain(problem);
    expect(problems[0]?.problem).toContain(JSON.stringify(value.split(', ').at(-1)));
  });

  it('rejects an idle time longer than the whole session', () => {
    const problems = problemsOf({ SESSION_IDLE_MINUTES: '121', SESSION_MAX_HOURS: '2' });
    expect(problems).toEqual([
      { variable: 'SESSION_IDLE_MINUTES', problem: expect.stringContaining('SESSION_MAX_HOURS') },
    ]);
    expect(parseEnv({ SESSION_IDLE_MINUTES: '120', SESSION_MAX_HOURS: '2' }).auth).toMatchObject({
      sessionIdleMinutes: 120,
      sessionMaxHours: 2,
    });
  });

  it('keeps settled decisions on devices for 13 months unless SYNC_WINDOW_MONTHS says otherwise', () => {
    expect(parseEnv({}).sync).toEqual({ windowMonths: 13 });
    expect(parseEnv({ SYNC_WINDOW_MONTHS: '24' }).sync).toEqual({ windowMonths: 24 });
    for (const value of ['0', '121', '12.5', 'ett år']) {
      expect(problemsOf({ SYNC_WINDOW_MONTHS: value })).toEqual([
        { variable: 'SYNC_WINDOW_MONTHS', problem: expect.stringContaining('from 1 to 120') },
      ]);
    }
  });

  it('samples 50 accesses for a month’s log review unless LOG_REVIEW_SAMPLE_SIZE says 1–1000', () => {
    expect(parseEnv({}).logReview).toEqual({ sampleSize: 50 });
    expect(parseEnv({ LOG_REVIEW_SAMPLE_SIZE: '200' }).logReview).toEqual({ sampleSize: 200 });
    expect(parseEnv({ LOG_REVIEW_SAMPLE_SIZE: '1000' }).logReview).toEqual({ sampleSize: 1000 });
    for (const value of ['0', '1001', '12.5', 'femtio', '-5']) {
      expect(problemsOf({ LOG_REVIEW_SAMPLE_SIZE: value })).toEqual([
        {
          variable: 'LOG_REVIEW_SAMPLE_SIZE',
          problem: `must be a whole number from 1 to 1000, got ${JSON.stringify(value)}`,
        },
      ]);
    }
  });
});
