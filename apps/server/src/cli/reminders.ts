/*
 * `reminders --now`: sends today's e-mail digests and push reminders once, now, instead of waiting
 * for the server's schedule (REMINDER_HOUR). Like the schedule it sends only on working days, and
 * only what was not already sent today (by the server or an earlier run). Uses the server's
 * configuration: e-mail when SMTP_URL, MAIL_FROM and PUBLIC_ORIGIN are set, push when the VAPID
 * keys are (at least one of the two); DATABASE_URL, else the embedded database in DATA_DIR (stop
 * the server first then). Prints counts only.
 */

import { sendDigests, smtpMailer } from '../services/reminder-digests';
import { vapidPushSender } from '../services/reminder-push';
import { commandConfig, commandOptions, fail, openCommandDatabase } from './command-line';

const USAGE = `Användning: reminders --now

Skickar dagens påminnelser med e-post och push-notiser en gång, nu: till varje användare som
valt det under Mitt konto och som inte redan fått dagens. Bara på arbetsdagar. Servern skickar dem annars
själv varje arbetsdagsmorgon från klockan REMINDER_HOUR (svensk tid).

E-post kräver SMTP_URL, MAIL_FROM och PUBLIC_ORIGIN, push-notiser VAPID_PUBLIC_KEY,
VAPID_PRIVATE_KEY och VAPID_SUBJECT. Databasen är serverns: DATABASE_URL, annars
den inbäddade databasen i DATA_DIR (stoppa servern först).

  --now    skicka dagens påminnelser nu
  --help   visa den här texten`;

const values = commandOptions({ now: { type: 'boolean' } }, USAGE);
if (!values.now) fail(`Ange --now.\n\n${USAGE}`, 2);

const config = commandConfig();
const { smtp, push } = config.reminders;
const origin = config.auth.publicOrigin;
if ((!smtp || !origin) && !push) {
  fail(
    'SMTP_URL: ingen e-postserver är inställd och inga VAPID-nycklar för push-notiser; sätt SMTP_URL, MAIL_FROM och PUBLIC_ORIGIN, eller VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY och VAPID_SUBJECT.',
  );
}

const database = await openCommandDatabase(config);
const mailer = smtp && origin ? smtpMailer(smtp) : null;
try {
  const run = await sendDigests({
    db: database.db,
    mailer,
    origin: origin ?? '',
    push: push ? vapidPushSender(push) : null,
    now: new Date(),
  });
  if (!run.workingDay) {
    console.log(`${run.day} är ingen arbetsdag: inga påminnelser skickas.`);
  } else {
    if (mailer) {
      console.log(
        `${run.day}: ${run.recipients} har valt påminnelser med e-post. Skickade: ${run.sent}, ` +
          `inget att påminna om: ${run.nothingDue}, redan skickade i dag: ${run.alreadyClaimed}, ` +
          `misslyckade: ${run.failed}.`,
      );
    }
    if (run.push) {
      console.log(
        `${run.day}: ${run.push.recipients} har valt push-notiser. Skickade: ${run.push.sent}, ` +
          `inget att påminna om: ${run.push.nothingDue}, redan skickade i dag: ${run.push.alreadyClaimed}, ` +
          `misslyckade: ${run.push.failed}, enheter borttagna: ${run.push.removed}.`,
      );
    }
  }
  process.exitCode = run.failed > 0 || (run.push?.failed ?? 0) > 0 ? 1 : 0;
} finally {
  mailer?.close();
  await database.close();
}
