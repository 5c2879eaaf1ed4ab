import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/database';

/*
 * Web Push (issue 12): each device's subscription (push_subscription) and the push channel's
 * choice (reminder_preference.push_enabled). An endpoint belongs to one user: a device that
 * subscribes again for another user moves to that user.
 */

export type PushSubscriptionRow = { id: string; endpoint: string; p256dh: string; auth: string };

export async function savePushSubscription(
  db: Db,
  userId: string,
  subscription: { endpoint: string; p256dh: string; auth: string },
  at: Date,
): Promise<void> {
  await db
    .insertInto('pushSubscription')
    .values({ id: uuidv7(), userId, ...subscription, createdAt: at })
    .onConflict((oc) =>
      oc.column('endpoint').doUpdateSet({
        userId,
        p256dh: subscription.p256dh,
        auth: subscription.auth,
        createdAt: at,
        lastSuccessAt: null,
      }),
    )
    .execute();
}

/** Removes the user's subscription of this endpoint; true when there was one. */
export async function deletePushSubscription(
  db: Db,
  userId: string,
  endpoint: string,
): Promise<boolean> {
  const rows = await db
    .deleteFrom('pushSubscription')
    .where('userId', '=', userId)
    .where('endpoint', '=', endpoint)
    .returning('id')
    .execute();
  return rows.length > 0;
}

export async function hasPushSubscription(
  db: Db,
  userId: string,
  endpoint: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('pushSubscription')
    .select('id')
    .where('userId', '=', userId)
    .where('endpoint', '=', endpoint)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countPushSubscriptions(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('pushSubscription')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('userId', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setPushEnabled(
  db: Db,
  userId: string,
  enabled: boolean,
  at: Date,
): Promise<void> {
  await db
    .insertInto('reminderPreference')
    .values({ userId, pushEnabled: enabled, updatedAt: at })
    .onConflict((oc) => oc.column('userId').doUpdateSet({ pushEnabled: enabled, updatedAt: at }))
    .execute();
}

export async function findPushEnabled(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('reminderPreference')
    .select('pushEnabled')
    .where('userId', '=', userId)
    .executeTakeFirst();
  return row?.pushEnabled ?? false;
}

/** The active users who chose push and have at least one subscription, with their horizon. */
export async function pushRecipients(db: Db) {
  return db
    .selectFrom('reminderPreference')
    .innerJoin('appUser', 'appUser.id', 'reminderPreference.userId')
    .select(['appUser.id as userId', 'reminderPreference.horizonDays'])
    .where('reminderPreference.pushEnabled', '=', true)
    .where('appUser.active', '=', true)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('pushSubscription')
          .select('pushSubscription.id')
          .whereRef('pushSubscription.userId', '=', 'appUser.id'),
      ),
    )
    .orderBy('appUser.id')
    .execute();
}

export async function pushSubscriptionsOf(db: Db, userId: string): Promise<PushSubscriptionRow[]> {
  return db
    .selectFrom('pushSubscription')
    .select(['id', 'endpoint', 'p256dh', 'auth'])
    .where('userId', '=', userId)
    .orderBy('id')
    .execute();
}

export async function removePushSubscriptionById(db: Db, id: string): Promise<void> {
  await db.deleteFrom('pushSubscription').where('id', '=', id).execute();
}

export async function markPushSuccess(db: Db, id: string, at: Date): Promise<void> {
  await db
    .updateTable('pushSubscription')
    .set({ lastSuccessAt: at })
    .where('id', '=', id)
    .execute();
}
