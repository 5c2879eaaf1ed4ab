import type { AddressInfo } from 'node:net';
import { addDays, nextWorkingDay, todayInStockholm } from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../testing/harness';
import {
  REMINDER_DAY as day,
  laterMorning,
  leaks,
  MORNING as morning,
  personalData,
  useReminderDemo,
} from '../testing/reminder-demo';
import { type Mailer, sendDigests, smtpMailer } from './reminder-digests';
import { startReminderScheduler } from './reminder-scheduler';
import { configureReminders } from './reminder-settings';
import { digestOfUser } from './reminders';

/*
 * The e-mail digest against a real SMTP server on loopback (smtp-server), for the demo kommun:
 * nobody gets mail until they choose it, each chosen digest arrives once a day with the counts of
 * the user's tasks and links to evb, and none holds a name or personnummer of the seeded people.
 */

const ORIGIN = 'https://evb.exempelkommun.se';
const { database, userId, caller } = useReminderDemo(fixedClock(morning));

type Received = { envelopeTo: string[]; raw: string; mail: ParsedMail };
let received: Received[] = [];
let smtp: SMTPServer;
let smtpUrl: string;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (mail) => {
            received.push({
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              raw,
              mail,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  configureReminders({ emailAvailable: true, publicOrigin: ORIGIN });
});

afterAll(async () => {
  configureReminders({ emailAvailable: false, publicOrigin: null });
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

beforeEach(() => {
  received = [];
});

function mailer(): Mailer {
  return smtpMailer({ url: smtpUrl, from: 'evb <evb@exempelkommun.se>' });
}

async function run(now = morning, send: Mailer = mailer()) {
  try {
    return await sendDigests({ db: database.db, mailer: send, origin: ORIGIN, now });
  } finally {
    send.close();
  }
}

describe('the e-mail digest', () => {
  it('sends nothing while nobody has chosen it', async () => {
    const result = await run();
    expect(result).toMatchObject({ day, workingDay: true, recipients: 0, sent: 0 });
    expect(received).toEqual([]);
    const handlaggare = await (await caller('handlaggare')).reminders.get();
    expect(handlaggare).toMatchObject({
      emailDigest: false,
      horizonDays: 7,
      hasEmail: true,
      emailAvailable: true,
      calendarCreatedAt: null,
    });
  });

  it('sends each user who chose it one digest of counts and links, with no personal data', async () => {
    // The handläggare looks at today only: the calls due now are the follow-up list's.
    await (await caller('handlaggare')).reminders.set({ emailDigest: true, horizonDays: 0 });
    for (const username of ['utforare', 'matchare', 'rapportor', 'huvudrapportor']) {
      await (await caller(username)).reminders.set({ emailDigest: true, horizonDays: 60 });
    }
    // A rapportör unused for 100 days, for the huvudrapportör to review.
    const stale = new Date(morning.getTime() - 100 * 24 * 3600 * 1000);
    await database.db
      .updateTable('appUser')
      .set({ createdAt: stale })
      .where('id', '=', userId('rapportor'))
      .execute();

    const result = await run();
    expect(result).toMatchObject({ recipients: 5, failed: 0, alreadyClaimed: 0 });
    expect(result.sent + result.nothingDue).toBe(5);
    expect(received).toHaveLength(result.sent);

    const secrets = await personalData(database.db);
    for (const { raw, mail } of received) {
      expect(leaks(`${mail.subject}\n${mail.text}`, secrets)).toEqual([]);
      expect(leaks(raw.replace(/^(To|From):.*$/gm, ''), secrets)).toEqual([]);
      expect(mail.subject).toMatch(/^evb: \d+ uppgift(er)? att göra \(\d{1,2} [a-zåäö]+ \d{4}\)$/);
      // Dates written as on the screens ("8 december 2026"), not ÅÅÅÅ-MM-DD.
      expect(mail.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(mail.text).toMatch(/(i dag \(|till och med )\d{1,2} [a-zåäö]+ \d{4}\)?:/);
      expect(mail.from?.text).toContain('evb@exempelkommun.se');
      for (const link of mail.text!.match(/https?:\/\/\S+/g) ?? []) {
        expect(link.startsWith(`${ORIGIN}/`)).toBe(true);
      }
      expect(mail.text).toContain(`${ORIGIN}/konto`);
    }

    const byUser = async (username: string) => {
      const profile = await database.db
        .selectFrom('appUser')
        .select('email')
        .where('id', '=', userId(username))
        .executeTakeFirstOrThrow();
      return received.find((r) => r.envelopeTo.includes(profile.email!));
    };

    // The handläggare's calls: as many as the follow-up list has today.
    const due = await (await caller('handlaggare')).followUps.due();
    expect(due.length).toBeGreaterThan(0);
    const handlaggare = (await byUser('handlaggare'))!;
    expect(handlaggare.mail.text).toContain(`• ${due.length} uppföljningssamtal att göra`);
    expect(handlaggare.mail.text).toContain(`${ORIGIN}/uppfoljningar`);

    // Each digest says what digestOfUser counts, no more.
    for (const username of ['utforare', 'matchare', 'rapportor', 'huvudrapportor']) {
      const items = await digestOfUser(database.db, userId(username), day, 60);
      const mail = await byUser(username);
      if (items.length === 0) {
        expect(mail).toBeUndefined();
        continue;
      }
      const bullets = mail!.mail.text!.split('\n').filter((l) => l.startsWith('• '));
      expect(bullets).toHaveLength(items.length);
      const total = items.reduce((sum, i) => sum + i.count, 0);
      expect(mail!.mail.subject).toContain(`${total} uppgift`);
    }
    const utforare = (await byUser('utforare'))!;
    expect(utforare.mail.text).toMatch(/• \d+ sammanfattning(ar)? att skriva/);
    expect(utforare.mail.text).toContain(`${ORIGIN}/bestallningar`);
    const huvud = (await byUser('huvudrapportor'))!;
    expect(huvud.mail.text).toContain(
      `• 1 rapportör utan inloggning på 90 dagar att se över\n  ${ORIGIN}/rapportorer`,
    );

    // Audited with counts only.
    const audits = await database.db
      .selectFrom('auditLog')
      .select(['action', 'subjectId', 'details'])
      .where('action', 'in', ['paminnelse_skickad', 'paminnelser_skickade'])
      .orderBy('id', 'desc')
      .execute();
    expect(audits.filter((a) => a.action === 'paminnelse_skickad')).toHaveLength(result.sent);
    expect(audits.find((a) => a.action === 'paminnelser_skickade')?.details).toMatchObject({
      mottagare: 5,
      skickade: result.sent,
    });
    expect(leaks(JSON.stringify(audits), secrets)).toEqual([]);
  });

  it('sends a day’s digest once, however often and by however many servers it runs', async () => {
    const again = await run();
    expect(again).toMatchObject({ recipients: 5, sent: 0, nothingDue: 0, alreadyClaimed: 5 });
    expect(received).toEqual([]);

    // The next working day, two servers at once: each digest arrives once.
    const at = laterMorning(1);
    const [a, b] = await Promise.all([run(at), run(at)]);
    expect(a.sent + b.sent).toBe(received.length);
    expect(a.alreadyClaimed + b.alreadyClaimed).toBe(5);
    const addresses = received.flatMap((r) => r.envelopeTo);
    expect(new Set(addresses).size).toBe(addresses.length);
  });

  it('sends nothing on a day that is not a working day', async () => {
    const saturday = new Date('2027-01-02T08:00:00Z');
    expect(await run(saturday)).toMatchObject({ workingDay: false, recipients: 0, sent: 0 });
    expect(received).toEqual([]);
  });

  it('gives a failed send’s claim back, so that the next run sends it', async () => {
    const at = laterMorning(5);
    const failing: Mailer = {
      send: async () => {
        throw new Error('550 mailbox unavailable');
      },
      close: () => {},
    };
    const failed = await run(at, failing);
    expect(failed.failed).toBe(failed.recipients - failed.nothingDue);
    expect(failed.sent).toBe(0);
    const retried = await run(at);
    expect(retried.sent).toBe(failed.failed);
    expect(received).toHaveLength(failed.failed);
  });

  it('forgets the claims of days more than a month back', async () => {
    const at = laterMorning(12);
    const old = addDays(todayInStockholm(at), -40);
    await database.db
      .insertInto('reminderSent')
      .values({ userId: userId('utforare'), day: old, channel: 'email' })
      .execute();
    await run(at);
    const left = await database.db
      .selectFrom('reminderSent')
      .select('day')
      .where('day', '<', addDays(todayInStockholm(at), -31))
      .execute();
    expect(left).toEqual([]);
  });

  it('stops sending when the user turns it off', async () => {
    for (const username of ['handlaggare', 'utforare', 'matchare', 'rapportor', 'huvudrapportor']) {
      await (await caller(username)).reminders.set({ emailDigest: false });
    }
    expect(await run(laterMorning(20))).toMatchObject({ recipients: 0, sent: 0 });
    expect(received).toEqual([]);
  });
});

describe('the schedule', () => {
  it('runs once a day from the reminder hour', async () => {
    await (await caller('handlaggare')).reminders.set({ emailDigest: true });
    // A January day, when Stockholm is UTC+1.
    const january = nextWorkingDay(`${Number(day.slice(0, 4)) + 1}-01-12`);
    let now = new Date(`${january}T05:59:00Z`); // 06:59 in Stockholm
    const scheduler = startReminderScheduler({
      db: database.db,
      mailer: mailer(),
      origin: ORIGIN,
      hour: 7,
      now: () => now,
      timer: false,
    });
    try {
      expect(await scheduler.check()).toBeNull();
      now = new Date(`${january}T06:00:00Z`); // 07:00
      expect(await scheduler.check()).toMatchObject({ day: january, recipients: 1 });
      expect(await scheduler.check()).toBeNull();
    } finally {
      scheduler.stop();
    }
  });
});

describe('reminders.set', () => {
  async function refusal(promise: Promise<unknown>) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TRPCError);
    return error as TRPCError;
  }

  it('refuses the digest without an e-mail address, saying so in Swedish', async () => {
    await database.db
      .updateTable('appUser')
      .set({ email: null })
      .where('id', '=', userId('matchare'))
      .execute();
    const matchare = await caller('matchare');
    expect((await matchare.reminders.get()).hasEmail).toBe(false);
    const error = await refusal(matchare.reminders.set({ emailDigest: true }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/ingen e-postadress/);
  });

  it('refuses the digest when the server has no SMTP server', async () => {
    configureReminders({ emailAvailable: false, publicOrigin: ORIGIN });
    try {
      const error = await refusal((await caller('utforare')).reminders.set({ emailDigest: true }));
      expect(error.message).toMatch(/kan inte skicka e-post/);
    } finally {
      configureReminders({ emailAvailable: true, publicOrigin: ORIGIN });
    }
  });

  it('bounds the horizon and refuses unknown settings, in Swedish', async () => {
    const utforare = await caller('utforare');
    expect((await refusal(utforare.reminders.set({ horizonDays: 61 }))).message).toMatch(
      /Högst 60 dagar/,
    );
    expect((await refusal(utforare.reminders.set({ horizonDays: 1.5 }))).message).toMatch(/heltal/);
    expect((await refusal(utforare.reminders.set({ push: true } as never))).code).toBe(
      'BAD_REQUEST',
    );
  });

  it('has no reminders for the administrator', async () => {
    const admin = await caller('admin');
    expect(await admin.reminders.get()).toMatchObject({ kinds: [], dueNow: [] });
    expect((await refusal(admin.reminders.set({ emailDigest: true }))).message).toMatch(
      /inga påminnelser för din roll/,
    );
  });
});
