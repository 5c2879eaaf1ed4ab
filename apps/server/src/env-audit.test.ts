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

describe('AUDIT_RETENTION_YEARS', () => {
  it('keeps the audit log five years unless told otherwise', () => {
    expect(parseEnv({}).audit).toEqual({ retentionYears: 5 });
    expect(parseEnv({ AUDIT_RETENTION_YEARS: '' }).audit).toEqual({ retentionYears: 5 });
    expect(parseEnv({ AUDIT_RETENTION_YEARS: '10' }).audit).toEqual({ retentionYears: 10 });
    expect(parseEnv({ AUDIT_RETENTION_YEARS: '1' }).audit).toEqual({ retentionYears: 1 });
  });

  it.each(['0', '101', '2.5', '-5', 'fem', ' 5'])(
    'refuses AUDIT_RETENTION_YEARS=%j, naming the value',
    (value) => {
      expect(problemsOf({ AUDIT_RETENTION_YEARS: value })).toEqual([
        {
          variable: 'AUDIT_RETENTION_YEARS',
          problem: expect.stringContaining(`from 1 to 100, got ${JSON.stringify(value)}`),
        },
      ]);
    },
  );
});
