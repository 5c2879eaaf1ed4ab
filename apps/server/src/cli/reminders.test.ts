import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isWorkingDay, todayInStockholm } from '@evb/domain';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../db/database';
import { seedDemoIfEmpty } from '../seed/startup';
import { runScript } from '../testing/processes';

/*
 * `reminders --now` as a process, the way an operator runs it: on an embedded database with the
 * demo kommun where the handläggare chose the e-mail digest, it sends today's digest to a real SMTP
 * server on loopback once (a second run sends nothing), or on a day that is not a working day says
 * so and sends nothing. On PGlite only, like the other commands' tests.
 */

const SLOW = 180_000;
const ORIGIN = 'https://evb.exempelkommun.se';

let tmp: string;
let dataDir: string;
let smtp: SMTPServer;
let smtpUrl: string;
const received: ParsedMail[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'evb-reminders-test-'));
  dataDir = path.join(tmp, 'data');
  const database = await createDatabase({ kind: 'pglite', dataDir });
  try {
    await seedDemoIfEmpty(database.db, todayInStockholm());
    const user = await database.db
      .selectFrom('appUser')
      .select('id')
      .where('username', '=', 'handlaggare')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('reminderPreference')
      .values({ userId: user.id, emailDigest: true, horizonDays: 30 })
      .execute();
  } finally {
    await database.close();
  }
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
}, SLOW);

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await rm(tmp, { recursive: true, force: true });
});

async function reminders(args: string[], env: Record<string, string> = {}) {
  const run = runScript('src/cli/reminders.ts', args, {
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    SMTP_URL: smtpUrl,
    MAIL_FROM: 'evb@exempelkommun.se',
    PUBLIC_ORIGIN: ORIGIN,
    ...env,
  });
  return { code: await run.exit, output: run.output() };
}

describe('reminders --now', () => {
  it(
    'sends today’s digests once',
    async () => {
      const first = await reminders(['--now']);
      expect(first.code, first.output).toBe(0);
      const today = todayInStockholm();
      if (!isWorkingDay(today)) {
        expect(first.output).toContain(`${today} är ingen arbetsdag`);
        expect(received).toEqual([]);
        return;
      }
      expect(first.output).toMatch(
        /1 har valt påminnelser med e-post\. Skickade: [01], inget att påminna om: [01],/,
      );
      const sent = received.length;
      expect(sent).toBeLessThanOrEqual(1);
      for (const mail of received) {
        expect(mail.subject).toMatch(/^evb: \d+ uppgift/);
        expect(mail.text).toContain(`${ORIGIN}/konto`);
      }
      const second = await reminders(['--now']);
      expect(second.code, second.output).toBe(0);
      expect(second.output).toContain(
        'Skickade: 0, inget att påminna om: 0, redan skickade i dag: 1,',
      );
      expect(received).toHaveLength(sent);
    },
    SLOW,
  );

  it(
    'refuses to run without --now, or without SMTP_URL, saying why',
    async () => {
      const bare = await reminders([]);
      expect(bare.code).toBe(2);
      expect(bare.output).toContain('Ange --now.');
      const noSmtp = await reminders(['--now'], { SMTP_URL: '' });
      expect(noSmtp.code).toBe(1);
      expect(noSmtp.output).toContain('SMTP_URL');
      const wrong = await reminders(['--now'], { SMTP_URL: 'http://x:hemligt@host' });
      expect(wrong.code).toBe(1);
      expect(wrong.output).toContain('SMTP_URL: must be the URL of an SMTP server');
      expect(wrong.output).not.toContain('hemligt');
    },
    SLOW,
  );
});
