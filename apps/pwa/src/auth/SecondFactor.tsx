import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { api, errorMessage, errorStatus, fieldErrors } from '../api/client';
import { webAuthnFailure } from './webauthn-errors';

export type SecondFactorMethod = 'totp' | 'passkey' | 'recovery';

/** The server's words when the pending sign-in is gone (expired, or five wrong answers). */
export const SIGN_IN_EXPIRED = 'Inloggningen har gått ut. Logga in igen.';

/** A TOTP code as typed: spaces allowed, six digits. */
export function totpCodeProblem(code: string): string | null {
  const digits = code.replace(/\s/g, '');
  if (digits === '') return 'Skriv koden från appen.';
  if (!/^\d{6}$/.test(digits)) return 'Koden är sex siffror. Skriv den som den står i appen.';
  return null;
}

/** A recovery code as typed: xxxxx-xxxxx, case and the hyphen or space in the middle optional. */
export function recoveryCodeProblem(code: string): string | null {
  const plain = code.replace(/[\s-]/g, '');
  if (plain === '') return 'Skriv en av dina återställningskoder.';
  if (!/^[a-z0-9]{10}$/i.test(plain)) {
    return 'En återställningskod är tio tecken, som xxxxx-xxxxx. Skriv den som den står på listan.';
  }
  return null;
}

export function recoveryCodesLeftMessage(left: number): string {
  if (left === 0) {
    return 'Du har inga återställningskoder kvar. Skapa nya under Mitt konto, Tvåstegsverifiering.';
  }
  const count = left === 1 ? '1 återställningskod' : `${left} återställningskoder`;
  return left <= 3
    ? `Du har ${count} kvar. Skapa gärna nya under Mitt konto, Tvåstegsverifiering.`
    : `Du har ${count} kvar.`;
}

/**
 * The second step of a password sign-in for a user with a second factor: a passkey, a code from
 * the app for one-time codes, or a one-time recovery code. The password step already proved the
 * password; the server keeps that pending for a few minutes (the evb_mfa cookie). `onVerified`
 * carries on as after a sign-in without a second factor; `onCancel` goes back to the password
 * step, with a message when the pending sign-in has run out.
 */
export function SecondFactor({
  methods,
  onVerified,
  onCancel,
}: {
  methods: readonly SecondFactorMethod[];
  onVerified: () => Promise<void>;
  onCancel: (message?: string) => void;
}) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const leftRef = useRef<HTMLHeadingElement>(null);
  const recoveryRef = useRef<HTMLInputElement>(null);
  const [useRecovery, setUseRecovery] = useState(
    () => !methods.includes('totp') && !methods.includes('passkey'),
  );
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [left, setLeft] = useState<number | null>(null);

  // The step replaces the password form: focus goes to its heading so that it is announced.
  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (left !== null) leftRef.current?.focus();
  }, [left]);

  async function attempt(run: () => Promise<void>) {
    setError(null);
    setBusy(true);
    try {
      await run();
    } catch (e) {
      // A refused input (400) names its field; the user needs only the sentence.
      const refused = Object.values(fieldErrors(e)).join(' ');
      const message = e instanceof Error && !('data' in e) ? e.message : refused || errorMessage(e);
      if (errorStatus(e) === 401 && message === SIGN_IN_EXPIRED) onCancel(message);
      else setError(message);
    } finally {
      setBusy(false);
    }
  }

  function submitCode(event: FormEvent) {
    event.preventDefault();
    const problem = totpCodeProblem(code);
    if (problem) {
      setError(problem);
      return;
    }
    void attempt(async () => {
      await api.auth.verifyTotp.mutate({ code: code.replace(/\s/g, '') });
      await onVerified();
    });
  }

  function submitRecovery(event: FormEvent) {
    event.preventDefault();
    const problem = recoveryCodeProblem(recovery);
    if (problem) {
      setError(problem);
      return;
    }
    void attempt(async () => {
      const answer = await api.auth.verifyRecoveryCode.mutate({ code: recovery.trim() });
      setLeft(answer.recoveryCodesLeft);
    });
  }

  function signInWithPasskey() {
    void attempt(async () => {
      // As sent (JSON); tRPC's inferred type of the prf extension's buffers is not the DOM's.
      const optionsJSON =
        (await api.auth.passkeyOptions.mutate()) as unknown as PublicKeyCredentialRequestOptionsJSON;
      let response: AuthenticationResponseJSON;
      try {
        // Loaded when used: the sign-in screen is the first screen of most visits.
        const { startAuthentication } = await import('@simplewebauthn/browser');
        response = await startAuthentication({ optionsJSON });
      } catch (e) {
        throw new Error(webAuthnFailure(e, 'sign-in'));
      }
      await api.auth.verifyPasskey.mutate({ response });
      await onVerified();
    });
  }

  if (left !== null) {
    return (
      <section aria-labelledby={`${id}-left`}>
        <h2 id={`${id}-left`} ref={leftRef} tabIndex={-1}>
          Du är inloggad
        </h2>
        <p className={left <= 3 ? 'notice notice-danger' : 'notice'} role="status">
          Återställningskoden är förbrukad. {recoveryCodesLeftMessage(left)}
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button
            type="button"
            className="button-primary"
            disabled={busy}
            onClick={() => void attempt(onVerified)}
          >
            Fortsätt
          </button>
        </div>
      </section>
    );
  }

  return (
    <section aria-labelledby={`${id}-h`} className="second-factor">
      <h2 id={`${id}-h`} ref={heading} tabIndex={-1}>
        Bekräfta inloggningen
      </h2>
      <p>Lösenordet stämmer. Bekräfta att det är du med ditt andra steg.</p>
      <div aria-live="assertive">
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>
      {!useRecovery && methods.includes('passkey') && (
        <div className="actions">
          <button
            type="button"
            className="button-primary"
            disabled={busy}
            onClick={signInWithPasskey}
          >
            Använd nyckel
          </button>
        </div>
      )}
      {!useRecovery && methods.includes('totp') && (
        <form onSubmit={submitCode} className="form" noValidate>
          <div className="field">
            <label htmlFor={`${id}-code`}>Kod från appen</label>
            <p className="hint" id={`${id}-code-hint`}>
              Sex siffror från appen för engångskoder i telefonen.
            </p>
            <input
              id={`${id}-code`}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]*"
              maxLength={20}
              aria-describedby={`${id}-code-hint`}
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </div>
          <button
            type="submit"
            className={methods.includes('passkey') ? 'button-secondary' : 'button-primary'}
            disabled={busy}
          >
            {busy ? 'Kontrollerar…' : 'Logga in med koden'}
          </button>
        </form>
      )}
      {useRecovery && (
        <form onSubmit={submitRecovery} className="form" noValidate>
          <div className="field">
            <label htmlFor={`${id}-recovery`}>Återställningskod</label>
            <p className="hint" id={`${id}-recovery-hint`}>
              En av koderna du sparade när du slog på tvåstegsverifiering, som xxxxx-xxxxx. Varje
              kod fungerar en gång.
            </p>
            <input
              id={`${id}-recovery`}
              ref={recoveryRef}
              name="recovery"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={30}
              aria-describedby={`${id}-recovery-hint`}
              value={recovery}
              onChange={(e) => setRecovery(e.target.value)}
            />
          </div>
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? 'Kontrollerar…' : 'Logga in med återställningskoden'}
          </button>
        </form>
      )}
      <div className="actions">
        {methods.includes('recovery') && !useRecovery && (
          <button
            type="button"
            className="button-link"
            onClick={() => {
              setError(null);
              setUseRecovery(true);
              // After React has drawn the field.
              setTimeout(() => recoveryRef.current?.focus(), 0);
            }}
          >
            Använd en återställningskod
          </button>
        )}
        {useRecovery && (methods.includes('totp') || methods.includes('passkey')) && (
          <button
            type="button"
            className="button-link"
            onClick={() => {
              setError(null);
              setUseRecovery(false);
            }}
          >
            Använd nyckel eller kod från appen i stället
          </button>
        )}
        <button type="button" className="button-secondary" onClick={() => onCancel()}>
          Avbryt
        </button>
      </div>
    </section>
  );
}
