import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, EnvError, parseEnv } from './env';

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
    expect(parseEnv({ PORT: '', DATABASE_URL: '', DATA_DIR: '' })).toEqual(parseEnv({}));
  });

  it('reads PORT and an absolute or relative DATA_DIR', () => {
    expect(parseEnv({ PORT: '8080', DATA_DIR: '/srv/evb' })).toEqual({
      port: 8080,
      database: { kind: 'pglite', dataDir: '/srv/evb' },
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
});
