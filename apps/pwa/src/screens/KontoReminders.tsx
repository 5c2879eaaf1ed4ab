import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Link } from 'wouter';
import { api, errorMessage, type RouterOutputs } from '../api/client';
import { formatTime } from '../format/format';
import { OnlineOnlyNotice } from './admin-form';
import { KontoPush } from './KontoPush';

type Preferences = RouterOutputs['reminders']['get'];

const QUERY_KEY = ['reminders'];

/** Why the e-mail digest cannot be turned on, or null when it can. */
export function emailUnavailableReason(p: Pick<Preferences, 'hasEmail' | 'emailAvailable'>) {
  if (!p.emailAvailable) {
    return 'evb kan inte skicka e-post: ingen e-postserver är inställd. Kontakta den som driftar evb.';
  }
  if (!p.hasEmail) {
    return 'Du har ingen e-postadress i evb. Be administratören lägga in den, så kan du få påminnelser med e-post.';
  }
  return null;
}

/**
 * Mitt konto's Påminnelser (issue 12): the e-mail digest of each working morning (on or off, and
 * how many days ahead it looks) and a private calendar feed for Outlook, whose URL is shown once.
 * Nothing is sent until the user chooses it; a reminder never holds a name or personnummer.
 * Web Push is turned on per device (KontoPush).
 */
export function KontoReminders() {
  const id = useId();
  const client = useQueryClient();
  const prefs = useQuery({ queryKey: QUERY_KEY, queryFn: () => api.reminders.get.query() });
  const [email, setEmail] = useState(false);
  const [horizon, setHorizon] = useState('7');
  const [saved, setSaved] = useState(false);
  const [feedUrl, setFeedUrl] = useState<string | null>(null);
  const [revoked, setRevoked] = useState(false);

  useEffect(() => {
    if (!prefs.data) return;
    setEmail(prefs.data.emailDigest);
    setHorizon(String(prefs.data.horizonDays));
  }, [prefs.data]);

  const save = useMutation({
    mutationFn: (input: { emailDigest: boolean; horizonDays: number }) =>
      api.reminders.set.mutate(input),
    networkMode: 'always',
    onSuccess: () => client.invalidateQueries({ queryKey: QUERY_KEY }),
  });
  const create = useMutation({
    mutationFn: () => api.reminders.createCalendarFeed.mutate(),
    networkMode: 'always',
    onSuccess: (feed) => {
      setFeedUrl(feed.url ?? `${window.location.origin}${feed.path}`);
      setRevoked(false);
      void client.invalidateQueries({ queryKey: QUERY_KEY });
    },
  });
  const revoke = useMutation({
    mutationFn: () => api.reminders.revokeCalendarFeed.mutate(),
    networkMode: 'always',
    onSuccess: () => {
      setFeedUrl(null);
      setRevoked(true);
      void client.invalidateQueries({ queryKey: QUERY_KEY });
    },
  });

  const heading = <h2 id={`${id}-heading`}>Påminnelser</h2>;
  const intro = (
    <p>
      evb kan påminna dig om dina egna uppgifter. En påminnelse innehåller aldrig namn, personnummer
      eller andra personuppgifter, bara hur många uppgifter av varje slag du har och en länk till
      evb. Inget skickas förrän du väljer det.
    </p>
  );

  if (!prefs.data) {
    return (
      <section aria-labelledby={`${id}-heading`} className="admin-section">
        {heading}
        {intro}
        {prefs.isError ? (
          <p className="notice notice-danger" role="alert">
            Påminnelserna kunde inte hämtas. {errorMessage(prefs.error)}
          </p>
        ) : (
          <p className="empty">Hämtar…</p>
        )}
      </section>
    );
  }

  const p = prefs.data;
  if (p.kinds.length === 0) {
    return (
      <section aria-labelledby={`${id}-heading`} className="admin-section">
        {heading}
        <p className="empty">Det finns inga påminnelser för din roll.</p>
      </section>
    );
  }

  const unavailable = emailUnavailableReason(p);
  const horizonDays = Number(horizon);
  const horizonError =
    horizon.trim() === '' || !Number.isInteger(horizonDays)
      ? 'Ange antal dagar som ett heltal'
      : horizonDays < p.horizon.min || horizonDays > p.horizon.max
        ? `Ange från ${p.horizon.min} till ${p.horizon.max} dagar`
        : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    if (horizonError || save.isPending) return;
    try {
      await save.mutateAsync({ emailDigest: email && !unavailable, horizonDays });
      setSaved(true);
    } catch {
      // Shown from save.error.
    }
  }

  return (
    <section aria-labelledby={`${id}-heading`} className="admin-section">
      {heading}
      {intro}
      <OnlineOnlyNotice what="Att ändra påminnelserna" />

      <h3>E-post varje arbetsdagsmorgon</h3>
      <form className="form admin-form" onSubmit={submit} noValidate>
        <label className="check">
          <input
            type="checkbox"
            checked={email && !unavailable}
            disabled={unavailable !== null}
            aria-describedby={unavailable ? `${id}-email-why` : undefined}
            onChange={(e) => {
              setEmail(e.target.checked);
              setSaved(false);
            }}
          />
          Skicka mig en påminnelse med e-post varje arbetsdagsmorgon
        </label>
        {unavailable && (
          <p className="hint" id={`${id}-email-why`}>
            {unavailable}
          </p>
        )}
        <div className="field">
          <label htmlFor={`${id}-horizon`}>Uppgifter som ska göras inom (dagar)</label>
          <p className="hint" id={`${id}-horizon-hint`}>
            Påminnelsen tar med uppgifter som ska göras från i dag och så många dagar framåt, och de
            som är försenade. 0 betyder bara i dag.
          </p>
          <input
            id={`${id}-horizon`}
            type="number"
            inputMode="numeric"
            min={p.horizon.min}
            max={p.horizon.max}
            value={horizon}
            aria-invalid={horizonError ? true : undefined}
            aria-describedby={`${id}-horizon-hint${horizonError ? ` ${id}-horizon-error` : ''}`}
            onChange={(e) => {
              setHorizon(e.target.value);
              setSaved(false);
            }}
          />
          {horizonError && (
            <p className="error" id={`${id}-horizon-error`}>
              {horizonError}
            </p>
          )}
        </div>
        {save.isError && (
          <p className="notice notice-danger" role="alert">
            Påminnelserna är inte sparade. {errorMessage(save.error)}
          </p>
        )}
        {saved && (
          <p className="notice" role="status">
            Påminnelserna är sparade.
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button-primary" disabled={save.isPending}>
            {save.isPending ? 'Sparar…' : 'Spara påminnelser'}
          </button>
        </div>
      </form>

      <KontoPush pushAvailable={Boolean(p.pushAvailable)} pushEnabled={Boolean(p.pushEnabled)} />

      <h3>Att göra just nu</h3>
      {p.dueNow.length === 0 ? (
        <p className="empty">Inget att påminna om inom {p.horizonDays} dagar.</p>
      ) : (
        <ul>
          {p.dueNow.map((item) => (
            <li key={`${item.kind}-${item.text}`}>
              <Link href={item.path}>{item.text}</Link>
              {item.overdue > 0 &&
                `, varav ${item.overdue} ${item.overdue === 1 ? 'försenad' : 'försenade'}`}
            </li>
          ))}
        </ul>
      )}

      <h3>Kalender i Outlook</h3>
      <p>
        En privat kalenderlänk visar dina uppgifters antal och datum i Outlook eller en annan
        kalender, utan personuppgifter. Den som har länken kan se dem: dela den inte, och återkalla
        den om den kommit i fel händer. En ny länk ersätter den gamla, som då slutar fungera.
      </p>
      {p.calendarCreatedAt && !feedUrl && (
        <p>Du har en kalenderlänk sedan {formatTime(p.calendarCreatedAt)}.</p>
      )}
      {revoked && (
        <p className="notice" role="status">
          Kalenderlänken är återkallad och fungerar inte längre.
        </p>
      )}
      {feedUrl && (
        <div className="notice" role="status">
          <p>
            <strong>Din kalenderlänk visas bara nu.</strong> Kopiera den och lägg till den i
            Outlook.
          </p>
          <div className="field">
            <label htmlFor={`${id}-feed`}>Din kalenderlänk</label>
            <input
              id={`${id}-feed`}
              type="text"
              readOnly
              value={feedUrl}
              onFocus={(e) => e.currentTarget.select()}
            />
          </div>
          <p>
            I Outlook: öppna Kalender, välj <em>Lägg till kalender</em> och sedan{' '}
            <em>Prenumerera från webben</em> (i äldre Outlook: <em>Från Internet</em>), klistra in
            länken och spara. Outlook hämtar uppgifterna några gånger per dag.
          </p>
        </div>
      )}
      {(create.isError || revoke.isError) && (
        <p className="notice notice-danger" role="alert">
          {errorMessage(create.error ?? revoke.error)}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className={p.calendarCreatedAt ? undefined : 'button-primary'}
          disabled={create.isPending}
          onClick={() => create.mutate()}
        >
          {p.calendarCreatedAt || feedUrl ? 'Skapa ny kalenderlänk' : 'Skapa kalenderlänk'}
        </button>
        {(p.calendarCreatedAt || feedUrl) && (
          <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate()}>
            Återkalla kalenderlänken
          </button>
        )}
      </div>
    </section>
  );
}
