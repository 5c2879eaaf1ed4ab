import { api } from '../api/client';
import { getMeta, type LocalDb } from '../local/db';
import type { SyncEngine } from './engine';

const EVERY_MS = 60_000;
const MINUTE_MS = 60_000;
/** The minute sync runs only while the user has done something this recently. */
export const ACTIVE_WINDOW_MS = 2 * MINUTE_MS;
/**
 * How long after the server's idle time the app checks whether the session has ended: the last
 * automatic sync came at most {@link ACTIVE_WINDOW_MS} after the last input.
 */
export const IDLE_CHECK_MARGIN_MS = ACTIVE_WINDOW_MS + 30_000;
const DEFAULT_IDLE_MINUTES = 30;

/**
 * When the user last did something, and what that allows. Every request extends the session on the
 * server, so the app's own timers must not: otherwise an open tab would never reach the idle time.
 */
export class Activity {
  private lastInput: number;
  private lastCheck: number;

  constructor(private readonly now: () => number = Date.now) {
    this.lastInput = now();
    this.lastCheck = this.lastInput;
  }

  /** A key, a tap, the app brought back to the screen. Returns how long the user had been away. */
  input(): number {
    const t = this.now();
    const away = t - this.lastInput;
    this.lastInput = t;
    return away;
  }

  /** The minute sync: only for a user at work, or to send what waits in the outbox. */
  mayAutoSync(pending: number): boolean {
    return pending > 0 || this.now() - this.lastInput < ACTIVE_WINDOW_MS;
  }

  /**
   * Whether to ask the server if the session has ended for idleness: once the idle time (and the
   * margin) has passed since the last input and since the last such question, which itself
   * extends a session that is still alive (another tab in use).
   */
  idleCheckDue(idleMinutes: number): boolean {
    const t = this.now();
    const quiet = idleMinutes * MINUTE_MS + IDLE_CHECK_MARGIN_MS;
    if (t - this.lastInput < quiet || t - this.lastCheck < quiet) return false;
    this.lastCheck = t;
    return true;
  }
}

const INPUT_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * When to sync: as soon as the network returns, when the app comes back to the foreground or the
 * user returns after a pause, and every minute while the user is at work (or something waits to
 * be sent). A signed-out app does nothing (the engine waits for sign-in).
 *
 * Once the user has been away longer than the server's idle time, the app asks the server
 * whether the session has ended and, if so, shows the sign-in screen saying why: an unattended
 * screen does not stay open.
 */
export function startSyncTriggers(engine: SyncEngine, db: LocalDb): () => void {
  const activity = new Activity();
  const online = () => engine.setOnline(true);
  const offline = () => engine.setOnline(false);
  const input = () => {
    if (activity.input() >= ACTIVE_WINDOW_MS) void engine.sync();
  };
  const visible = () => {
    if (document.visibilityState !== 'visible') return;
    activity.input();
    void engine.sync();
  };
  const tick = async () => {
    const state = engine.getState();
    if (activity.mayAutoSync(state.pending)) void engine.sync();
    const idleMinutes = (await getMeta<number>(db, 'idleMinutes')) ?? DEFAULT_IDLE_MINUTES;
    if (state.needsSignIn || !state.online || !activity.idleCheckDue(idleMinutes)) return;
    try {
      const status = await api.auth.status.query();
      if (!status.user && status.sessionEnded) await engine.sessionEnded(status.sessionEnded);
    } catch {
      // Not reachable: the next sync will learn it.
    }
  };
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  document.addEventListener('visibilitychange', visible);
  for (const type of INPUT_EVENTS) {
    window.addEventListener(type, input, { capture: true, passive: true });
  }
  const timer = setInterval(() => void tick(), EVERY_MS);
  return () => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
    document.removeEventListener('visibilitychange', visible);
    for (const type of INPUT_EVENTS) window.removeEventListener(type, input, { capture: true });
    clearInterval(timer);
  };
}
