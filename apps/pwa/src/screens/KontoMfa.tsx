import {
  type PublicKeyCredentialCreationOptionsJSON,
  startRegistration,
} from '@simplewebauthn/browser';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { api, errorMessage, type RouterOutputs } from '../api/client';
import { useMe } from '../app/context';
import { totpCodeProblem } from '../auth/SecondFactor';
import { webAuthnFailure } from '../auth/webauthn-errors';
import { QrCode } from '../components/QrCode';
import { formatTime } from '../format/format';
import { refusalOf } from './admin-form';
import { describeFactors, downloadText, groupSecret, recoveryCodesFile } from './mfa-view';

type MfaStatus = RouterOutputs['mfa']['status'];

export const MFA_STATUS_KEY = ['mfa-status'];

/** A failed call's sentence: the server's words, or why it could not be reached. */
function failure(e: unknown): string {
  return e instanceof Error && !('data' in e) ? e.message : refusalOf(e);
}

/**
 * Two-step verification for a user who signs in with a password (Mitt konto): an app for one-time
 * codes (TOTP, by QR code or the secret typed in), passkeys, and one-time recovery codes shown
 * once when made. Shown only when it applies (a session from the kommun's identity provider gets
 * its strength there). In `enrolment` mode (the kommun requires it and the user has none) it is
 * the whole app: `onEnrolled` carries on once a factor is added and its recovery codes are seen.
 */
export function KontoMfa({
  enrolment = false,
  onEnrolled,
}: {
  enrolment?: boolean;
  onEnrolled?: () => void;
}) {
  const id = useId();
  const client = useQueryClient();
  const status = useQuery({ queryKey: MFA_STATUS_KEY, queryFn: () => api.mfa.status.query() });
  const [codes, setCodes] = useState<string[] | null>(null);
  const [enrolled, setEnrolled] = useState(false);

  async function added(answer: { recoveryCodes: string[] | null }) {
    await client.invalidateQueries({ queryKey: MFA_STATUS_KEY });
    if (answer.recoveryCodes) setCodes(answer.recoveryCodes);
    if (enrolment) {
      setEnrolled(true);
      if (!answer.recoveryCodes) onEnrolled?.();
    }
  }

  if (status.isPending) {
    return (
      <p role="status">
        {status.fetchStatus === 'paused'
          ? 'Tvåstegsverifieringen visas när du är ansluten igen.'
          : 'Hämtar tvåstegsverifieringen…'}
      </p>
    );
  }
  if (status.isError) {
    return (
      <p className="notice notice-danger" role="alert">
        Tvåstegsverifieringen kunde inte hämtas. {errorMessage(status.error)}
      </p>
    );
  }
  const mfa = status.data;
  if (!mfa.applies) return null;
  const on = mfa.totp || mfa.passkeys.length > 0;

  return (
    <section aria-labelledby={`${id}-h`} className="admin-section mfa">
      <h2 id={`${id}-h`}>Tvåstegsverifiering</h2>
      <p>
        När du loggar in med lösenord bekräftar du det också med en nyckel (till exempel datorns
        eller telefonens upplåsning) eller med en kod från en app för engångskoder.
      </p>
      <p>
        <strong>
          {on
            ? `Påslagen: ${describeFactors({ totp: mfa.totp, passkeys: mfa.passkeys.length }).toLocaleLowerCase('sv')}.`
            : 'Avstängd.'}
        </strong>{' '}
        {mfa.required && 'Kommunen kräver tvåstegsverifiering för konton med lösenord.'}
      </p>
      {codes && (
        <RecoveryCodes
          codes={codes}
          onDone={() => {
            setCodes(null);
            if (enrolment && enrolled) onEnrolled?.();
          }}
          doneLabel={enrolment ? 'Jag har sparat koderna – fortsätt' : 'Jag har sparat koderna'}
        />
      )}
      {!codes && (
        <>
          <TotpPart mfa={mfa} onAdded={added} />
          <PasskeyPart mfa={mfa} onAdded={added} />
          {on && <RecoveryPart mfa={mfa} onCreated={setCodes} />}
        </>
      )}
    </section>
  );
}

type Added = (answer: { recoveryCodes: string[] | null }) => Promise<void>;

function TotpPart({ mfa, onAdded }: { mfa: MfaStatus; onAdded: Added }) {
  const id = useId();
  const client = useQueryClient();
  const [pending, setPending] = useState<{ uri: string; secret: string } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const stepRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (pending) stepRef.current?.focus();
  }, [pending]);

  async function start() {
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      setPending(await api.mfa.startTotp.mutate());
      setCode('');
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(false);
    }
  }

  async function confirm(event: FormEvent) {
    event.preventDefault();
    const problem = totpCodeProblem(code);
    if (problem) {
      setError(problem);
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const answer = await api.mfa.confirmTotp.mutate({ code: code.replace(/\s/g, '') });
      setPending(null);
      setDone('Appen för engångskoder är tillagd.');
      await onAdded(answer);
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={`${id}-h`} className="mfa-part">
      <h3 id={`${id}-h`}>App för engångskoder</h3>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {mfa.totp ? (
        removing ? (
          <PasswordConfirm
            title="Ta bort appen för engångskoder?"
            action="Ta bort appen"
            onCancel={() => setRemoving(false)}
            onConfirm={async (password) => {
              await api.mfa.removeTotp.mutate({ password });
              setRemoving(false);
              setDone('Appen för engångskoder är borttagen.');
              await client.invalidateQueries({ queryKey: MFA_STATUS_KEY });
            }}
          />
        ) : (
          <>
            <p>Inlagd. Du kan logga in med en kod från appen.</p>
            <div className="actions">
              <button
                type="button"
                className="button-secondary"
                onClick={() => {
                  setDone(null);
                  setRemoving(true);
                }}
              >
                Ta bort appen…
              </button>
            </div>
          </>
        )
      ) : pending ? (
        <div className="mfa-enrol">
          <h4 id={`${id}-step`} ref={stepRef} tabIndex={-1}>
            Lägg in evb i appen
          </h4>
          <ol>
            <li>
              Öppna appen för engångskoder i telefonen (till exempel Microsoft Authenticator eller
              Google Authenticator) och välj att lägga till ett konto.
            </li>
            <li>Skanna QR-koden, eller skriv in nyckeln under den.</li>
            <li>Skriv koden som appen visar och välj Bekräfta.</li>
          </ol>
          <QrCode text={pending.uri} label="QR-kod att skanna med appen för engångskoder" />
          <p>
            Nyckel att skriva in: <code className="mfa-secret">{groupSecret(pending.secret)}</code>
          </p>
          <form className="form" onSubmit={confirm} noValidate>
            <div className="field">
              <label htmlFor={`${id}-code`}>Kod från appen</label>
              <input
                id={`${id}-code`}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={20}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            </div>
            <Alert id={`${id}-error`} error={error} />
            <div className="actions">
              <button type="submit" className="button-primary" disabled={busy}>
                {busy ? 'Kontrollerar…' : 'Bekräfta'}
              </button>
              <button
                type="button"
                className="button-secondary"
                onClick={() => {
                  setPending(null);
                  setError(null);
                }}
              >
                Avbryt
              </button>
            </div>
          </form>
        </div>
      ) : (
        <>
          <p>Appen visar en ny kod var 30:e sekund, även utan nät.</p>
          <Alert error={error} />
          <div className="actions">
            <button
              type="button"
              className="button-secondary"
              disabled={busy}
              onClick={() => void start()}
            >
              Lägg till app för engångskoder
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function PasskeyPart({ mfa, onAdded }: { mfa: MfaStatus; onAdded: Added }) {
  const id = useId();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function add(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError('Ge nyckeln ett namn, till exempel Jobbdatorn.');
      return;
    }
    if (trimmed.length > 60) {
      setError('Namnet får vara högst 60 tecken.');
      return;
    }
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      // As sent (JSON); tRPC's inferred type of the prf extension's buffers is not the DOM's.
      const optionsJSON =
        (await api.mfa.passkeyRegistrationOptions.mutate()) as unknown as PublicKeyCredentialCreationOptionsJSON;
      let response: Awaited<ReturnType<typeof startRegistration>>;
      try {
        response = await startRegistration({ optionsJSON });
      } catch (e) {
        throw new Error(webAuthnFailure(e, 'register'));
      }
      const answer = await api.mfa.registerPasskey.mutate({ name: trimmed, response });
      setName('');
      setDone(`Nyckeln ”${trimmed}” är tillagd.`);
      await onAdded(answer);
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(false);
    }
  }

  const removed = mfa.passkeys.find((k) => k.id === removing);
  return (
    <section aria-labelledby={`${id}-h`} className="mfa-part">
      <h3 id={`${id}-h`}>Nycklar</h3>
      <p>
        En nyckel (passkey) finns i datorn, telefonen eller en säkerhetsnyckel, och du låser upp den
        med till exempel fingeravtryck eller pinkod.
      </p>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {mfa.passkeys.length === 0 ? (
        <p className="empty">Du har inga nycklar.</p>
      ) : (
        <ul className="mfa-keys">
          {mfa.passkeys.map((key) => (
            <li key={key.id}>
              <strong>{key.name}</strong>{' '}
              <span className="hint">
                tillagd {formatTime(key.createdAt)}
                {key.lastUsedAt ? `, senast använd ${formatTime(key.lastUsedAt)}` : ', inte använd'}
              </span>{' '}
              {removing !== key.id && (
                <button
                  type="button"
                  className="button-link"
                  aria-label={`Ta bort nyckeln ${key.name}`}
                  onClick={() => {
                    setDone(null);
                    setRemoving(key.id);
                  }}
                >
                  Ta bort…
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {removed && (
        <PasswordConfirm
          title={`Ta bort nyckeln ”${removed.name}”?`}
          action="Ta bort nyckeln"
          onCancel={() => setRemoving(null)}
          onConfirm={async (password) => {
            await api.mfa.removePasskey.mutate({ id: removed.id, password });
            setRemoving(null);
            setDone(`Nyckeln ”${removed.name}” är borttagen.`);
            await client.invalidateQueries({ queryKey: MFA_STATUS_KEY });
          }}
        />
      )}
      <form className="form" onSubmit={add} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>Namn på nyckeln</label>
          <p className="hint" id={`${id}-name-hint`}>
            Så att du känner igen den, till exempel Jobbdatorn. Högst 60 tecken.
          </p>
          <input
            id={`${id}-name`}
            maxLength={60}
            autoComplete="off"
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-name-hint${error ? ` ${id}-error` : ''}`}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <Alert id={`${id}-error`} error={error} />
        <div className="actions">
          <button type="submit" className="button-secondary" disabled={busy}>
            {busy ? 'Lägger till…' : 'Lägg till nyckel'}
          </button>
        </div>
      </form>
    </section>
  );
}

function RecoveryPart({
  mfa,
  onCreated,
}: {
  mfa: MfaStatus;
  onCreated: (codes: string[]) => void;
}) {
  const id = useId();
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const left = mfa.recoveryCodesLeft;
  return (
    <section aria-labelledby={`${id}-h`} className="mfa-part">
      <h3 id={`${id}-h`}>Återställningskoder</h3>
      <p>
        Om du inte har nyckeln eller telefonen med dig kan du logga in med en återställningskod.
        Varje kod fungerar en gång.{' '}
        <strong>
          {left === 0
            ? 'Du har inga oanvända koder kvar.'
            : `Du har ${left} oanvänd${left === 1 ? '' : 'a'} ${left === 1 ? 'kod' : 'koder'} kvar.`}
        </strong>
      </p>
      {asking ? (
        <PasswordConfirm
          title="Skapa nya återställningskoder?"
          text="De koder du har nu slutar att gälla."
          action="Skapa nya koder"
          onCancel={() => setAsking(false)}
          onConfirm={async (password) => {
            const answer = await api.mfa.regenerateRecoveryCodes.mutate({ password });
            setAsking(false);
            onCreated(answer.recoveryCodes);
            await client.invalidateQueries({ queryKey: MFA_STATUS_KEY });
          }}
        />
      ) : (
        <div className="actions">
          <button type="button" className="button-secondary" onClick={() => setAsking(true)}>
            Skapa nya återställningskoder…
          </button>
        </div>
      )}
    </section>
  );
}

/** New recovery codes, shown this once: copy, download as .txt, then confirm they are saved. */
function RecoveryCodes({
  codes,
  onDone,
  doneLabel,
}: {
  codes: string[];
  onDone: () => void;
  doneLabel: string;
}) {
  const id = useId();
  const me = useMe();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => heading.current?.focus(), []);
  const text = recoveryCodesFile(me.username, codes, new Date());
  return (
    <section aria-labelledby={`${id}-h`} className="notice mfa-codes">
      <h3 id={`${id}-h`} ref={heading} tabIndex={-1}>
        Dina återställningskoder
      </h3>
      <p>
        <strong>Koderna visas bara nu.</strong> Spara dem på ett säkert ställe, till exempel skriv
        ut dem eller spara filen. Med en kod kan du logga in om du inte har nyckeln eller appen.
        Varje kod fungerar en gång.
      </p>
      <ul className="mfa-code-list" aria-label="Återställningskoder">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p role="status">{copied}</p>
      <div className="actions">
        <button
          type="button"
          className="button-secondary"
          onClick={() => {
            navigator.clipboard?.writeText(codes.join('\n')).then(
              () => setCopied('Koderna är kopierade.'),
              () => setCopied('Koderna kunde inte kopieras. Ladda ner dem i stället.'),
            );
          }}
        >
          Kopiera
        </button>
        <button
          type="button"
          className="button-secondary"
          onClick={() => downloadText('evb-aterstallningskoder.txt', text)}
        >
          Ladda ner
        </button>
        <button type="button" className="button-primary" onClick={onDone}>
          {doneLabel}
        </button>
      </div>
    </section>
  );
}

/** A change that needs the password again (removing a factor, new recovery codes). */
function PasswordConfirm({
  title,
  text,
  action,
  onConfirm,
  onCancel,
}: {
  title: string;
  text?: ReactNode;
  action: string;
  onConfirm: (password: string) => Promise<void>;
  onCancel: () => void;
}) {
  const id = useId();
  const me = useMe();
  const heading = useRef<HTMLHeadingElement>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => heading.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!password) {
      setError('Skriv ditt lösenord.');
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await onConfirm(password);
    } catch (e) {
      setError(failure(e));
      setBusy(false);
    }
  }

  return (
    <section className="notice admin-confirm" aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`} ref={heading} tabIndex={-1}>
        {title}
      </h4>
      {text && <p>{text}</p>}
      <form className="form" onSubmit={submit} noValidate>
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={me.username}
          readOnly
          hidden
        />
        <div className="field">
          <label htmlFor={`${id}-pw`}>Ditt lösenord</label>
          <input
            id={`${id}-pw`}
            type="password"
            autoComplete="current-password"
            maxLength={200}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <Alert id={`${id}-error`} error={error} />
        <div className="actions">
          <button type="submit" className="button-danger" disabled={busy}>
            {action}
          </button>
          <button type="button" className="button-secondary" onClick={onCancel}>
            Avbryt
          </button>
        </div>
      </form>
    </section>
  );
}

/** An error said at once to screen readers (the region is there before the text is). */
function Alert({ id, error }: { id?: string; error: string | null }) {
  return (
    <div aria-live="assertive">
      {error && (
        <p className="error" id={id} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
