import { type FormEvent, useEffect, useState } from 'react';
import { api, errorMessage } from '../api/client';
import { type Me, useServices } from '../app/context';
import { clearLocalDb } from '../local/db';
import { adoptUser, unsentCount } from './session';

/**
 * The sign-in form. When the session ended with changes still unsent, signing in as the same user
 * sends them; another user must first choose to throw them away.
 */
export function SignIn({
  previous,
  onSignedIn,
}: {
  previous: Me | null;
  onSignedIn: (me: Me) => void;
}) {
  const { db, engine } = useServices();
  const [username, setUsername] = useState(previous?.username ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [unsent, setUnsent] = useState(0);
  const [blocked, setBlocked] = useState<Me | null>(null);

  useEffect(() => {
    void unsentCount(db).then(setUnsent);
  }, [db]);

  async function finish(me: Me) {
    await adoptUser(db, me);
    engine.signedIn();
    onSignedIn(me);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await api.auth.login.mutate({ username, password });
      const me = await api.auth.me.query();
      if (!me) throw new Error('Inloggningen gick inte igenom. Försök igen.');
      if (previous && previous.id !== me.id && unsent > 0) setBlocked(me);
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
          På den här enheten finns {unsent} {unsent === 1 ? 'ändring' : 'ändringar'} från{' '}
          {previous.displayName} som inte har skickats. Logga in som {previous.displayName} för att
          skicka dem, eller ta bort dem och fortsätt som {blocked.displayName}.
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
      {previous && unsent > 0 && (
        <p className="notice" role="status">
          Du har {unsent} {unsent === 1 ? 'ändring' : 'ändringar'} som väntar på att skickas. Logga
          in igen så skickas de.
        </p>
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
