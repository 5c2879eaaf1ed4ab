/*
 * `reminders --now`: sends today's e-mail digests once, now, instead of waiting for the server's
 * schedule (REMINDER_HOUR). Like the schedule it sends only on working days, and only the digests
 * not already sent today (by the server or an earlier run). Uses the server's configuration:
 * SMTP_URL, MAIL_FROM and PUBLIC_ORIGIN must be set; DATABASE_URL, else the embedded database in
 * DATA_DIR (stop the server first then). Prints counts only.
 */
import { parseArgs } from 'node:util';
import { createDatabase, describeDatabase } from '../db/database';
import { EnvError, parseEnv } from '../env';
import { sendDigests, smtpMailer } from '../services/reminder-digests';

const USAGE = `Användning: reminders --now

Skickar dagens påminnelser med e-post en gång, nu: till varje användare som valt det under
Mitt konto och som inte redan fått dagens. Bara på arbetsdagar. Servern skickar dem annars
själv varje arbetsdagsmorgon från klockan REMINDER_HOUR (svensk tid).

Kräver SMTP_URL, MAIL_FROM och PUBLIC_ORIGIN. Databasen är serverns: DATABASE_URL, annars
den inbäddade databasen i DATA_DIR (stoppa servern först).

  --now    skicka dagens påminnelser nu
  --help   visa den här texten`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

let values: { now?: boolean; help?: boolean };
try {
  ({ values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    allowPositionals: false,
    options: { now: { type: 'boolean' }, help: { type: 'boolean' } },
  }));
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`, 2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.now) fail(`Ange --now.\n\n${USAGE}`, 2);

let config: ReturnType<typeof parseEnv>;
try {
  config = parseEnv(process.env);
} catch (error) {
  if (error instanceof EnvError) fail(error.message);
  throw error;
}
const { smtp } = config.reminders;
const origin = config.auth.publicOrigin;
if (!smtp || !origin) {
  fail('SMTP_URL: ingen e-postserver är inställd; sätt SMTP_URL, MAIL_FROM och PUBLIC_ORIGIN.');
}

const database = await createDatabase(config.database).catch((error: Error) =>
  fail(`Kan inte öppna databasen (${describeDatabase(config.database)}): ${error.message}`),
);
const mailer = smtpMailer(smtp);
try {
  const run = await sendDigests({ db: database.db, mailer, origin, now: new Date() });
  if (!run.workingDay) {
    console.log(`${run.day} är ingen arbetsdag: inga påminnelser skickas.`);
  } else {
    console.log(
      `${run.day}: ${run.recipients} har valt påminnelser med e-post. Skickade: ${run.sent}, ` +
        `inget att påminna om: ${run.nothingDue}, redan skickade i dag: ${run.alreadyClaimed}, ` +
        `misslyckade: ${run.failed}.`,
    );
  }
  process.exitCode = run.failed > 0 ? 1 : 0;
} finally {
  mailer.close();
  await database.close();
}
