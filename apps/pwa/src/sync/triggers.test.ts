import { describe, expect, it } from 'vitest';
import { ACTIVE_WINDOW_MS, Activity, IDLE_CHECK_MARGIN_MS } from './triggers';

const MINUTE = 60_000;

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('Activity: the app’s own timers do not keep an idle session alive', () => {
  it('syncs every minute only while the user is at work, or while something waits to be sent', () => {
    const c = clock();
    const activity = new Activity(c.now);
    expect(activity.mayAutoSync(0)).toBe(true);
    c.advance(ACTIVE_WINDOW_MS);
    expect(activity.mayAutoSync(0)).toBe(false);
    expect(activity.mayAutoSync(1)).toBe(true);
    expect(activity.input()).toBe(ACTIVE_WINDOW_MS);
    expect(activity.mayAutoSync(0)).toBe(true);
  });

  it('asks the server about the session once the idle time and the margin have passed, then not again for as long', () => {
    const c = clock();
    const activity = new Activity(c.now);
    c.advance(30 * MINUTE);
    expect(activity.idleCheckDue(30)).toBe(false);
    c.advance(IDLE_CHECK_MARGIN_MS);
    expect(activity.idleCheckDue(30)).toBe(true);
    c.advance(MINUTE);
    expect(activity.idleCheckDue(30)).toBe(false);
    c.advance(30 * MINUTE + IDLE_CHECK_MARGIN_MS);
    expect(activity.idleCheckDue(30)).toBe(true);
  });

  it('an input starts the wait over', () => {
    const c = clock();
    const activity = new Activity(c.now);
    c.advance(29 * MINUTE);
    activity.input();
    c.advance(30 * MINUTE);
    expect(activity.idleCheckDue(30)).toBe(false);
    c.advance(IDLE_CHECK_MARGIN_MS);
    expect(activity.idleCheckDue(30)).toBe(true);
  });
});
