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
 * Nothing is sent by default. Another channel (Web Push) gets its own switch here.
 */

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
  /** When the calendar feed was made; null when there is none. */
  calendarCreatedAt: string | null;
  /** What a digest would hold today: counts per kind, with the text and the screen's path. */
  dueNow: { kind: ReminderKind; count: number; overdue: number; text: string; path: string }[];
};

export const remindersRouter = router({
  /** The caller's reminder choices and what a digest would hold today. Anyone signed in. */
  get: protectedProcedure.query(async ({ ctx }): Promise<ReminderPreferences> => {
    const [preference, profile] = await Promise.all([
      findReminderPreference(ctx.db, ctx.user.id),
      findUserProfile(ctx.db, ctx.user.id),
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
