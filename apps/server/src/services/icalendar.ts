import {
  addDays,
  type CalendarEntry,
  type IsoDate,
  quarterKey,
  REMINDER_PATHS,
  reminderText,
} from '@evb/domain';

/*
 * A small iCalendar (RFC 5545) writer for the private calendar feed: all-day events, one per day
 * and kind of task, whose text is a count and a kind ("3 uppföljningssamtal att göra") and whose
 * link opens the evb screen that lists them. Never a person.
 */

/** TEXT values escape backslash, semicolon, comma and newline (RFC 5545 3.3.11). */
function escapeText(text: string): string {
  return text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets, never inside a UTF-8 character (RFC 5545 3.1). */
function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const basicDate = (date: IsoDate) => date.replaceAll('-', '');

function stamp(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
}

/**
 * The feed of `entries`: `origin` is where evb is opened; `feedId` (not a person, not the secret)
 * makes each event's UID unique to this feed.
 */
export function writeCalendar(
  entries: readonly CalendarEntry[],
  options: { origin: string; feedId: string; now: Date },
): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//evb//Påminnelser//SV',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'X-WR-CALNAME:evb – mina uppgifter',
    'X-WR-TIMEZONE:Europe/Stockholm',
    'REFRESH-INTERVAL;VALUE=DURATION:PT4H',
    'X-PUBLISHED-TTL:PT4H',
  ];
  for (const entry of entries) {
    const url = `${options.origin}${REMINDER_PATHS[entry.kind]}`;
    const period = entry.quarter ? `-${quarterKey(entry.quarter)}` : '';
    lines.push(
      'BEGIN:VEVENT',
      `UID:${entry.date}-${entry.kind}${period}-${options.feedId}@evb`,
      `DTSTAMP:${stamp(options.now)}`,
      `DTSTART;VALUE=DATE:${basicDate(entry.date)}`,
      `DTEND;VALUE=DATE:${basicDate(addDays(entry.date, 1))}`,
      `SUMMARY:${escapeText(reminderText(entry))}`,
      `DESCRIPTION:${escapeText(`Öppna evb: ${url}`)}`,
      `URL;VALUE=URI:${url}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
