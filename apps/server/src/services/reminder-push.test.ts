import { execFileSync } from 'node:child_process';
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REMINDER_PATHS, todayInStockholm } from '@evb/domain';
// @ts-expect-error: http_ece has no types; tests only.
import ece from 'http_ece';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateVAPIDKeys } from 'web-push';
import { fixedClock } from '../testing/harness';
import {
  REMINDER_DAY as day,
  laterMorning,
  leaks,
  MORNING as morning,
  personalData,
  useReminderDemo,
} from '../testing/reminder-demo';
import { sendDigests } from './reminder-digests';
import { type PushMessage, vapidPushSender } from './reminder-push';
import { configureReminders } from './reminder-settings';
import { digestOfUser } from './reminders';

/*
 * The Web Push reminder against a fake push service on loopback (node:https with a throwaway
 * certificate): nobody gets push until they choose it, a chosen reminder arrives signed with the
 * server's VAPID key and encrypted for the subscription (aes128gcm, decrypted here with the
 * subscription's private key and auth secret), holding counts, kinds and a path, and none of the
 * seeded people's names or personnummer; a push service's 410 removes the subscription, and any
 * other failure gives the day's claim back.
 */

const vapid = { ...generateVAPIDKeys(), subject: 'mailto:evb@exempelkommun.se' };
const { database, userId, caller } = useReminderDemo(fixedClock(morning));

type Arrived = {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
};
let arrived: Arrived[] = [];
/** The status the fake push service answers, by the path's first segment. */
const STATUS: Record<string, number> = { ok: 201, gone: 410, broken: 500 };
let server: Server;
let base: string;
let agent: Agent;
let certDir: string;

beforeAll(async () => {
  certDir = mkdtempSync(path.join(tmpdir(), 'evb-push-'));
  const key = path.join(certDir, 'key.pem');
  const cert = path.join(certDir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      arrived.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.statusCode = STATUS[(req.url ?? '').split('/')[1] ?? ''] ?? 404;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  agent = new Agent({ ca: readFileSync(cert) });
  configureReminders({ emailAvailable: false, publicOrigin: null, pushPublicKey: vapid.publicKey });
});

afterAll(async () => {
  configureReminders({ emailAvailable: false, publicOrigin: null });
  agent.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(certDir, { recursive: true, force: true });
});

beforeEach(() => {
  arrived = [];
});

function run(now = morning) {
  return sendDigests({
    db: database.db,
    mailer: null,
    push: vapidPushSender(vapid, { agent }),
    origin: '',
    now,
  });
}

/** A browser's subscription: a P-256 key pair and a 16-byte auth secret. */
function device(status: keyof typeof STATUS) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    subscription: {
      endpoint: `${base}/${status}/${randomBytes(8).toString('hex')}`,
      keys: {
        p256dh: ecdh.getPublicKey().toString('base64url'),
        auth: auth.toString('base64url'),
      },
    },
  };
}

function decrypt(body: Buffer, target: ReturnType<typeof device>): PushMessage {
  const plain: Buffer = ece.decrypt(body, {
    version: 'aes128gcm',
    privateKey: target.ecdh,
    authSecret: target.auth,
  });
  return JSON.parse(plain.toString('utf8'));
}

describe('the push reminder', () => {
  it('sends nothing while nobody has chosen it', async () => {
    const result = await run();
    expect(result.push).toMatchObject({ recipients: 0, sent: 0, failed: 0 });
    expect(arrived).toEqual([]);
    expect(await (await caller('handlaggare')).reminders.get()).toMatchObject({
      pushEnabled: false,
      pushAvailable: true,
      pushDevices: 0,
    });
    expect(await (await caller('handlaggare')).reminders.pushConfig()).toEqual({
      publicKey: vapid.publicKey,
    });
  });

  it('refuses push without this device subscribed, or without the server set up', async () => {
    const handlaggare = await caller('handlaggare');
    await expect(handlaggare.reminders.setPush({ enabled: true })).rejects.toThrow(
      /Den här enheten tar inte emot push-notiser/,
    );
    await expect(
      handlaggare.reminders.pushSubscribe({
        endpoint: 'http://127.0.0.1/x',
        keys: device('ok').subscription.keys,
      }),
    ).rejects.toThrow(/https-adress/);
    await expect(
      handlaggare.reminders.pushSubscribe({
        endpoint: `https://push.example/${'a'.repeat(2001)}`,
        keys: device('ok').subscription.keys,
      }),
    ).rejects.toThrow(/för lång/);
    configureReminders({ emailAvailable: false, publicOrigin: null });
    try {
      await expect(handlaggare.reminders.pushSubscribe(device('ok').subscription)).rejects.toThrow(
        /inte inställt på servern/,
      );
      expect(await handlaggare.reminders.pushConfig()).toEqual({ publicKey: null });
    } finally {
      configureReminders({
        emailAvailable: false,
        publicOrigin: null,
        pushPublicKey: vapid.publicKey,
      });
    }
  });

  it('sends the chosen devices one encrypted, VAPID-signed message of counts, once a day', async () => {
    const handlaggare = await caller('handlaggare');
    await handlaggare.reminders.set({ horizonDays: 0 });
    const phone = device('ok');
    await handlaggare.reminders.pushSubscribe(phone.subscription);
    await handlaggare.reminders.setPush({ enabled: true, endpoint: phone.subscription.endpoint });
    expect(await handlaggare.reminders.get()).toMatchObject({ pushEnabled: true, pushDevices: 1 });

    const result = await run();
    expect(result.push).toMatchObject({ recipients: 1, sent: 1, failed: 0, removed: 0 });
    expect(arrived).toHaveLength(1);
    const [request] = arrived;
    expect(request!.path).toBe(new URL(phone.subscription.endpoint).pathname);
    expect(request!.headers['content-encoding']).toBe('aes128gcm');
    expect(String(request!.headers.authorization)).toMatch(
      new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapid.publicKey}$`),
    );
    const message = decrypt(request!.body, phone);
    const due = await handlaggare.followUps.due();
    expect(due.length).toBeGreaterThan(0);
    expect(message.title).toBe('evb');
    expect(message.body).toContain(`${due.length} uppföljningssamtal att göra`);
    const items = await digestOfUser(database.db, userId('handlaggare'), day, 0);
    expect(message.body.split('\n')).toHaveLength(items.length);
    expect(message.url).toBe(items.length === 1 ? REMINDER_PATHS[items[0]!.kind] : '/');
    expect(leaks(JSON.stringify(message), await personalData(database.db))).toEqual([]);

    // Once a day: a second run (another server, a restart) sends nothing more.
    expect((await run()).push).toMatchObject({ sent: 0, alreadyClaimed: 1 });
    expect(arrived).toHaveLength(1);
    const row = await database.db
      .selectFrom('pushSubscription')
      .select('lastSuccessAt')
      .where('endpoint', '=', phone.subscription.endpoint)
      .executeTakeFirstOrThrow();
    expect(row.lastSuccessAt).not.toBeNull();

    const audits = await database.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('action', 'in', ['paminnelse_skickad', 'paminnelser_skickade'])
      .execute();
    expect(audits.some((a) => JSON.stringify(a.details).includes('"kanal":"push"'))).toBe(true);
    expect(JSON.stringify(audits)).not.toContain(phone.subscription.endpoint);
  });

  it('removes a subscription its push service says is gone, and retries other failures', async () => {
    const handlaggare = await caller('handlaggare');
    const old = device('gone');
    await handlaggare.reminders.pushSubscribe(old.subscription);
    const result = await run(laterMorning(1));
    expect(result.push).toMatchObject({ recipients: 1, sent: 1, removed: 1, failed: 0 });
    expect(arrived.map((a) => a.path.split('/')[1]).sort()).toEqual(['gone', 'ok']);
    expect(await handlaggare.reminders.get()).toMatchObject({ pushDevices: 1 });

    const broken = device('broken');
    await handlaggare.reminders.pushSubscribe(broken.subscription);
    arrived = [];
    const failed = await run(laterMorning(3));
    expect(failed.push).toMatchObject({ failed: 1 });
    const claims = await database.db
      .selectFrom('reminderSent')
      .select('day')
      .where('channel', '=', 'push')
      .where('day', '=', todayInStockholm(laterMorning(3)))
      .execute();
    expect(claims).toEqual([]);

    // Off on the last device: the channel goes off with it.
    await handlaggare.reminders.pushUnsubscribe({ endpoint: broken.subscription.endpoint });
    const ok = (await database.db.selectFrom('pushSubscription').select('endpoint').execute()).map(
      (r) => r.endpoint,
    );
    for (const endpoint of ok) await handlaggare.reminders.pushUnsubscribe({ endpoint });
    expect(await handlaggare.reminders.get()).toMatchObject({ pushEnabled: false, pushDevices: 0 });
  });
});
