import { todayInStockholm } from '@evb/domain';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Context } from 'hono';
import { insertAudit } from '../data/audit';
import { findCalendarFeedUser } from '../data/reminders';
import type { Database } from '../db/database';
import { logError, requestIdOf } from '../logging';
import { writeCalendar } from '../services/icalendar';
import { CALENDAR_SECRET_PATTERN, hashCalendarSecret } from '../services/reminder-settings';
import { calendarOfUser } from '../services/reminders';
import type { ServerClock } from '../trpc/context';

/*
 * `GET /api/calendar/<secret>.ics`: a user's private calendar feed (issue 12), for Outlook and
 * other calendars that subscribe to a URL without signing in. The secret is the only key: an
 * unknown, revoked or malformed one (or a deactivated user's) is a 404 like any unknown path,
 * with no hint. The entries are counts and kinds of task with dates and links; never a person.
 */

const NOT_FOUND = { error: 'Not found' };

export function calendarFeedHandler(deps: {
  database: Database;
  clock: ServerClock;
  publicOrigin: string | null;
}) {
  return async (c: Context) => {
    const file = c.req.param('file') ?? '';
    const secret = file.endsWith('.ics') ? file.slice(0, -4) : '';
    if (!CALENDAR_SECRET_PATTERN.test(secret)) return c.json(NOT_FOUND, 404);
    const db = deps.database.db;
    const hash = hashCalendarSecret(secret);
    const feed = await findCalendarFeedUser(db, hash);
    if (!feed) return c.json(NOT_FOUND, 404);
    const now = deps.clock.now();
    try {
      const entries = await calendarOfUser(db, feed.userId, todayInStockholm(now));
      const origin = deps.publicOrigin ?? new URL(c.req.url).origin;
      // A UID per feed that is neither the user's id nor the secret.
      const feedId = encodeHexLowerCase(sha256(new TextEncoder().encode(hash))).slice(0, 16);
      const body = writeCalendar(entries, { origin, feedId, now });
      await insertAudit(db, {
        userId: feed.userId,
        role: null,
        action: 'kalender_hamtad',
        subjectType: 'anvandare',
        subjectId: feed.userId,
        details: { poster: entries.length },
      });
      c.header('Content-Type', 'text/calendar; charset=utf-8');
      c.header('Content-Disposition', 'inline; filename="evb.ics"');
      c.header('Referrer-Policy', 'no-referrer');
      return c.body(body, 200);
    } catch (error) {
      logError('calendar feed failed', error, {
        path: '/api/calendar/:file',
        userId: feed.userId,
        requestId: requestIdOf(c.req.raw),
      });
      return c.json({ error: 'Internal server error' }, 500);
    }
  };
}
