import { useMemo } from 'react';
import { Link } from 'wouter';
import { swedishClock, useSyncState } from '../app/context';
import { formatTime } from '../format/format';

/** Always visible: online or not, what waits to be sent, the last sync, and refused items. */
export function SyncBar() {
  const s = useSyncState();
  const refused = s.rejected.length;
  // The bar re-renders on every step of a sync; the time's formatting (Intl) only when it changes.
  // Today's time without Intl (its time zone data is slow to load on a phone's first screen).
  const lastSync = useMemo(() => s.lastSyncAt && lastSyncText(s.lastSyncAt), [s.lastSyncAt]);
  return (
    <div className={`sync-bar ${s.online ? 'is-online' : 'is-offline'}`}>
      <div className="wrap sync-bar-inner" role="status" aria-live="polite">
        <span className="sync-dot" aria-hidden="true" />
        <span>{s.online ? 'Ansluten' : 'Offline'}</span>
        <span>
          {s.pending === 0
            ? 'Allt är skickat'
            : `${s.pending} ${s.pending === 1 ? 'ändring väntar' : 'ändringar väntar'} på att skickas`}
        </span>
        {lastSync && <span>Senast synkad {lastSync}</span>}
        {s.fetching ? (
          <span>
            Hämtar beslut: {s.fetching.done.toLocaleString('sv-SE')} av{' '}
            {s.fetching.total.toLocaleString('sv-SE')}
          </span>
        ) : (
          s.syncing && <span>Synkar…</span>
        )}
        {refused > 0 && (
          <Link href="/synk" className="sync-problem">
            {refused} {refused === 1 ? 'ändring togs inte emot' : 'ändringar togs inte emot'} –
            åtgärda
          </Link>
        )}
        {s.error && s.online && <span className="sync-error">{s.error}</span>}
      </div>
    </div>
  );
}

/** "i dag 14:05" for a sync today; otherwise as formatTime says it ("i går 09:12", "12 nov. 14:05"). */
export function lastSyncText(iso: string, now = new Date()): string {
  const at = swedishClock(new Date(iso));
  return at.slice(0, 10) === swedishClock(now).slice(0, 10)
    ? `i dag ${at.slice(11, 16)}`
    : formatTime(iso, now);
}
