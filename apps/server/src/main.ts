import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { todayInStockholm } from '@evb/domain';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { loadSamlConfig, type SamlConfig } from './auth/saml/config';
import { createDatabase, type Database, describeDatabase } from './db/database';
import { type Config, EnvError, parseEnv } from './env';
import { configureRender } from './render/pool';
import { DEMO_KOMMUN } from './seed/organisation';
import { demoUserLines, presentDemoUsers, seedDemoIfEmpty } from './seed/startup';
import { smtpMailer } from './services/reminder-digests';
import { vapidPushSender } from './services/reminder-push';
import { startReminderScheduler } from './services/reminder-scheduler';
import { configureReminders } from './services/reminder-settings';

const pwaRoot = fileURLToPath(new URL('../../pwa/dist', import.meta.url));

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function readConfig(): Config {
  try {
    const config = parseEnv(process.env);
    configureRender(config.render);
    configureReminders({
      emailAvailable: config.reminders.smtp !== null,
      publicOrigin: config.auth.publicOrigin,
      pushPublicKey: config.reminders.push?.publicKey ?? null,
    });
    return config;
  } catch (error) {
    if (error instanceof EnvError) fail(error.message);
    throw error;
  }
}

/**
 * SAML sign-in, when its variables are set: the IdP's metadata (a file, or fetched) and the SP's
 * key pair are read now, so a wrong one stops the start with the variable named.
 */
async function readSamlConfig(config: Config): Promise<SamlConfig | null> {
  try {
    return config.auth.saml ? await loadSamlConfig(config.auth.saml) : null;
  } catch (error) {
    if (error instanceof EnvError) fail(error.message);
    throw error;
  }
}

async function openDatabase(config: Config): Promise<Database> {
  const where = describeDatabase(config.database);
  let database: Database | undefined;
  try {
    database = await createDatabase(config.database);
    await database.ping();
    return database;
  } catch (error) {
    await database?.close().catch(() => {});
    fail(`Cannot open the database (${where}): ${(error as Error).message}`);
  }
}

/**
 * Seeds the demo kommun when the embedded database is empty (the first start), and returns the
 * lines that tell how to sign in as the demo users, for as long as they exist with the demo
 * password. A PostgreSQL database is never seeded by itself: that is a real deployment, where demo
 * users with a published password have no place; `seed` fills one on purpose.
 */
async function prepareDemoData(database: Database): Promise<string[]> {
  try {
    const seeded =
      database.kind === 'pglite' ? await seedDemoIfEmpty(database.db, todayInStockholm()) : null;
    const lines = seeded
      ? [
          `Demo data: the database was empty, so the demo kommun ${DEMO_KOMMUN} was created ` +
            `(${seeded.decisions} decisions, ${seeded.events} events).`,
        ]
      : [];
    return [...lines, ...demoUserLines(await presentDemoUsers(database.db))];
  } catch (error) {
    await database.close().catch(() => {});
    fail(`Cannot create the demo data: ${(error as Error).message}`);
  }
}

const config = readConfig();
const saml = await readSamlConfig(config);
const database = await openDatabase(config);
const demoLines = await prepareDemoData(database);

if (!existsSync(path.join(pwaRoot, 'index.html'))) {
  console.warn(
    `The PWA is not built (no index.html in ${pwaRoot}), so only /api answers. ` +
      'Build it with `npx -y pnpm@10 build`.',
  );
}

const app = createApp({
  database,
  pwaRoot,
  auth: config.auth,
  sync: config.sync,
  logReview: config.logReview,
  saml,
});
// The e-mail digests of each working morning, when SMTP_URL is set (env.ts wants PUBLIC_ORIGIN then),
// and the push reminders in the same run, when the VAPID variables are.
const reminders =
  (config.reminders.smtp && config.auth.publicOrigin) || config.reminders.push
    ? startReminderScheduler({
        db: database.db,
        mailer:
          config.reminders.smtp && config.auth.publicOrigin
            ? smtpMailer(config.reminders.smtp)
            : null,
        push: config.reminders.push ? vapidPushSender(config.reminders.push) : null,
        origin: config.auth.publicOrigin ?? '',
        hour: config.reminders.hour,
      })
    : null;
const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
  console.log(`evb is running at http://localhost:${info.port}/`);
  console.log(`Database: ${describeDatabase(config.database)}`);
  if (saml) {
    console.log(
      `SAML sign-in: IdP ${saml.idp.entityId}; this SP's metadata is at ${config.auth.publicOrigin}/api/auth/saml/metadata`,
    );
  }
  for (const line of demoLines) console.log(line);
}) as Server;

server.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') {
    fail(`PORT: ${config.port} is already in use by another program; choose another PORT.`);
  }
  fail(`Cannot listen on PORT ${config.port}: ${error.message}`);
});

let stopping = false;

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received: stopping.`);
  // Stop accepting connections; open requests may finish, for at most five seconds.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  reminders?.stop();
  const deadline = setTimeout(() => server.closeAllConnections(), 5000);
  deadline.unref();
  await closed;
  await database.close();
  console.log('Stopped.');
  process.exit(0);
}

process.on('SIGTERM', (signal) => void shutdown(signal));
process.on('SIGINT', (signal) => void shutdown(signal));
