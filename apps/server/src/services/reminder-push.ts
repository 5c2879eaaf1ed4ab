import type { Agent } from 'node:https';
import { type IsoDate, REMINDER_PATHS, type ReminderItem } from '@evb/domain';
import webpush, { WebPushError } from 'web-push';
import { insertAudit } from '../data/audit';
import {
  markPushSuccess,
  pushRecipients,
  pushSubscriptionsOf,
  removePushSubscriptionById,
} from '../data/push';
import type { Db } from '../db/database';
import type { VapidConfig } from '../env';
import { SYSTEM_ROLE } from './administrator';
import { digestLine } from './reminder-digests';
import { remindOnce } from './reminders';

/*
 * The Web Push reminder of each working morning (issue 12), sent in the same run as the e-mail
 * digest: to each user who chose push, on each device they subscribed, one small message with the
 * counts and kinds of their tasks and a path in evb. The same content rules as the e-mail: never a
 * name, a personnummer or other personal data. Claimed once a day per user (channel 'push'); a
 * push service that answers 404 or 410 removes that subscription; any other failure gives the
 * claim back, so that the next run tries again.
 */

/** What the service worker shows: its title, text and the path it opens. */
export type PushMessage = { title: string; body: string; url: string };

export type PushTarget = { endpoint: string; p256dh: string; auth: string };

export type PushSender = {
  /** 'sent', or 'gone' when the push service no longer knows the subscription; throws otherwise. */
  send(target: PushTarget, message: PushMessage): Promise<'sent' | 'gone'>;
};

/** A failed push, without the push service's answer (it may quote the endpoint). */
export class PushFailed extends Error {
  constructor(readonly statusCode: number | null) {
    super(statusCode === null ? 'push not delivered' : `push service answered ${statusCode}`);
    this.name = 'PushFailed';
  }
}

/** Sends with web-push, signed with the server's VAPID keys. `agent`: for tests only. */
export function vapidPushSender(vapid: VapidConfig, options: { agent?: Agent } = {}): PushSender {
  return {
    async send(target, message) {
      try {
        await webpush.sendNotification(
          { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
          JSON.stringify(message),
          {
            vapidDetails: vapid,
            // A morning's reminder is stale by the evening.
            TTL: 12 * 60 * 60,
            urgency: 'normal',
            timeout: 15_000,
            ...(options.agent ? { agent: options.agent } : {}),
          },
        );
        return 'sent';
      } catch (error) {
        if (error instanceof WebPushError) {
          if (error.statusCode === 404 || error.statusCode === 410) return 'gone';
          throw new PushFailed(error.statusCode);
        }
        throw new PushFailed(null);
      }
    },
  };
}

/** The push message of a day's tasks: counts and kinds, and the screen to open. Never a person. */
export function digestPush(items: readonly ReminderItem[]): PushMessage {
  const kinds = new Set(items.map((item) => item.kind));
  const [only] = kinds;
  return {
    title: 'evb',
    body: items.map(digestLine).join('\n'),
    url: kinds.size === 1 && only ? REMINDER_PATHS[only] : '/',
  };
}

export type PushRun = {
  /** Users who chose push and have a subscribed device. */
  recipients: number;
  /** Users whose message reached at least one device. */
  sent: number;
  nothingDue: number;
  alreadyClaimed: number;
  /** Users for whom some device failed (their claim is given back). */
  failed: number;
  /** Subscriptions removed: their push service said gone. */
  removed: number;
};

/** Sends today's push reminders once (the caller checks that `day` is a working day). */
export async function sendPushReminders(deps: {
  db: Db;
  push: PushSender;
  day: IsoDate;
  now: Date;
}): Promise<PushRun> {
  const { db, push, day, now } = deps;
  const run: PushRun = {
    recipients: 0,
    sent: 0,
    nothingDue: 0,
    alreadyClaimed: 0,
    failed: 0,
    removed: 0,
  };
  const recipients = await pushRecipients(db);
  run.recipients = recipients.length;
  for (const recipient of recipients) {
    const outcome = await remindOnce(
      db,
      { ...recipient, channel: 'push', day, now, kanal: 'push', failure: 'push reminder failed' },
      async (items) => {
        const message = digestPush(items);
        let devices = 0;
        let removed = 0;
        let failure: unknown = null;
        for (const subscription of await pushSubscriptionsOf(db, recipient.userId)) {
          try {
            if ((await push.send(subscription, message)) === 'gone') {
              await removePushSubscriptionById(db, subscription.id);
              removed++;
            } else {
              await markPushSuccess(db, subscription.id, new Date());
              devices++;
            }
          } catch (error) {
            failure = error;
          }
        }
        run.removed += removed;
        // A device that failed gets the day's message at the next run (the others may get it
        // twice then: better than not at all).
        if (failure) throw failure;
        return {
          delivered: devices > 0,
          audit: devices > 0 || removed > 0 ? { enheter: devices, borttagna: removed } : null,
        };
      },
    );
    if (outcome === 'alreadyClaimed') run.alreadyClaimed++;
    else if (outcome === 'nothingDue') run.nothingDue++;
    else if (outcome === 'delivered') run.sent++;
    else if (outcome === 'failed') run.failed++;
  }
  await insertAudit(db, {
    userId: null,
    role: SYSTEM_ROLE,
    action: 'paminnelser_skickade',
    subjectType: 'paminnelser',
    subjectId: day,
    details: {
      kanal: 'push',
      mottagare: run.recipients,
      skickade: run.sent,
      inget_att_gora: run.nothingDue,
      redan_skickade: run.alreadyClaimed,
      misslyckade: run.failed,
      borttagna_enheter: run.removed,
    },
  });
  return run;
}
