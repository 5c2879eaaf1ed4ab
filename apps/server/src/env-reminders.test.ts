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

const ORIGIN = { PUBLIC_ORIGIN: 'https://evb.kommun.se' };

describe('the reminders’ environment variables', () => {
  it('sends no e-mail by default, from 07:00', () => {
    expect(parseEnv({}).reminders).toEqual({ smtp: null, hour: 7 });
    expect(parseEnv({ SMTP_URL: '', MAIL_FROM: '', REMINDER_HOUR: '' }).reminders).toEqual({
      smtp: null,
      hour: 7,
    });
  });

  it('reads SMTP_URL, MAIL_FROM and REMINDER_HOUR', () => {
    expect(
      parseEnv({
        ...ORIGIN,
        SMTP_URL: 'smtp://evb:hemligt@smtp.kommun.se:587',
        MAIL_FROM: 'evb <evb@kommun.se>',
        REMINDER_HOUR: '6',
      }).reminders,
    ).toEqual({
      smtp: { url: 'smtp://evb:hemligt@smtp.kommun.se:587', from: 'evb <evb@kommun.se>' },
      hour: 6,
    });
    expect(
      parseEnv({ ...ORIGIN, SMTP_URL: 'smtps://smtp.kommun.se', MAIL_FROM: 'evb@kommun.se' })
        .reminders.smtp,
    ).toEqual({ url: 'smtps://smtp.kommun.se', from: 'evb@kommun.se' });
  });

  it('names a wrong SMTP_URL without echoing it (it may hold a password)', () => {
    const problems = problemsOf({
      ...ORIGIN,
      SMTP_URL: 'http://user:hemligt@smtp.kommun.se',
      MAIL_FROM: 'evb@kommun.se',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.variable).toBe('SMTP_URL');
    expect(problems[0]!.problem).toMatch(/smtp:\/\//);
    expect(problems[0]!.problem).not.toContain('hemligt');
    expect(
      problemsOf({ SMTP_URL: 'smtp:', MAIL_FROM: 'evb@kommun.se', ...ORIGIN })[0]!.variable,
    ).toBe('SMTP_URL');
  });

  it.each(['evb', 'evb@', '<evb@kommun.se', 'a b@kommun.se', 'evb <evb@kommun.se>\r\nBcc: x@y.se'])(
    'names a wrong MAIL_FROM %j',
    (from) => {
      expect(problemsOf({ ...ORIGIN, SMTP_URL: 'smtp://smtp.kommun.se', MAIL_FROM: from })).toEqual(
        [{ variable: 'MAIL_FROM', problem: expect.stringMatching(/e-mail address/) }],
      );
    },
  );

  it('wants MAIL_FROM and PUBLIC_ORIGIN with SMTP_URL', () => {
    expect(problemsOf({ ...ORIGIN, SMTP_URL: 'smtp://smtp.kommun.se' })).toEqual([
      { variable: 'MAIL_FROM', problem: expect.stringMatching(/SMTP_URL/) },
    ]);
    expect(problemsOf({ SMTP_URL: 'smtp://smtp.kommun.se', MAIL_FROM: 'evb@kommun.se' })).toEqual([
      { variable: 'PUBLIC_ORIGIN', problem: expect.stringMatching(/SMTP_URL/) },
    ]);
  });

  it.each(['24', '-1', '7.5', 'sju'])('names a wrong REMINDER_HOUR %j', (hour) => {
    expect(problemsOf({ REMINDER_HOUR: hour })).toEqual([
      { variable: 'REMINDER_HOUR', problem: expect.stringMatching(/from 0 to 23/) },
    ]);
  });
});
