import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/*
 * What the reminders need of the server's configuration, set once at start-up (main.ts) from
 * env.ts: whether e-mail can be sent (SMTP_URL), and the public origin the links and the calendar
 * feed's URL use (PUBLIC_ORIGIN; without it, the address the browser opened evb at), and Web
 * Push's public key (the VAPID variables).
 */

export type ReminderSettings = {
  emailAvailable: boolean;
  publicOrigin: string | null;
  /** Web Push's VAPID public key (VAPID_PUBLIC_KEY); null or unset: no push. */
  pushPublicKey?: string | null;
};

let settings: ReminderSettings = { emailAvailable: false, publicOrigin: null, pushPublicKey: null };

export function configureReminders(next: ReminderSettings): void {
  settings = { ...next };
}

export function reminderSettings(): ReminderSettings {
  return settings;
}

/** The calendar feed's path, under which `/api` serves it. */
export const CALENDAR_PATH_PREFIX = '/api/calendar/';

/** A calendar feed secret: 160 random bits, 32 characters a–z and 2–7. */
export function newCalendarSecret(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export const CALENDAR_SECRET_PATTERN = /^[a-z2-7]{32}$/;

/** What the database keeps of a secret: its SHA-256, in hex, as for sessions. */
export function hashCalendarSecret(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}
