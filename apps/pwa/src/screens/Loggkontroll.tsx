import { LOG_REVIEW_COMMENT_MAX, type LogReviewVerdict } from '@evb/domain';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Link } from 'wouter';
import { api, errorMessage, type RouterOutputs } from '../api/client';
import { NamndSelect } from '../components/Pickers';

/*
 * Loggkontroll (issue 14), the loggranskare's screens: the nämnd's access log, every access to one
 * person's data (to answer a complaint or a data subject's request, also as CSV and PDF), and the
 * monthly review of a random sample of the accesses. Each read here is itself logged by the server.
 * The loggranskare sees who did what and when, never the case data itself.
 */

type Section = 'logg' | 'person' | 'granskning';

const SECTIONS: { id: Section; href: string; label: string }[] = [
  { id: 'logg', href: '/loggkontroll', label: 'Loggen' },
  { id: 'person', href: '/loggkontroll/person', label: 'Per person' },
  { id: 'granskning', href: '/loggkontroll/granskning', label: 'Månadsgranskning' },
];

const PAGE = 50;

export function Loggkontroll({ params }: { params: { section?: string } }) {
  const section: Section =
    params.section === 'person' || params.section === 'granskning' ? params.section : 'logg';
  const overview = useQuery({
    queryKey: ['log-review-overview'],
    queryFn: () => api.logReview.overview.query(),
  });
  const [chosen, setChosen] = useState<string | null>(null);
  const namnder = overview.data?.namnder ?? [];
  const namndId = chosen ?? namnder[0]?.id ?? '';
  const namndNamn = namnder.find((n) => n.id === namndId)?.namn ?? '';

  return (
    <>
      <h1>Loggkontroll</h1>
      <p className="lead">
        Vem som har läst och ändrat personuppgifter i nämndens ärenden: loggen, ett utdrag per
        person och den månatliga granskningen av ett slumpvis urval. Det du läser här loggas också.
      </p>
      <nav aria-label="Loggkontroll" className="sub-nav">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.id}>
              <Link href={s.href} aria-current={s.id === section ? 'page' : undefined}>
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {overview.isPending ? (
        <p role="status">Hämtar dina nämnder…</p>
      ) : overview.isError ? (
        <div className="notice notice-danger" role="alert">
          <p>Loggkontrollen kunde inte hämtas. {errorMessage(overview.error)}</p>
        </div>
      ) : namnder.length === 0 ? (
        <p className="empty">Du är inte loggranskare för någon nämnd.</p>
      ) : (
        <>
          <div className="quarter-controls">
            <NamndSelect namnder={namnder} value={namndId} onChange={setChosen} />
          </div>
          {section === 'logg' && <LogSection key={namndId} namndId={namndId} />}
          {section === 'person' && <PersonSection key={namndId} namndId={namndId} />}
          {section === 'granskning' && (
            <ReviewSection
              key={namndId}
              namndId={namndId}
              namndNamn={namndNamn}
              sampleSize={overview.data.sampleSize}
            />
          )}
        </>
      )}
    </>
  );
}

type LogEntry = RouterOutputs['logReview']['log']['entries'][number];

function LogSection({ namndId }: { namndId: string }) {
  const id = useId();
  const [typed, setTyped] = useState({ from: '', to: '' });
  const [filter, setFilter] = useState({ from: '', to: '' });
  const log = useInfiniteQuery({
    queryKey: ['log-review-log', namndId, filter],
    queryFn: ({ pageParam }) =>
      api.logReview.log.query({
        namndId,
        limit: PAGE,
        ...(filter.from ? { from: filter.from } : {}),
        ...(filter.to ? { to: filter.to } : {}),
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    retry: false,
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <section aria-labelledby="logg-rubrik">
      <h2 id="logg-rubrik">Nämndens logg</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(typed);
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-from`}>Från och med</label>
          <input
            id={`${id}-from`}
            type="date"
            value={typed.from}
            onChange={(e) => setTyped({ ...typed, from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>Till och med</label>
          <input
            id={`${id}-to`}
            type="date"
            value={typed.to}
            onChange={(e) => setTyped({ ...typed, to: e.target.value })}
          />
        </div>
        <button type="submit" className="button-secondary">
          Visa
        </button>
      </form>
      {log.isPending ? (
        <p role="status">Hämtar loggen…</p>
      ) : log.isError ? (
        <div className="notice notice-danger" role="alert">
          <p>Loggen kunde inte hämtas. {errorMessage(log.error)}</p>
        </div>
      ) : entries.length === 0 ? (
        <p className="empty">
          Inga händelser{filter.from || filter.to ? ' under de dagarna' : ''}.
        </p>
      ) : (
        <>
          <LogTable caption="Händelser, den senaste först" entries={entries} />
          {log.hasNextPage && (
            <button
              type="button"
              className="button-secondary"
              disabled={log.isFetchingNextPage}
              onClick={() => void log.fetchNextPage()}
            >
              {log.isFetchingNextPage ? 'Hämtar…' : 'Visa fler'}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function LogTable({
  caption,
  entries,
}: {
  caption: string;
  entries: readonly (Pick<LogEntry, 'id' | 'tid' | 'vem' | 'roll' | 'vad' | 'avser'> & {
    anvandarnamn?: string;
  })[];
}) {
  return (
    <table className="report-table stack-table log-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Tid</th>
          <th scope="col">Vem</th>
          <th scope="col">Roll</th>
          <th scope="col">Vad</th>
          <th scope="col">Avser</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id}>
            <th scope="row" className="report-date">
              {e.tid}
            </th>
            <td data-label="Vem">
              {e.vem}
              {e.anvandarnamn ? <span className="report-note">{e.anvandarnamn}</span> : null}
            </td>
            <td data-label="Roll">{e.roll}</td>
            <td data-label="Vad">{e.vad}</td>
            <td data-label="Avser">{e.avser}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const exportHref = (route: string, query: Record<string, string>) =>
  `/api/export/${route}?${new URLSearchParams(query).toString()}`;

function PersonSection({ namndId }: { namndId: string }) {
  const id = useId();
  const [typed, setTyped] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const extract = useInfiniteQuery({
    queryKey: ['log-review-extract', namndId, asked],
    queryFn: ({ pageParam }) =>
      api.logReview.extract.query({
        namndId,
        personnummer: asked!,
        limit: PAGE,
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: asked !== null,
    // Each look is logged; the same question is not asked again behind the user's back.
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = typed.trim();
    if (!/^\d{8}-?\d{4}$/.test(value)) {
      setError('Ange personnummer med tolv siffror, som ÅÅÅÅMMDD-NNNN.');
      return;
    }
    setError(null);
    setAsked(value);
  }

  const first = extract.data?.pages[0];
  const entries = extract.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <section aria-labelledby="person-rubrik">
      <h2 id="person-rubrik">Utdrag per person</h2>
      <p>
        Alla läsningar och ändringar av en persons uppgifter i nämnden: vem, när och från vilken
        skärm, export eller synkronisering. Underlag vid ett klagomål eller en begäran om
        registerutdrag.
      </p>
      <form className="inline-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-pnr`}>Personnummer</label>
          <p className="hint" id={`${id}-hint`}>
            ÅÅÅÅMMDD-NNNN. Samordningsnummer går också.
          </p>
          <input
            id={`${id}-pnr`}
            name="personnummer"
            inputMode="numeric"
            autoComplete="off"
            maxLength={13}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            aria-describedby={[`${id}-hint`, error ? `${id}-error` : null]
              .filter(Boolean)
              .join(' ')}
            aria-invalid={error ? true : undefined}
          />
          {error && (
            <p className="error" id={`${id}-error`}>
              {error}
            </p>
          )}
        </div>
        <button type="submit">Visa utdrag</button>
      </form>
      {asked === null ? null : extract.isPending ? (
        <p role="status">Hämtar utdraget…</p>
      ) : extract.isError ? (
        <div className="notice notice-danger" role="alert">
          <p>{errorMessage(extract.error)}</p>
        </div>
      ) : !first?.found || !first.personId ? (
        <p className="empty" role="status">
          Nämnden har ingen person med det personnumret. Inget hittades.
        </p>
      ) : (
        <div role="status" aria-live="polite">
          <p>
            {entries.length === 0
              ? 'Inga åtkomster till personens uppgifter finns i loggen.'
              : `${entries.length}${extract.hasNextPage ? '+' : ''} åtkomster, den senaste först.`}
          </p>
          <p className="button-row">
            <a
              className="button-secondary"
              href={exportHref('loggutdrag.csv', { namndId, personId: first.personId })}
              download
            >
              Ladda ner CSV<span className="visually-hidden">: loggutdrag för personen</span>
            </a>{' '}
            <a
              className="button-secondary"
              href={exportHref('loggutdrag.pdf', { namndId, personId: first.personId })}
              download
            >
              Ladda ner PDF<span className="visually-hidden">: loggutdrag för personen</span>
            </a>
          </p>
          {entries.length > 0 && (
            <LogTable caption="Åtkomster till personens uppgifter" entries={entries} />
          )}
          {extract.hasNextPage && (
            <button
              type="button"
              className="button-secondary"
              disabled={extract.isFetchingNextPage}
              onClick={() => void extract.fetchNextPage()}
            >
              {extract.isFetchingNextPage ? 'Hämtar…' : 'Visa fler'}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

/** The current month in Stockholm, YYYY-MM. */
function thisMonth(): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
  }).format(new Date());
}

type ReviewView = NonNullable<RouterOutputs['logReview']['review']>;

function ReviewSection({
  namndId,
  namndNamn,
  sampleSize,
}: {
  namndId: string;
  namndNamn: string;
  sampleSize: number;
}) {
  const id = useId();
  const queryClient = useQueryClient();
  const [month, setMonth] = useState(thisMonth);
  const key = ['log-review-review', namndId, month];
  const review = useQuery({
    queryKey: key,
    queryFn: () => api.logReview.review.query({ namndId, month }),
    enabled: /^\d{4}-\d{2}$/.test(month),
    retry: false,
  });
  const reviews = useQuery({
    queryKey: ['log-review-reviews', namndId],
    queryFn: () => api.logReview.reviews.query({ namndId }),
  });
  const settle = (view: ReviewView | null) => {
    queryClient.setQueryData(key, view);
    void queryClient.invalidateQueries({ queryKey: ['log-review-reviews', namndId] });
  };
  const start = useMutation({
    mutationFn: () => api.logReview.start.mutate({ namndId, month }),
    onSuccess: settle,
  });
  const finish = useMutation({
    mutationFn: () => api.logReview.finish.mutate({ namndId, month }),
    onSuccess: settle,
  });

  return (
    <section aria-labelledby="granskning-rubrik">
      <h2 id="granskning-rubrik">Månadsgranskning</h2>
      <p>
        Varje månad granskas ett slumpvis urval av månadens åtkomster till personuppgifter (
        {sampleSize} stycken, eller alla om de är färre). Dina egna åtkomster ingår inte. Markera
        varje åtkomst som Motiverad eller Följ upp, med en kommentar, och avsluta granskningen.
      </p>
      <div className="field">
        <label htmlFor={`${id}-month`}>Månad</label>
        <input
          id={`${id}-month`}
          type="month"
          value={month}
          max={thisMonth()}
          onChange={(e) => setMonth(e.target.value)}
        />
      </div>
      {review.isPending ? (
        <p role="status">Hämtar granskningen…</p>
      ) : review.isError ? (
        <div className="notice notice-danger" role="alert">
          <p>{errorMessage(review.error)}</p>
        </div>
      ) : review.data === null ? (
        <div>
          <p>
            Månaden {month} har ingen granskning än.
            {month === thisMonth() && ' Månaden pågår: urvalet dras bland åtkomsterna hittills.'}
          </p>
          <button type="button" disabled={start.isPending} onClick={() => start.mutate()}>
            {start.isPending ? 'Drar urval…' : 'Dra urval och påbörja granskningen'}
          </button>
          {start.isError && (
            <p className="error" role="alert">
              {errorMessage(start.error)}
            </p>
          )}
        </div>
      ) : (
        <ReviewBody
          view={review.data}
          namndId={namndId}
          namndNamn={namndNamn}
          onChanged={settle}
          onFinish={() => finish.mutate()}
          finishing={finish.isPending}
          finishError={finish.isError ? errorMessage(finish.error) : null}
        />
      )}
      <h3>Tidigare granskningar</h3>
      {reviews.data && reviews.data.length > 0 ? (
        <ul className="plain-list">
          {reviews.data.map((r) => (
            <li key={r.month}>
              <button type="button" className="button-link" onClick={() => setMonth(r.month)}>
                {r.month}
              </button>
              : {r.finishedAt ? 'avslutad' : 'pågår'}, {r.counts.urval} i urvalet,{' '}
              {r.counts.foljUpp} att följa upp
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">Inga granskningar än.</p>
      )}
    </section>
  );
}

function ReviewBody({
  view,
  namndId,
  namndNamn,
  onChanged,
  onFinish,
  finishing,
  finishError,
}: {
  view: ReviewView;
  namndId: string;
  namndNamn: string;
  onChanged: (view: ReviewView | null) => void;
  onFinish: () => void;
  finishing: boolean;
  finishError: string | null;
}) {
  const { review, items } = view;
  const finished = review.finishedAt !== null;
  const followUps = items.filter((i) => i.verdict === 'folj_upp');
  return (
    <>
      <section aria-labelledby="rapport-rubrik" className="card">
        <h3 id="rapport-rubrik">
          Månadsrapport {review.month}
          {namndNamn ? `, ${namndNamn}` : ''}
        </h3>
        <p className="card-meta">
          Urvalet drogs {review.startedAt} av {review.startedBy}: {review.counts.urval} av månadens{' '}
          {review.population} åtkomster.{' '}
          {finished
            ? `Avslutad ${review.finishedAt} av ${review.finishedBy}.`
            : 'Granskningen pågår.'}
        </p>
        <dl className="facts">
          <div>
            <dt>Motiverade</dt>
            <dd>{review.counts.motiverade}</dd>
          </div>
          <div>
            <dt>Följ upp</dt>
            <dd>{review.counts.foljUpp}</dd>
          </div>
          <div>
            <dt>Inte bedömda</dt>
            <dd>{review.counts.obedomda}</dd>
          </div>
        </dl>
        {followUps.length > 0 && (
          <>
            <h4>Att följa upp</h4>
            <ul>
              {followUps.map((i) => (
                <li key={i.position}>
                  Nr {i.position}, {i.tid}, {i.vem}: {i.vad}. {i.comment}
                </li>
              ))}
            </ul>
          </>
        )}
        <p>
          <a
            className="button-secondary"
            href={exportHref('loggranskning.pdf', { namndId, month: review.month })}
            download
          >
            Ladda ner rapporten som PDF
            <span className="visually-hidden">: loggkontroll {review.month}</span>
          </a>
        </p>
      </section>
      {items.length === 0 ? (
        <p className="empty">Månaden hade inga åtkomster att granska.</p>
      ) : (
        <ol className="review-items">
          {items.map((item) => (
            <li key={item.position}>
              <ReviewItem
                item={item}
                namndId={namndId}
                month={review.month}
                finished={finished}
                onChanged={onChanged}
              />
            </li>
          ))}
        </ol>
      )}
      {!finished && (
        <div>
          {view.unfinished && <p className="hint">{view.unfinished}</p>}
          <button type="button" disabled={finishing} onClick={onFinish}>
            {finishing ? 'Avslutar…' : 'Avsluta granskningen'}
          </button>
          {finishError && (
            <p className="error" role="alert">
              {finishError}
            </p>
          )}
        </div>
      )}
    </>
  );
}

function ReviewItem({
  item,
  namndId,
  month,
  finished,
  onChanged,
}: {
  item: ReviewView['items'][number];
  namndId: string;
  month: string;
  finished: boolean;
  onChanged: (view: ReviewView | null) => void;
}) {
  const id = useId();
  const [verdict, setVerdict] = useState<LogReviewVerdict | null>(item.verdict);
  const [comment, setComment] = useState(item.comment ?? '');
  const save = useMutation({
    mutationFn: () =>
      api.logReview.mark.mutate({
        namndId,
        month,
        position: item.position,
        verdict: verdict!,
        comment,
      }),
    onSuccess: onChanged,
  });
  const title = `Åtkomst ${item.position}: ${item.vad}`;
  return (
    <article className="card review-item" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{title}</h4>
      <p className="card-meta">
        {item.tid}, {item.vem}
        {item.anvandarnamn ? ` (${item.anvandarnamn})` : ''}
        {item.roll ? `, ${item.roll}` : ''}
        {item.avser ? `. Avser ${item.avser}.` : '.'}
      </p>
      {finished ? (
        <p>
          <strong>{item.verdictLabel ?? 'Inte bedömd'}</strong>
          {item.comment ? `: ${item.comment}` : ''}
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (verdict) save.mutate();
          }}
        >
          <fieldset className="choice">
            <legend>Bedömning</legend>
            <div className="choice-options">
              {(
                [
                  ['motiverad', 'Motiverad'],
                  ['folj_upp', 'Följ upp'],
                ] as const
              ).map(([value, label]) => (
                <label className="check" key={value}>
                  <input
                    type="radio"
                    name={`${id}-verdict`}
                    value={value}
                    checked={verdict === value}
                    onChange={() => setVerdict(value)}
                  />
                  {label}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor={`${id}-comment`}>Kommentar</label>
            <p className="hint" id={`${id}-comment-hint`}>
              Krävs för Följ upp. Högst {LOG_REVIEW_COMMENT_MAX} tecken.
            </p>
            <textarea
              id={`${id}-comment`}
              aria-describedby={`${id}-comment-hint`}
              maxLength={LOG_REVIEW_COMMENT_MAX}
              rows={2}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
          </div>
          <button type="submit" className="button-secondary" disabled={!verdict || save.isPending}>
            {save.isPending ? 'Sparar…' : 'Spara bedömningen'}
            <span className="visually-hidden"> av åtkomst {item.position}</span>
          </button>
          {save.isError && (
            <p className="error" role="alert">
              {errorMessage(save.error)}
            </p>
          )}
          {save.isSuccess && item.verdict && (
            <p className="hint" role="status">
              Sparad: {item.verdictLabel}.
            </p>
          )}
        </form>
      )}
    </article>
  );
}
