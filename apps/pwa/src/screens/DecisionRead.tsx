import {
  formatSwedishDate,
  type Role,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'wouter';
import { api, errorMessage, errorStatus } from '../api/client';
import { StateBadge } from '../components/DeadlineText';
import { DecisionDeadlines } from '../components/OwnDeadlines';
import { voidingsIn } from '../components/VoidEvent';
import { days, formatDate } from '../format/format';
import { TimelineItem } from './DecisionPage';
import { FilingHistory } from './FilingHistory';
import { parseLineFilter } from './quarter-todo';

/**
 * A decision as a rapportör reads it, from a line of the to-do view or a row of the risk list:
 * its facts, its deadlines, its events and what was filed with IVO, read-only. Read from the
 * server (decisions.get, audited as beslut_last), so the reading is recorded and the rapportör
 * sees the decision as it is now, not a copy on the device; the events are logged by the
 * handläggare and the utförare, so there are no forms here. The way back keeps the to-do view's
 * period, nämnd and filter when the link gave them.
 */
/** Who reads a decision here: a rapportör, whose own deadline is the filing with IVO. */
const RAPPORTOR_ROLES: readonly Role[] = ['rapportor'];

export function DecisionRead({ params }: { params: { id: string } }) {
  const [search] = useSearchParams();
  const detail = useQuery({
    queryKey: ['decision', params.id],
    queryFn: () => api.decisions.get.query({ id: params.id }),
  });
  const back = backLink(search);

  if (detail.isPending) return <p role="status">Hämtar beslutet…</p>;
  if (detail.isError) {
    const missing = errorStatus(detail.error) === 404;
    return (
      <>
        <p className="breadcrumb">
          <Link href={back.href}>← {back.label}</Link>
        </p>
        <h1>{missing ? 'Beslutet finns inte' : 'Beslutet kunde inte hämtas'}</h1>
        <div className={missing ? 'notice' : 'notice notice-danger'} role="alert">
          <p>
            {missing
              ? 'Beslutet finns inte, eller så rapporterar du inte för dess nämnd och verksamhetsområde.'
              : errorMessage(detail.error)}
          </p>
          {!missing && (
            <button
              type="button"
              className="button-secondary"
              onClick={() => void detail.refetch()}
            >
              Försök igen
            </button>
          )}
        </div>
      </>
    );
  }

  const { decision, events, caseStatus: status, messages } = detail.data;
  const voidings = voidingsIn(events.map((e) => ({ ...e, pending: false, rejected: null })));
  const person = decision.person;
  return (
    <>
      <p className="breadcrumb">
        <Link href={back.href}>← {back.label}</Link>
      </p>
      <h1>
        {person.fornamn} {person.efternamn}
      </h1>
      <p className="lead">
        Beslutet som rapportören ser det. Händelserna registreras av handläggaren och utföraren.
      </p>
      <dl className="facts">
        <div>
          <dt>Insats</dt>
          <dd>{decision.insatsLabel}</dd>
        </div>
        <div>
          <dt>Beslutsdatum</dt>
          <dd>{formatDate(decision.beslutsdatum)}</dd>
        </div>
        {decision.forhandsbesked && (
          <div>
            <dt>Förhandsbesked</dt>
            <dd>Ja</dd>
          </div>
        )}
        <div>
          <dt>Personnummer</dt>
          <dd>{person.personnummer ?? 'Saknas'}</dd>
        </div>
        <div>
          <dt>IVO-id</dt>
          <dd>{person.ivoId}</dd>
        </div>
        {person.skyddadIdentitet && (
          <div>
            <dt>Skyddade personuppgifter</dt>
            <dd>Ja</dd>
          </div>
        )}
        <div>
          <dt>Verksamhetsområde</dt>
          <dd>{verksamhetsomradeLabel(decision.verksamhetsomrade as Verksamhetsomrade)}</dd>
        </div>
        <div>
          <dt>Handläggare</dt>
          <dd>{decision.handlaggare.namn}</dd>
        </div>
        {decision.enhet && (
          <div>
            <dt>Beställd till</dt>
            <dd>{decision.enhet.namn}</dd>
          </div>
        )}
        <div>
          <dt>Status</dt>
          <dd>
            <StateBadge status={status} />
            {status.daysWaited !== null && ` har väntat ${days(status.daysWaited)}`}
          </dd>
        </div>
      </dl>

      <DecisionDeadlines status={status} roles={RAPPORTOR_ROLES} />

      {messages.length > 0 && (
        <section aria-labelledby="messages-h">
          <h2 id="messages-h">Meddelanden till rapportören</h2>
          <ul className="deadlines">
            {messages.map((m) => (
              <li key={m.key}>
                <strong>{m.title}</strong>{' '}
                {m.handled ? (
                  <span className="badge badge-ok">
                    Hanterat{m.handledAt ? ` ${formatHandled(m.handledAt)}` : ''}
                    {m.handledBy ? ` av ${m.handledBy.namn}` : ''}
                  </span>
                ) : (
                  <span className="badge badge-pending">Ej hanterat</span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Händelser</h2>
        <ol className="timeline">
          {[...events]
            .reverse()
            .filter((e) => e.type !== 'makulering')
            .map((e) => (
              <TimelineItem
                key={e.id}
                event={{ ...e, pending: false, rejected: null }}
                voiding={voidings.get(e.id)}
              />
            ))}
          <li className="timeline-item">
            <span className="timeline-date">{formatDate(decision.beslutsdatum)}</span>
            <strong>Beslut</strong>
          </li>
        </ol>
      </section>

      <FilingHistory decisionId={decision.id} />
    </>
  );
}

/** "3 mars 2026", the day a message was handled (Swedish time). */
function formatHandled(iso: string): string {
  const day = new Date(iso).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
  return formatSwedishDate(day);
}

/**
 * Back to the to-do view with its period, nämnd and filter when the link gave them, else to the
 * view as it opens.
 */
function backLink(search: URLSearchParams): { href: string; label: string } {
  const kvartal = search.get('kvartal');
  const namnd = search.get('namnd');
  if (!kvartal || !/^\d{4}-Q[1-4]$/.test(kvartal)) {
    return { href: '/kvartal', label: 'Till individrapporterna' };
  }
  const query = new URLSearchParams({ kvartal });
  if (namnd) query.set('namnd', namnd);
  const visa = parseLineFilter(search.get('visa'));
  if (visa !== 'alla') query.set('visa', visa);
  return { href: `/kvartal?${query.toString()}`, label: 'Tillbaka till individrapporterna' };
}
