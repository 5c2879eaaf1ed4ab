import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { errorMessage, errorStatus, fieldErrors } from '../api/client';
import { useServices, useSyncState } from '../app/context';
import { formatTime } from '../format/format';
import { deleteDraft, draftKey, loadDraft, saveDraft } from '../local/drafts';

/*
 * What the administration screens (Användare, Rapportörer, Mitt konto) share: fields with their
 * errors beside them, the server's refusals sorted by field, the notice that the screens need a
 * connection, and forms whose text is kept as a draft on the device (never a password).
 */

export const OFFLINE_TEXT =
  'Du är inte ansluten till nätet, så ändringen är inte sparad. Försök igen när du har anslutning.';

/** A refused or failed call, as the form shows it: messages beside fields and one at the top. */
export type Failure = { fields: Record<string, string>; message: string | null };

const NAMED = /^([A-Za-z][\w.]*): (.+)$/s;

/**
 * The messages of a refusal by the field each names. The server sends its zod errors as
 * `data.issues`; its own checks, and refusals that are not a 400 ("username: Användarnamnet
 * används redan"), arrive as "path: message; path: message" in the message only.
 */
export function namedMessages(error: unknown): Record<string, string> {
  const byField = fieldErrors(error);
  if (Object.keys(byField).length > 0) return byField;
  const parts = errorMessage(error).split(/; (?=[A-Za-z][\w.]*: )/);
  const named: Record<string, string> = {};
  for (const part of parts) {
    const found = NAMED.exec(part);
    if (!found) return {};
    const [, path, message] = found as unknown as [string, string, string];
    named[path] = named[path] ? `${named[path]} ${message}` : message;
  }
  return named;
}

/**
 * Sorts a failed call's messages: those of a field the form shows go beside it; the rest, or the
 * reason the server could not be reached, go to the top.
 */
export function failureOf(error: unknown, shown: ReadonlySet<string>, summary: string): Failure {
  if (errorStatus(error) === null) return { fields: {}, message: OFFLINE_TEXT };
  const byField = namedMessages(error);
  if (Object.keys(byField).length === 0) return { fields: {}, message: errorMessage(error) };
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const [path, message] of Object.entries(byField)) {
    if (shown.has(path)) fields[path] = message;
    else rest.push(message);
  }
  return { fields, message: rest.length > 0 ? rest.join(' ') : summary };
}

/** The plain sentence of a refusal with no form field to stand beside (a removal, say). */
export function refusalOf(error: unknown): string {
  if (errorStatus(error) === null) return OFFLINE_TEXT;
  const byField = Object.values(namedMessages(error));
  return byField.length > 0 ? byField.join(' ') : errorMessage(error);
}

/** Says plainly that the screen needs the network, while the device is offline. */
export function OnlineOnlyNotice({ what }: { what: string }) {
  const { online } = useSyncState();
  if (online) return null;
  return (
    <p className="notice notice-danger" role="status">
      <strong>Du är offline.</strong> {what} kräver anslutning till servern. Det du skriver i
      formulären sparas på enheten (utom lösenord) och kan sparas när du är ansluten igen.
    </p>
  );
}

export type DraftForm<T> = {
  /** null until the draft (or the starting values) is read. */
  values: T | null;
  /** When the values came from a draft saved earlier. */
  restoredAt: string | null;
  change: (next: T) => void;
  /** Throws the draft away and starts again from the starting values. */
  discard: () => Promise<void>;
  /** After the form was saved on the server: the draft is no longer needed. */
  finish: () => Promise<void>;
};

/**
 * A form's values, saved as a draft on the device on every change, so a reload or a lost
 * connection loses nothing typed. `initial` (memoised by the caller) is used when there is no draft;
 * null while it is still loading. Password fields are never part of `T`.
 */
export function useDraftForm<T extends Record<string, unknown>>(
  form: string,
  initial: T | null,
): DraftForm<T> {
  const { db } = useServices();
  const key = draftKey(form, null);
  const [draft, setDraft] = useState<{ key: string; data: T | null; at: string | null } | null>(
    null,
  );
  const [state, setState] = useState<{ key: string; values: T; restoredAt: string | null } | null>(
    null,
  );

  useEffect(() => {
    let live = true;
    void loadDraft(db, key).then((found) => {
      if (!live) return;
      setDraft({ key, data: (found?.data as T | undefined) ?? null, at: found?.updatedAt ?? null });
    });
    return () => {
      live = false;
    };
  }, [db, key]);

  useEffect(() => {
    if (!draft || draft.key !== key || state?.key === key || !initial) return;
    setState(
      draft.data
        ? { key, values: { ...initial, ...draft.data }, restoredAt: draft.at }
        : { key, values: initial, restoredAt: null },
    );
  }, [draft, key, state, initial]);

  const change = useCallback(
    (next: T) => {
      setState({ key, values: next, restoredAt: state?.key === key ? state.restoredAt : null });
      void saveDraft(db, form, null, next);
    },
    [db, form, key, state],
  );

  const discard = useCallback(async () => {
    await deleteDraft(db, key);
    setDraft({ key, data: null, at: null });
    if (initial) setState({ key, values: initial, restoredAt: null });
  }, [db, key, initial]);

  const finish = useCallback(async () => {
    await deleteDraft(db, key);
    setDraft({ key, data: null, at: null });
    setState((s) => (s?.key === key ? { ...s, restoredAt: null } : s));
  }, [db, key]);

  const current = state?.key === key ? state : null;
  return {
    values: current?.values ?? null,
    restoredAt: current?.restoredAt ?? null,
    change,
    discard,
    finish,
  };
}

/** "Dina osparade ändringar från 14.05 är återställda", with a way to throw them away. */
export function RestoredDraft({ at, onDiscard }: { at: string | null; onDiscard: () => void }) {
  if (!at) return null;
  return (
    <div className="notice admin-restored" role="status">
      <p>
        Det du skrev {formatTime(at)} är återställt från enheten. Det är inte sparat på servern.
      </p>
      <button type="button" className="button-link" onClick={onDiscard}>
        Släng det och börja om
      </button>
    </div>
  );
}

/** Removes one field's error when the user changes it. */
export function withoutError(
  errors: Record<string, string>,
  ...paths: string[]
): Record<string, string> {
  const rest = { ...errors };
  for (const path of paths) delete rest[path];
  return rest;
}

/** Focus on the first field in error, in the order the form shows them; else on the alert. */
function focusFirstError(
  form: HTMLFormElement | null,
  fields: Record<string, string>,
  alert: HTMLElement | null,
) {
  const first = [...(form?.querySelectorAll<HTMLElement>('[data-path]') ?? [])].find(
    (el) => fields[el.dataset.path ?? ''],
  );
  (first ?? alert)?.focus();
}

export type FormFeedback = ReturnType<typeof useFormFeedback>;

/**
 * What an administration form tells its user: the errors beside its fields, one message at the
 * top, and where focus goes when a submit fails (the first field in error, else the message).
 */
export function useFormFeedback() {
  const id = useId();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  return {
    /** The form's own id, for its fields' ids. */
    id,
    errors,
    message,
    formRef,
    alertRef,
    /** Shows a failure beside its fields and at the top, and moves focus to it. */
    show(failure: Failure) {
      setErrors(failure.fields);
      setMessage(failure.message);
      // After React has drawn the errors.
      queueMicrotask(() => focusFirstError(formRef.current, failure.fields, alertRef.current));
    },
    /** Takes away the errors of fields the user has changed. */
    clear(...paths: string[]) {
      setErrors((e) => withoutError(e, ...paths));
    },
    /** Takes away every error and the message: the form was sent. */
    reset() {
      setErrors({});
      setMessage(null);
    },
    /** Takes away the message at the top while the form is being sent. */
    clearMessage() {
      setMessage(null);
    },
    /** What a Field needs to show `path`: its id and its error. */
    field(path: string) {
      return { id: `${id}-${path}`, error: errors[path] || undefined, path };
    },
  };
}

/**
 * The message at the top of a form (where focus goes when a failure names no field it shows),
 * with any notice of the form's own beside it.
 */
export function FormAlert({
  feedback,
  children,
}: {
  feedback: FormFeedback;
  children?: ReactNode;
}) {
  return (
    <div ref={feedback.alertRef} tabIndex={-1} className="admin-alerts">
      {feedback.message && (
        <p className="notice notice-danger" role="alert">
          {feedback.message}
        </p>
      )}
      {children}
    </div>
  );
}
