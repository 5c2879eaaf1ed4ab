import type { SyncEngine } from './engine';

const EVERY_MS = 60_000;

/**
 * When to sync: as soon as the network returns, when the app comes back to the foreground, and
 * every minute while it is open. A signed-out app does nothing (the engine waits for sign-in).
 */
export function startSyncTriggers(engine: SyncEngine): () => void {
  const online = () => engine.setOnline(true);
  const offline = () => engine.setOnline(false);
  const visible = () => {
    if (document.visibilityState === 'visible') void engine.sync();
  };
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  document.addEventListener('visibilitychange', visible);
  const timer = setInterval(() => void engine.sync(), EVERY_MS);
  return () => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
    document.removeEventListener('visibilitychange', visible);
    clearInterval(timer);
  };
}
