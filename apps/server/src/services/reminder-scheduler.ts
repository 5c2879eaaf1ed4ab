import { todayInStockholm } from '@evb/domain';
import type { Db } from '../db/database';
import { logError } from '../logging';
import { type DigestRun, type Mailer, sendDigests } from './reminder-digests';
import type { PushSender } from './reminder-push';

/*
 * The server's own schedule for the e-mail digests: a timer checks once a minute whether the
 * reminder hour (REMINDER_HOUR, Europe/Stockholm) has come today and today's run is not done; then
 * it sends today's digests (sendDigests: only on working days, each user's once a day across
 * servers). A run that fails is tried again at the next check.
 */

const CHECK_EVERY_MS = 60 * 1000;

/** The hour (0–23) of `now` in Europe/Stockholm. */
export function stockholmHour(now: Date): number {
  const hour = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Stockholm',
    hour: '2-digit',
    hourCycle: 'h23',
  }).format(now);
  return Number(hour);
}

export type ReminderScheduler = {
  /** Checks now, as the timer does; resolves with the run, or null when there was none. */
  check(): Promise<DigestRun | null>;
  stop(): void;
};

export function startReminderScheduler(deps: {
  db: Db;
  /** Null: no e-mail, only push. */
  mailer: Mailer | null;
  /** The push reminders, sent in the same run; null or unset: none. */
  push?: PushSender | null;
  origin: string;
  hour: number;
  now?: () => Date;
  /** Whether to start the timer (tests call `check` themselves); default true. */
  timer?: boolean;
}): ReminderScheduler {
  const now = deps.now ?? (() => new Date());
  let doneDay: string | null = null;
  let running: Promise<DigestRun | null> | null = null;

  async function run(): Promise<DigestRun | null> {
    const at = now();
    const day = todayInStockholm(at);
    if (doneDay === day || stockholmHour(at) < deps.hour) return null;
    try {
      const result = await sendDigests({
        db: deps.db,
        mailer: deps.mailer,
        push: deps.push ?? null,
        origin: deps.origin,
        now: at,
      });
      const pushSent = result.push?.sent ?? 0;
      const pushFailed = result.push?.failed ?? 0;
      if (result.failed === 0 && pushFailed === 0) doneDay = day;
      if (result.sent > 0 || result.failed > 0 || pushSent > 0 || pushFailed > 0) {
        console.log(
          JSON.stringify({
            level: 'info',
            time: at.toISOString(),
            event: 'reminder digests',
            ...result,
          }),
        );
      }
      return result;
    } catch (error) {
      logError('reminder digests failed', error);
      return null;
    }
  }

  function check(): Promise<DigestRun | null> {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  }

  const timer = deps.timer === false ? null : setInterval(() => void check(), CHECK_EVERY_MS);
  timer?.unref();
  return {
    check,
    stop() {
      if (timer) clearInterval(timer);
      deps.mailer?.close();
    },
  };
}
