import { type FormEvent, useEffect, useState } from 'react';
import { api, errorMessage } from '../api/client';
import { type Me, useServices } from '../app/context';
import { clearLocalDb, getMeta, type SessionEnd } from '../local/db';
import {
  adoptUser,
  rememberPolicy,
  sessionEndedMessage,
  type UnsentWork,
  unsentWork,
  unsentWorkMessage,
} from './session';

const NOTHING: UnsentWork = { outbox: 0, drafts: 0, total: 0 };

/**
 * The sign-in form. When the server ended the session, it says why, with the username filled in.
 * What the user wrote stays on the device: signing in as the same user sends the outbox and keeps
 * the drafts; another user must first choose to throw them away (they are never sent in another
 * user's name).
 */
export function SignIn({
  previous,
  ended = null,
  other,
  onSignedIn,
}: {
  previous: Me | null;
  ended?: SessionEnd | null;
  /** Someone else is already signed in at the server while the device holds previous's work. */
  other?: Me | undefined;
  onSignedIn: (me: Me) => void;
}) {
  const { db, engine } = useServices();
  const [username, setUsername] = useState(previous?.username ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [work, setWork] = useState<UnsentWork>(NOTHING);
  const [limits, setLimits] = useState<{ idleMinutes?: number; maxHours?: number }>({});
  const [blocked, setBlocked] = useState<Me | null>(other ?? null);

  useEffect(() => {
    void unsentWork(db).then(setWork);
    void Promise.all([getMeta<number>(db, 'idleMinutes'), getMeta<number>(db, 'maxHours')]).then(
      ([idleMinutes, maxHours]) => setLimits({ idleMinutes, maxHours } as typeof limits),
    );
  }, [db]);

  async function finish(me: Me) {
    await adoptUser(db, me);
    engine.signedIn(me.id);
    onSignedIn(me);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await api.auth.login.mutate({ username, password });
      const status = await api.auth.status.query();
      const me = status.user;
      // Signed in, yet the next call carries no session: the browser dropped the cookie, which it
      // does for a Secure cookie over plain http anywhere but localhost.
      if (!me && !window.isSecureContext) {
        throw new Error(
          'Inloggningen lyckades men webbläsaren sparade den inte, eftersom evb nås över http. ' +
            'Öppna evb med https (eller på localhost); be den som förvaltar evb om rätt adress.',
        );
      }
      if (!me) throw new Error('Inloggningen gick inte igenom. Försök igen.');
      await rememberPolicy(db, status);
      const held = await unsentWork(db);
      setWork(held);
      if (previous && previous.id !== me.id && held.total > 0) setBlocked(me);
      else await finish(me);
    } catch (e) {
      setError(e instanceof Error && !('data' in e) ? e.message : errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  if (blocked && previous) {
    return (
      <main className="wrap narrow">
        <h1>Osända ändringar</h1>
        <p role="alert">
          På den här enheten finns {describeWork(work)} från {previous.displayName} som inte har
          skickats. Logga in som {previous.displayName} för att skicka dem, eller ta bort dem och
          fortsätt som {blocked.displayName}.
        </p>
        <div className="actions">
          <button
            type="button"
            className="button-danger"
            onClick={async () => {
              await clearLocalDb(db);
              await engine.refresh();
              await finish(blocked);
            }}
          >
            Ta bort ändringarna och fortsätt
          </button>
          <button
            type="button"
            className="button-secondary"
            onClick={async () => {
              await api.auth.logout.mutate().catch(() => undefined);
              setBlocked(null);
              setUsername(previous.username);
              setPassword('');
            }}
          >
            Avbryt
          </button>
        </div>
      </main>
    );
  }

  return (
    <main className="wrap narrow">
      <h1>Logga in i evb</h1>
      <p className="lead">
        Uppföljning och rapportering av ej verkställda beslut enligt SoL och LSS.
      </p>
      {(ended || (previous && work.total > 0)) && (
        <div className="notice" role="status">
          {ended && <p>{sessionEndedMessage(ended.reason, limits)}</p>}
          {previous && unsentWorkMessage(work) && <p>{unsentWorkMessage(work)}</p>}
        </div>
      )}
      <form onSubmit={submit} className="form" noValidate>
        <div className="field">
          <label htmlFor="username">Användarnamn</label>
          <input
            id="username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="password">Lösenord</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? 'Loggar in…' : 'Logga in'}
        </button>
      </form>
    </main>
  );
}

function describeWork(work: UnsentWork): string {
  const parts: string[] = [];
  if (work.outbox > 0) parts.push(`${work.outbox} ${work.outbox === 1 ? 'ändring' : 'ändringar'}`);
  if (work.drafts > 0) {
    parts.push(`${work.drafts} ${work.drafts === 1 ? 'påbörjat formulär' : 'påbörjade formulär'}`);
  }
  return parts.join(' och ');
}
