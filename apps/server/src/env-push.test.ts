import { describe, expect, it } from 'vitest';
import { generateVAPIDKeys } from 'web-push';
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

const keys = generateVAPIDKeys();
const VAPID = {
  VAPID_PUBLIC_KEY: keys.publicKey,
  VAPID_PRIVATE_KEY: keys.privateKey,
  VAPID_SUBJECT: 'mailto:evb@kommun.se',
};

describe('the Web Push environment variables', () => {
  it('sends no push by default', () => {
    expect(parseEnv({}).reminders.push).toBeUndefined();
    expect(
      parseEnv({ VAPID_PUBLIC_KEY: '', VAPID_PRIVATE_KEY: '', VAPID_SUBJECT: '' }).reminders.push,
    ).toBeUndefined();
  });

  it('reads the three VAPID variables', () => {
    expect(parseEnv(VAPID).reminders.push).toEqual({
      publicKey: keys.publicKey,
      privateKey: keys.privateKey,
      subject: 'mailto:evb@kommun.se',
    });
    expect(
      parseEnv({ ...VAPID, VAPID_SUBJECT: 'https://evb.kommun.se/kontakt' }).reminders.push
        ?.subject,
    ).toBe('https://evb.kommun.se/kontakt');
  });

  it('wants all three or none, naming the missing ones', () => {
    expect(problemsOf({ VAPID_PUBLIC_KEY: keys.publicKey })).toEqual([
      { variable: 'VAPID_PRIVATE_KEY', problem: expect.stringContaining('VAPID_PUBLIC_KEY') },
      { variable: 'VAPID_SUBJECT', problem: expect.stringContaining('all three') },
    ]);
    expect(problemsOf({ ...VAPID, VAPID_SUBJECT: undefined }).map((p) => p.variable)).toEqual([
      'VAPID_SUBJECT',
    ]);
  });

  it('names the wrong one, never echoing the private key', () => {
    expect(problemsOf({ ...VAPID, VAPID_PUBLIC_KEY: 'abc' }).map((p) => p.variable)).toEqual([
      'VAPID_PUBLIC_KEY',
    ]);
    const secret = `${keys.privateKey}x`;
    const problems = problemsOf({ ...VAPID, VAPID_PRIVATE_KEY: secret });
    expect(problems.map((p) => p.variable)).toEqual(['VAPID_PRIVATE_KEY']);
    expect(JSON.stringify(problems)).not.toContain(secret);
    expect(
      problemsOf({ ...VAPID, VAPID_PRIVATE_KEY: keys.publicKey }).map((p) => p.variable),
    ).toEqual(['VAPID_PRIVATE_KEY']);
    for (const subject of ['evb@kommun.se', 'http://evb.kommun.se', 'mailto:nobody']) {
      expect(problemsOf({ ...VAPID, VAPID_SUBJECT: subject }).map((p) => p.variable)).toEqual([
        'VAPID_SUBJECT',
      ]);
    }
  });
});
