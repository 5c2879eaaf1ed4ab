import {
  REMINDER_HORIZON_DAYS,
  REMINDER_PATHS,
  type ReminderKind,
  reminderKindsOf,
  reminderText,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  countPushSubscriptions,
  deletePushSubscription,
  findPushEnabled,
  hasPushSubscription,
  savePushSubscription,
  setPushEnabled,
} from '../data/push';
import {
  findReminderPreference,
  saveReminderPreference,
  setCalendarSecretHash,
} from '../data/reminders';
import { findUserProfile } from '../data/users';
import {
  CALENDAR_PATH_PREFIX,
  hashCalendarSecret,
  newCalendarSecret,
  reminderSettings,
} from '../services/reminder-settings';
import { digestOfUser } from '../services/reminders';
import { protectedProcedure, router } from '../trpc/init';

/*
 * Each user's reminders (issue 12), in Mitt konto: the e-mail digest on or off and how far ahead
 * it looks, and a private calendar feed (an iCalendar URL with a secret, shown once, revocable).
 * Nothing is sent by default. Web Push: each device (browser) subscribes on its own, and the push
 * channel is switched on and off for the user; the message holds counts and kinds only.
 */

// A push service's endpoint: an https URL of at most 2 000 characters. The keys are base64url:
// p256dh a P-256 point (65 bytes, 87 characters), auth 16 bytes (22 characters); bounded loosely.
const Endpoint = z
  .string({ error: 'Ange push-tjänstens adress' })
  .max(2000, { error: 'Push-tjänstens adress är för lång' })
  .refine(
    (value) => URL.canParse(value) && new URL(value).protocol === 'https:',
    'Push-tjänstens adress måste vara en https-adress',
  );
const Base64url = (max: number) =>
  z
    .string({ error: 'Ange nyckeln' })
    .min(16, { error: 'Nyckeln är för kort' })
    .max(max, { error: 'Nyckeln är för lång' })
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, { error: 'Nyckeln ska vara base64url' });

const SubscribeInput = z.strictObject(
  {
    endpoint: Endpoint,
    keys: z.strictObject(
      { p256dh: Base64url(200), auth: Base64url(100) },
      { error: 'Okänd nyckel' },
    ),
  },
  { error: 'Okänd uppgift' },
);

const EndpointInput = z.strictObject({ endpoint: Endpoint }, { error: 'Okänd uppgift' });

const SetPushInput = z.strictObject(
  {
    enabled: z.boolean({ error: 'Välj om du vill få push-notiser' }),
    /** This device's endpoint: turning push on needs this device subscribed. */
    endpoint: Endpoint.optional(),
  },
  { error: 'Okänd inställning' },
);

const NO_PUSH =
  'evb kan inte skicka push-notiser: det är inte inställt på servern. Kontakta den som driftar evb.';

const SetInput = z.strictObject(
  {
    emailDigest: z.boolean({ error: 'Välj om du vill få påminnelser med e-post' }).optional(),
    horizonDays: z
      .number({ error: 'Ange antal dagar framåt' })
      .int({ error: 'Ange antal dagar som ett heltal' })
      .min(REMINDER_HORIZON_DAYS.min, { error: `Minst ${REMINDER_HORIZON_DAYS.min} dagar` })
      .max(REMINDER_HORIZON_DAYS.max, { error: `Högst ${REMINDER_HORIZON_DAYS.max} dagar` })
      .optional(),
  },
  { error: 'Okänd inställning' },
);

function refused(message: string): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message });
}

const NO_REMINDERS = 'Det finns inga påminnelser för din roll.';

export type ReminderPreferences = {
  /** The kinds of task the user's roles get reminders of. */
  kinds: ReminderKind[];
  emailDigest: boolean;
  horizonDays: number;
  horizon: { min: number; max: number };
  /** Whether the user has an e-mail address in evb (without one, no digest). */
  hasEmail: boolean;
  /** Whether the server can send e-mail (SMTP_URL). */
  emailAvailable: boolean;
  /** Whether the push channel is on (for the devices the user subscribed). */
  pushEnabled: boolean;
  /** Whether the server can send push (the VAPID variables). */
  pushAvailable: boolean;
  /** How many devices the user subscribed. */
  pushDevices: number;
  /** When the calendar feed was made; null when there is none. */
  calendarCreatedAt: string | null;
  /** What a digest would hold today: counts per kind, with the text and the screen's path. */
  dueNow: { kind: ReminderKind; count: number; overdue: number; text: string; path: string }[];
};

export const remindersRouter = router({
  /** The caller's reminder choices and what a digest would hold today. Anyone signed in. */
  get: protectedProcedure.query(async ({ ctx }): Promise<ReminderPreferences> => {
    const [preference, profile, pushEnabled, pushDevices] = await Promise.all([
      findReminderPreference(ctx.db, ctx.user.id),
      findUserProfile(ctx.db, ctx.user.id),
      findPushEnabled(ctx.db, ctx.user.id),
      countPushSubscriptions(ctx.db, ctx.user.id),
    ]);
    const horizonDays = preference?.horizonDays ?? REMINDER_HORIZON_DAYS.default;
    const kinds = [...reminderKindsOf(ctx.user.roles.map((r) => r.role))];
    const due =
      kinds.length > 0 ? await digestOfUser(ctx.db, ctx.user.id, ctx.today(), horizonDays) : [];
    return {
      kinds,
      emailDigest: preference?.emailDigest ?? false,
      horizonDays,
      horizon: { min: REMINDER_HORIZON_DAYS.min, max: REMINDER_HORIZON_DAYS.max },
      hasEmail: Boolean(profile?.email),
      emailAvailable: reminderSettings().emailAvailable,
      pushEnabled,
      pushAvailable: Boolean(reminderSettings().pushPublicKey),
      pushDevices,
      calendarCreatedAt: preference?.calendarCreatedAt?.toISOString() ?? null,
      dueNow: due.map((item) => ({
        kind: item.kind,
        count: item.count,
        overdue: item.overdue,
        text: reminderText(item),
        path: REMINDER_PATHS[item.kind],
      })),
    };
  }),

  /**
   * Sets the caller's choices: { emailDigest?, horizonDays? (0–60) }. Turning the digest on needs
   * an e-mail address in evb, a server that can send e-mail and a role with reminders. Audited.
   */
  set: protectedProcedure.input(SetInput).mutation(async ({ ctx, input }) => {
    if (input.emailDigest) {
      if (reminderKindsOf(ctx.user.roles.map((r) => r.role)).size === 0)
        throw refused(NO_REMINDERS);
      if (!reminderSettings().emailAvailable) {
        throw refused(
          'evb kan inte skicka e-post: ingen e-postserver är inställd. Kontakta den som driftar evb.',
        );
      }
      const profile = await findUserProfile(ctx.db, ctx.user.id);
      if (!profile?.email) {
        throw refused(
          'Du har ingen e-postadress i evb. Be administratören lägga in den, så kan du få påminnelser med e-post.',
        );
      }
    }
    await saveReminderPreference(ctx.db, ctx.user.id, input, ctx.clock.now());
    await ctx.audit({
      action: 'paminnelser_andrade',
      subjectType: 'anvandare',
      subjectId: ctx.user.id,
      details: {
        ...(input.emailDigest !== undefined ? { epost: input.emailDigest } : {}),
        ...(input.horizonDays !== undefined ? { dagar: input.horizonDays } : {}),
      },
    });
    return { ok: true as const };
  }),

  /**
   * Makes a new private calendar feed for the caller, replacing any earlier one (its URL stops
   * working). Answers its path and, with PUBLIC_ORIGIN, its URL: shown once, only the secret's hash
   * is kept. Audited.
   */
  createCalendarFeed: protectedProcedure.mutation(async ({ ctx }) => {
    if (reminderKindsOf(ctx.user.roles.map((r) => r.role)).size === 0) throw refused(NO_REMINDERS);
    const secret = newCalendarSecret();
    await setCalendarSecretHash(ctx.db, ctx.user.id, hashCalendarSecret(secret), ctx.clock.now());
    await ctx.audit({
      action: 'kalenderlank_skapad',
      subjectType: 'anvandare',
      subjectId: ctx.user.id,
    });
    const path = `${CALENDAR_PATH_PREFIX}${secret}.ics`;
    const origin = reminderSettings().publicOrigin;
    return { path, url: origin ? `${origin}${path}` : null };
  }),

  /** The server's VAPID public key, for `pushManager.subscribe`; null when push is not set up. */
  pushConfig: protectedProcedure.query(() => ({
    publicKey: reminderSettings().pushPublicKey ?? null,
  })),

  /**
   * Keeps this device's push subscription for the caller ({ endpoint, keys: { p256dh, auth } });
   * an endpoint another user had moves to the caller. Audited without the endpoint.
   */
  pushSubscribe: protectedProcedure.input(SubscribeInput).mutation(async ({ ctx, input }) => {
    if (!reminderSettings().pushPublicKey) throw refused(NO_PUSH);
    await savePushSubscription(
      ctx.db,
      ctx.user.id,
      { endpoint: input.endpoint, p256dh: input.keys.p256dh, auth: input.keys.auth },
      ctx.clock.now(),
    );
    await ctx.audit({
      action: 'push_enhet_tillagd',
      subjectType: 'anvandare',
      subjectId: ctx.user.id,
    });
    return { ok: true as const };
  }),

  /**
   * Forgets this device's subscription; with no device left, the push channel is turned off.
   * Audited.
   */
  pushUnsubscribe: protectedProcedure.input(EndpointInput).mutation(async ({ ctx, input }) => {
    const removed = await deletePushSubscription(ctx.db, ctx.user.id, input.endpoint);
    const left = await countPushSubscriptions(ctx.db, ctx.user.id);
    if (left === 0 && (await findPushEnabled(ctx.db, ctx.user.id))) {
      await setPushEnabled(ctx.db, ctx.user.id, false, ctx.clock.now());
    }
    await ctx.audit({
      action: 'push_enhet_borttagen',
      subjectType: 'anvandare',
      subjectId: ctx.user.id,
      details: { fanns: removed, kvar: left },
    });
    return { removed, devices: left };
  }),

  /**
   * Turns the push channel on or off: { enabled, endpoint? }. On needs push set up on the server,
   * a role with reminders and this device (endpoint) subscribed. Audited.
   */
  setPush: protectedProcedure.input(SetPushInput).mutation(async ({ ctx, input }) => {
    if (input.enabled) {
      if (reminderKindsOf(ctx.user.roles.map((r) => r.role)).size === 0)
        throw refused(NO_REMINDERS);
      if (!reminderSettings().pushPublicKey) throw refused(NO_PUSH);
      if (!input.endpoint || !(await hasPushSubscription(ctx.db, ctx.user.id, input.endpoint))) {
        throw refused(
          'Den här enheten tar inte emot push-notiser från evb än. Slå på push-notiser på enheten först.',
        );
      }
    }
    await setPushEnabled(ctx.db, ctx.user.id, input.enabled, ctx.clock.now());
    await ctx.audit({
      action: 'paminnelser_andrade',
      subjectType: 'anvandare',
      subjectId: ctx.user.id,
      details: { push: input.enabled },
    });
    return { ok: true as const };
  }),

  /** Revokes the caller's calendar feed: its URL answers 404 from now on. Audited. */
  revokeCalendarFeed: protectedProcedure.mutation(async ({ ctx }) => {
    const had = Boolean((await findReminderPreference(ctx.db, ctx.user.id))?.calendarCreatedAt);
    await setCalendarSecretHash(ctx.db, ctx.user.id, null, ctx.clock.now());
    await ctx.audit({
      action: 'kalenderlank_aterkallad',
      subjectType: 'anvandare',
      subjectId: ctx.user.id,
      details: { fanns: had },
    });
    return { revoked: had };
  }),
});
