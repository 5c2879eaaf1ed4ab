import { type FormEvent, useEffect, useState } from 'react';
import { type AuthStatus, api, errorMessage } from '../api/client';
import { type Me, useServices } from '../app/context';
import { clearLocalDb, getMeta, type SessionEnd } from '../local/db';
import { SecondFactor, type SecondFactorMethod } from './SecondFactor';
import {
  adoptUser,
  rememberPolicy,
  sessionEndedMessage,
  type UnsentWork,
  unsentWork,
  unsentWorkMessage,
} from './session';

const NOTHING: UnsentWork = { outbox: 0, drafts: 0, total: 0 };

type SignInMethods = AuthStatus['signInMethods'];

/**
 * Why a sign-in through the kommun's identity provider was refused, by the `?fel=` code the
 * server sends the browser back with (auth/external-identity.ts on the server). Only these texts
 * are shown: nothing of the URL is.
 */
export const SIGN_IN_REFUSALS: Record<string, string> = {
  'ingen-anvandare':
    'Du har inget aktivt konto i evb. Kontakta den som administrerar evb i kommunen.',
  'identitet-saknas':
    'Inloggningstjänsten skickade inte den uppgift som evb känner igen dig på. Kontakta den som administrerar evb i kommunen.',
  niva: 'Inloggningen var inte tillräckligt stark. Logga in med e-legitimation (till exempel SITHS, BankID eller Freja eID).',
  avbruten: 'Inloggningen avbröts.',
  otillganglig: 'Inloggningstjänsten går inte att nå just nu. Försök igen om en stund.',
  misslyckades: 'Inloggningen kunde inte slutföras. Försök igen.',
};

/** The refusal the address carries, once: it is taken off the address so a reload is clean. */
function takeRefusal(): string | null {
  const params = new URLSearchParams(window.location.search);
  const code = params.get('fel');
  if (code === null) return null;
  params.delete('fel');
  const rest = params.toString();
  window.history.replaceState(
    window.history.state,
    '',
    `${window.location.pathname}${rest ? `?${rest}` : ''}`,
  );
  return Object.hasOwn(SIGN_IN_REFUSALS, code)
    ? (SIGN_IN_REFUSALS[code] as string)
    : 'Inloggningen kunde inte slutföras. Försök igen.';
}

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
  /** `mfaEnrolment`: the kommun requires a second factor and this user has none yet. */
  onSignedIn: (me: Me, options?: { mfaEnrolment: boolean }) => void;
}) {
  const { db, engine } = useServices();
  const [username, setUsername] = useState(previous?.username ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [work, setWork] = useState<UnsentWork>(NOTHING);
  const [limits, setLimits] = useState<{ idleMinutes?: number; maxHours?: number }>({});
  const [blocked, setBlocked] = useState<Me | null>(other ?? null);
  // Set when the session the server gave is for adding a second factor only (the MFA policy).
  const [mfaEnrolment, setMfaEnrolment] = useState(false);
  // The second step, after a right password, for a user with a second factor.
  const [secondFactor, setSecondFactor] = useState<readonly SecondFactorMethod[] | null>(null);
  const [refusal] = useState(takeRefusal);
  // Unknown until the server answers (offline: the password form, as before).
  const [methods, setMethods] = useState<SignInMethods | null>(null);

  useEffect(() => {
    let current = true;
    Promise.resolve()
      .then(() => api.auth.status.query())
      .then(
        (status) => current && setMethods(status?.signInMethods ?? null),
        () => current && setMethods(null),
      );
    return () => {
      current = false;
    };
  }, []);

  useEffect(() => {
    void unsentWork(db).then(setWork);
    void Promise.all([getMeta<number>(db, 'idleMinutes'), getMeta<number>(db, 'maxHours')]).then(
      ([idleMinutes, maxHours]) => setLimits({ idleMinutes, maxHours } as typeof limits),
    );
  }, [db]);

  async function finish(me: Me, enrolmentOnly = mfaEnrolment) {
    await adoptUser(db, me);
    // An enrolment-only session may not sync: the engine starts once a factor is added.
    if (!enrolmentOnly) engine.signedIn(me.id);
    onSignedIn(me, { mfaEnrolment: enrolmentOnly });
  }

  /** After the password (and the second step, when there is one): who the server says is signed in. */
  async function afterSignIn() {
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
    const enrolmentOnly = status.mfaEnrolmentRequired === true;
    setMfaEnrolment(enrolmentOnly);
    const held = await unsentWork(db);
    setWork(held);
    if (previous && previous.id !== me.id && held.total > 0) setBlocked(me);
    else await finish(me, enrolmentOnly);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const answer = await api.auth.login.mutate({ username, password });
      if ('secondFactor' in answer && answer.secondFactor) {
        setSecondFactor(answer.secondFactor.methods);
        return;
      }
      await afterSignIn();
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
              setSecondFactor(null);
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

  if (secondFactor) {
    return (
      <main className="wrap narrow">
        <h1>Logga in i evb</h1>
        <SecondFactor
          methods={secondFactor}
          onVerified={afterSignIn}
          onCancel={(message) => {
            // Back to the password step; the pending sign-in on the server simply runs out.
            setSecondFactor(null);
            setPassword('');
            setError(message ?? null);
          }}
        />
      </main>
    );
  }

  const identityProvider = Boolean(methods?.oidc || methods?.saml);
  const passwordForm = (
    <PasswordForm
      submit={submit}
      username={username}
      setUsername={setUsername}
      password={password}
      setPassword={setPassword}
      error={error}
      busy={busy}
    />
  );

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
      {refusal && (
        <p className="error" role="alert">
          {refusal}
        </p>
      )}
      {identityProvider && (
        <div className="actions sign-in-idp">
          {methods?.oidc && (
            <a className="button button-primary" href="/api/auth/oidc/login">
              Logga in med e-legitimation
            </a>
          )}
          {methods?.saml && (
            <a
              className={`button ${methods.oidc ? 'button-secondary' : 'button-primary'}`}
              href="/api/auth/saml/login"
            >
              {methods.oidc ? 'Logga in med e-legitimation (SAML)' : 'Logga in med e-legitimation'}
            </a>
          )}
        </div>
      )}
      {identityProvider ? (
        <details
          className="sign-in-password"
          open={Boolean(ended || previous) && methods?.localPasswords}
        >
          <summary>
            {methods?.localPasswords
              ? 'Logga in med lösenord'
              : 'Logga in med lösenord (nödåtkomst för utsedda administratörer)'}
          </summary>
          {passwordForm}
        </details>
      ) : (
        passwordForm
      )}
    </main>
  );
}

function PasswordForm({
  submit,
  username,
  setUsername,
  password,
  setPassword,
  error,
  busy,
}: {
  submit: (event: FormEvent) => void;
  username: string;
  setUsername: (value: string) => void;
  password: string;
  setPassword: (value: string) => void;
  error: string | null;
  busy: boolean;
}) {
  return (
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
