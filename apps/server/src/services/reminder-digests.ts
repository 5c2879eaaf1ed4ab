import {
  addDays,
  formatSwedishDate,
  type IsoDate,
  isWorkingDay,
  REMINDER_PATHS,
  type ReminderItem,
  reminderText,
  todayInStockholm,
} from '@evb/domain';
import nodemailer from 'nodemailer';
import { insertAudit } from '../data/audit';
import { deleteRemindersBefore, emailDigestRecipients } from '../data/reminders';
import type { Db } from '../db/database';
import { SYSTEM_ROLE } from './administrator';
import { type PushRun, type PushSender, sendPushReminders } from './reminder-push';
import { remindOnce } from './reminders';

/*
 * The e-mail digest of each working morning (issue 12): to each user who chose it, the counts of
 * their tasks due within their horizon, each with a link to the evb screen that lists them. IVO's
 * FAQ: never e-mail personal data — a digest holds counts, kinds of task, dates and links, and is
 * addressed to nobody by name. Each user's digest of a day is claimed in the database before it is
 * computed, so it goes once however many servers run (a crash between the claim and the send
 * loses that day's digest rather than sending it twice; a failed send gives the claim back).
 */

export type MailMessage = { to: string; subject: string; text: string };

export type Mailer = {
  send(message: MailMessage): Promise<void>;
  close(): void;
};

/** A mailer that sends through the SMTP server of `SMTP_URL`, from `MAIL_FROM`. */
export function smtpMailer(smtp: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(smtp.url);
  return {
    async send(message) {
      await transport.sendMail({
        from: smtp.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
    close: () => transport.close(),
  };
}

function countOf(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function whenText(item: ReminderItem): string {
  switch (item.kind) {
    case 'fonster_oppnar':
      return ` – öppnar ${formatSwedishDate(item.firstDate)}`;
    case 'fonster_stanger':
      return ` – stänger ${formatSwedishDate(item.firstDate)}`;
    case 'inaktiva_rapportorer':
      return '';
    default:
      return ` – första senast ${formatSwedishDate(item.firstDate)}`;
  }
}

/**
 * One kind of task's line, as the e-mail and the push message give it: the count, how many are
 * overdue and the first date; never a person.
 */
export function digestLine(item: ReminderItem): string {
  const overdue =
    item.overdue > 0 ? `, varav ${countOf(item.overdue, 'försenad', 'försenade')}` : '';
  return `${reminderText(item)}${overdue}${whenText(item)}`;
}

/** The digest's subject and text: counts, kinds of task, dates and links; never a person. */
export function digestMail(
  items: readonly ReminderItem[],
  options: { origin: string; today: IsoDate; horizonDays: number },
): { subject: string; text: string } {
  const total = items.reduce((sum, item) => sum + item.count, 0);
  const until = addDays(options.today, options.horizonDays);
  const lines = items.map((item) =>
    [`• ${digestLine(item)}`, `  ${options.origin}${REMINDER_PATHS[item.kind]}`].join('\n'),
  );
  const period =
    options.horizonDays === 0
      ? `i dag (${formatSwedishDate(options.today)})`
      : `från i dag till och med ${formatSwedishDate(until)}`;
  return {
    subject: `evb: ${countOf(total, 'uppgift', 'uppgifter')} att göra (${formatSwedishDate(options.today)})`,
    text: [
      'Hej!',
      '',
      `Det här har du att göra i evb ${period}:`,
      '',
      ...lines,
      '',
      'Påminnelsen innehåller inga personuppgifter. Logga in i evb för att se vilka ärenden det gäller.',
      '',
      `Du får påminnelsen för att du har valt det i evb. Ändra eller stäng av den under Mitt konto: ${options.origin}/konto`,
      '',
    ].join('\n'),
  };
}

/** How long a day's claims are kept (a server whose clock is behind must not send again). */
const CLAIMS_KEPT_DAYS = 31;

export type DigestRun = {
  day: IsoDate;
  /** False on a weekend, a holiday or an eve: no digest goes. */
  workingDay: boolean;
  /** Users who chose the digest and have an address. */
  recipients: number;
  sent: number;
  /** Claimed, but nothing was due: no mail. */
  nothingDue: number;
  /** Claimed before, today, by this server or another. */
  alreadyClaimed: number;
  failed: number;
  /** The push reminders of the same run, when Web Push is configured. */
  push?: PushRun;
};

/**
 * Sends today's digests once: to each user who chose them and whose digest of the day is not
 * claimed yet. Nothing on a day that is not a working day. Audited per user (counts per kind) and
 * for the run (counts).
 */
export async function sendDigests(deps: {
  db: Db;
  /** Null: no e-mail (only push). */
  mailer: Mailer | null;
  origin: string;
  now: Date;
  /** The push reminders go in the same run (reminder-push.ts). */
  push?: PushSender | null;
}): Promise<DigestRun> {
  const { db, mailer, origin, now } = deps;
  const day = todayInStockholm(now);
  const run: DigestRun = {
    day,
    workingDay: isWorkingDay(day),
    recipients: 0,
    sent: 0,
    nothingDue: 0,
    alreadyClaimed: 0,
    failed: 0,
  };
  if (!run.workingDay) return run;
  if (deps.push) run.push = await sendPushReminders({ db, push: deps.push, day, now });
  if (!mailer) {
    await deleteRemindersBefore(db, addDays(day, -CLAIMS_KEPT_DAYS));
    return run;
  }
  const recipients = await emailDigestRecipients(db);
  run.recipients = recipients.length;
  for (const recipient of recipients) {
    const outcome = await remindOnce(
      db,
      {
        ...recipient,
        channel: 'email',
        day,
        now,
        kanal: 'e-post',
        failure: 'reminder digest failed',
      },
      async (items) => {
        const mail = digestMail(items, { origin, today: day, horizonDays: recipient.horizonDays });
        await mailer.send({ to: recipient.email!, ...mail });
        return { delivered: true, audit: {} };
      },
    );
    if (outcome === 'alreadyClaimed') run.alreadyClaimed++;
    else if (outcome === 'nothingDue') run.nothingDue++;
    else if (outcome === 'delivered') run.sent++;
    else if (outcome === 'failed') run.failed++;
  }
  await deleteRemindersBefore(db, addDays(day, -CLAIMS_KEPT_DAYS));
  await insertAudit(db, {
    userId: null,
    role: SYSTEM_ROLE,
    action: 'paminnelser_skickade',
    subjectType: 'paminnelser',
    subjectId: day,
    details: {
      kanal: 'e-post',
      mottagare: run.recipients,
      skickade: run.sent,
      inget_att_gora: run.nothingDue,
      redan_skickade: run.alreadyClaimed,
      misslyckade: run.failed,
    },
  });
  return run;
}
