import { EVENT_TYPE_LABELS } from '@evb/domain';
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useServices, useSyncState } from '../app/context';
import { formatDate, formatTime } from '../format/format';
import { HealthStatus } from '../HealthStatus';
import type { OutboxItem } from '../local/db';
import { saveDraft } from '../local/drafts';
import { useCases } from '../local/hooks';
import {
  PERSISTENCE_TEXT,
  type Persistence,
  persistence,
  requestPersistence,
} from '../local/storage';

/**
 * What is on its way to the server. A refused item can be fixed (it goes back into its form as a
 * draft, with the refusal shown) or thrown away; nothing is dropped without the user's choice.
 */
export function SyncPage() {
  const { db, engine } = useServices();
  const sync = useSyncState();
  const cases = useCases();
  const [, navigate] = useLocation();
  const [pending, setPending] = useState<OutboxItem[] | null>(null);
  const [stored, setStored] = useState<Persistence | null>(null);

  useEffect(() => {
    void persistence().then(setStored);
  }, []);

  const names = new Map(
    (cases.data ?? []).map((c) => [
      c.decision.id,
      `${c.decision.person.fornamn} ${c.decision.person.efternamn}`,
    ]),
  );

  async function fix(item: OutboxItem) {
    const { id: _id, decisionId, type, recordedAt: _at, ...fields } = item.mutation.event;
    await saveDraft(
      db,
      type,
      decisionId,
      Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])),
    );
    await engine.discard(item.id);
    navigate(`/beslut/${decisionId}`);
  }

  return (
    <>
      <h1>Synkronisering</h1>
      <dl className="facts">
        <div>
          <dt>Anslutning</dt>
          <dd>{sync.online ? 'Ansluten' : 'Offline'}</dd>
        </div>
        <div>
          <dt>Väntar på att skickas</dt>
          <dd>{sync.pending}</dd>
        </div>
        <div>
          <dt>Senast synkad</dt>
          <dd>{sync.lastSyncAt ? formatTime(sync.lastSyncAt) : 'Inte ännu'}</dd>
        </div>
        <div>
          <dt>Lagring på enheten</dt>
          <dd>{stored ? PERSISTENCE_TEXT[stored].label : 'Kontrolleras…'}</dd>
        </div>
      </dl>
      {stored && (
        <div className="storage-status">
          <p id="lagring-forklaring">{PERSISTENCE_TEXT[stored].meaning}</p>
          {stored === 'not-granted' && (
            <button
              type="button"
              className="button-secondary"
              onClick={() => void requestPersistence().then(setStored)}
            >
              Be webbläsaren om beständig lagring
            </button>
          )}
        </div>
      )}
      <HealthStatus />
      {sync.error && <p className="error">{sync.error}</p>}
      <div className="actions">
        <button
          type="button"
          className="button-primary"
          disabled={!sync.online || sync.syncing}
          onClick={() => void engine.sync()}
        >
          {sync.syncing ? 'Synkar…' : 'Synka nu'}
        </button>
        <button
          type="button"
          className="button-secondary"
          onClick={() =>
            void db.getAll('outbox').then((all) => setPending(all.filter((i) => !i.rejected)))
          }
        >
          Visa det som väntar
        </button>
      </div>

      <section aria-labelledby="refused-h">
        <h2 id="refused-h">Togs inte emot</h2>
        {sync.rejected.length === 0 ? (
          <p>Inget – allt du har skickat har tagits emot eller väntar på att skickas.</p>
        ) : (
          <ul className="cards">
            {sync.rejected.map((item) => {
              const e = item.mutation.event;
              return (
                <li key={item.id} className="card card-urgent">
                  <h3 className="card-title">
                    {EVENT_TYPE_LABELS[e.type]} {formatDate(e.date)}
                  </h3>
                  <p className="card-meta">
                    <Link href={`/beslut/${e.decisionId}`}>
                      {names.get(e.decisionId) ?? 'Beslutet'}
                    </Link>
                  </p>
                  <p className="error">Servern svarade: {item.rejected?.reason}</p>
                  <div className="actions">
                    <button type="button" className="button-primary" onClick={() => void fix(item)}>
                      Ändra och skicka igen
                    </button>
                    <button
                      type="button"
                      className="button-danger"
                      onClick={() => void engine.discard(item.id)}
                    >
                      Ta bort
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      {pending && (
        <section aria-labelledby="pending-h">
          <h2 id="pending-h">Väntar på att skickas</h2>
          {pending.length === 0 ? (
            <p>Inget väntar.</p>
          ) : (
            <ul>
              {pending.map((item) => (
                <li key={item.id}>
                  {EVENT_TYPE_LABELS[item.mutation.event.type]}{' '}
                  {formatDate(item.mutation.event.date)} –{' '}
                  {names.get(item.mutation.event.decisionId) ?? 'beslut'} (sparad{' '}
                  {formatTime(item.createdAt)})
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
