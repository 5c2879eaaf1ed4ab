import { REMINDER_PATHS, reminderText } from '@evb/domain';
import ical, { type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { DEFAULT_AUTH_CONFIG } from '../auth/config';
import { configureReminders } from '../services/reminder-settings';
import { calendarOfUser } from '../services/reminders';
import { fixedClock } from '../testing/harness';
import {
  REMINDER_DAY as day,
  leaks,
  personalData,
  useReminderDemo,
} from '../testing/reminder-demo';

/*
 * The private calendar feed over HTTP, for the demo kommun: made in Mitt konto (the URL shown
 * once), read back by an independent iCalendar parser (node-ical) with one all-day entry per day
 * and kind of task and no personal data, and gone (404, no hint) once revoked or replaced.
 */

const ORIGIN = 'https://evb.exempelkommun.se';
const clock = fixedClock(`${day}T09:00:00Z`);
const { database, userId, caller } = useReminderDemo(clock);

beforeAll(() => configureReminders({ emailAvailable: false, publicOrigin: ORIGIN }));

afterAll(() => configureReminders({ emailAvailable: false, publicOrigin: null }));

const app = () =>
  createApp({
    database,
    pwaRoot: '/nonexistent',
    clock,
    auth: { ...DEFAULT_AUTH_CONFIG, publicOrigin: ORIGIN },
  });

async function fetchFeed(path: string) {
  return app().request(`http://localhost${path}`);
}

describe('the calendar feed', () => {
  it('is made once, read back by an iCalendar parser, and holds no personal data', async () => {
    const handlaggare = await caller('handlaggare');
    const feed = await handlaggare.reminders.createCalendarFeed();
    expect(feed.path).toMatch(/^\/api\/calendar\/[a-z2-7]{32}\.ics$/);
    expect(feed.url).toBe(`${ORIGIN}${feed.path}`);
    expect((await handlaggare.reminders.get()).calendarCreatedAt).toBe(clock.now().toISOString());
    // Only the secret's hash is kept.
    const stored = await database.db
      .selectFrom('reminderPreference')
      .select('calendarSecretHash')
      .where('userId', '=', userId('handlaggare'))
      .executeTakeFirstOrThrow();
    const secret = feed.path.slice('/api/calendar/'.length, -'.ics'.length);
    expect(stored.calendarSecretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.calendarSecretHash).not.toContain(secret);

    const response = await fetchFeed(feed.path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await response.text();
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);

    const expected = await calendarOfUser(database.db, userId('handlaggare'), day);
    expect(expected.length).toBeGreaterThan(0);
    const events = Object.values(ical.sync.parseICS(text)).filter(
      (c): c is VEvent => c?.type === 'VEVENT',
    );
    expect(events).toHaveLength(expected.length);
    for (const entry of expected) {
      const start = events.find(
        (e) => e.summary === reminderText(entry) && localDate(e.start) === entry.date,
      );
      expect(start, `${entry.date} ${entry.kind}`).toBeDefined();
      expect(start!.datetype).toBe('date');
      // URL;VALUE=URI comes back with its parameter.
      const url = start!.url as unknown as string | { val: string };
      expect(typeof url === 'string' ? url : url.val).toBe(
        `${ORIGIN}${REMINDER_PATHS[entry.kind]}`,
      );
      expect(String(start!.description)).toContain(`${ORIGIN}${REMINDER_PATHS[entry.kind]}`);
    }
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    expect(events.some((e) => /uppföljningssamtal att göra/.test(String(e.summary)))).toBe(true);

    const secrets = await personalData(database.db);
    expect(leaks(text, secrets)).toEqual([]);
    // Nor inside another word: no identity number, no full name.
    expect(secrets.filter((s) => /[\d ]/.test(s) && text.includes(s))).toEqual([]);
    const audit = await database.db
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'kalender_hamtad')
      .executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ poster: expected.length });
  });

  it('answers 404 with no hint once revoked, replaced, or for a secret never made', async () => {
    const utforare = await caller('utforare');
    const first = await utforare.reminders.createCalendarFeed();
    expect((await fetchFeed(first.path)).status).toBe(200);
    const second = await utforare.reminders.createCalendarFeed();
    const gone = await fetchFeed(first.path);
    expect(gone.status).toBe(404);
    const goneBody = await gone.text();
    expect((await fetchFeed(second.path)).status).toBe(200);

    expect(await utforare.reminders.revokeCalendarFeed()).toEqual({ revoked: true });
    expect((await utforare.reminders.get()).calendarCreatedAt).toBeNull();
    for (const path of [
      second.path,
      `/api/calendar/${'a'.repeat(32)}.ics`,
      '/api/calendar/nonsense.ics',
      `/api/calendar/${'a'.repeat(5000)}.ics`,
    ]) {
      const response = await fetchFeed(path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).toBe(goneBody);
    }
    expect(await utforare.reminders.revokeCalendarFeed()).toEqual({ revoked: false });
  });

  it('stops with the user: a deactivated user’s feed is gone', async () => {
    const rapportor = await caller('rapportor');
    const feed = await rapportor.reminders.createCalendarFeed();
    expect((await fetchFeed(feed.path)).status).toBe(200);
    await database.db
      .updateTable('appUser')
      .set({ active: false })
      .where('id', '=', userId('rapportor'))
      .execute();
    expect((await fetchFeed(feed.path)).status).toBe(404);
  });

  it('is not made for a role without reminders', async () => {
    const admin = await caller('admin');
    await expect(admin.reminders.createCalendarFeed()).rejects.toThrow(
      /inga påminnelser för din roll/,
    );
  });
});

/** The day of a parsed all-day start (node-ical gives midnight local time for a DATE). */
function localDate(start: Date): string {
  const d = new Date(start);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
