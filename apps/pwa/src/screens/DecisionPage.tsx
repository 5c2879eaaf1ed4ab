import {
  type CaseEvent,
  type CaseEventType,
  EVENT_TYPE_LABELS,
  type FormEventType,
  findAvslutsanledning,
  findInsats,
  findOrsak,
  type IsoDate,
  loggableEventTypes,
  offeredEventTypes,
  type Skal,
  skalLabel,
} from '@evb/domain';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { type Me, useMe, useToday } from '../app/context';
import { StateBadge } from '../components/DeadlineText';
import { DecisionDeadlines } from '../components/OwnDeadlines';
import { VoidActions, VoidedNote, voidingsIn } from '../components/VoidEvent';
import { days, dueText, formatDate } from '../format/format';
import { EventForm } from '../forms/EventForm';
import { type LocalCase, type TimelineEvent, toDomainDecision } from '../local/cases';
import { enhetNamn, useDraftForms, useOrg, useRefreshDrafts } from '../local/hooks';
import { useDecision } from '../local/online-case';
import { FilingHistory } from './FilingHistory';

/**
 * The forms offered on this decision today: the event types the user may log over every role that
 * reaches it, that the rules would accept now (a closed decision: only a note). Always in the same
 * order, the most used first.
 */
function offeredTypes(me: Me, item: LocalCase, today: IsoDate): FormEventType[] {
  return offeredEventTypes(
    toDomainDecision(item.decision),
    item.events.filter((e) => !e.rejected) as CaseEvent[],
    today,
    loggableEventTypes(me, item.decision),
  );
}

export function DecisionPage({ params }: { params: { id: string } }) {
  const me = useMe();
  // The device's copy, or, for an older decision the device does not keep, the server's (online).
  const found = useDecision(params.id);
  const org = useOrg();
  const today = useToday();
  const [open, setOpen] = useState<FormEventType | null>(null);
  // Rätta: the voiding that the open form queues together with its event (see EventForm).
  const [correcting, setCorrecting] = useState<CaseEvent | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const drafts = useDraftForms(params.id).data ?? new Set<string>();
  const refreshDrafts = useRefreshDrafts();
  const reopened = useRef(false);

  // Reopen a form the user left half-filled (after a reload or a restart of the phone).
  useEffect(() => {
    if (!reopened.current && drafts.size > 0) {
      reopened.current = true;
      setOpen([...drafts][0] as FormEventType);
    }
  }, [drafts]);

  if (found.kind === 'loading') return <p role="status">Läser in…</p>;
  if (found.kind === 'offline') {
    return (
      <>
        <p className="breadcrumb">
          <Link href="/">← Tillbaka till listan</Link>
        </p>
        <h1>Beslutet hämtas när du är ansluten</h1>
        <p className="notice">
          Beslutet är äldre än det som sparas på enheten. Enheten sparar de beslut som väntar och de
          som verkställts, avslutats eller ändrats under det senaste året. Äldre beslut läses från
          servern när du är ansluten till nätet.
        </p>
      </>
    );
  }
  if (found.kind === 'error') {
    return (
      <>
        <p className="breadcrumb">
          <Link href="/">← Tillbaka till listan</Link>
        </p>
        <h1>Beslutet kunde inte hämtas</h1>
        <div className="notice notice-danger" role="alert">
          <p>{found.message}</p>
          <button type="button" className="button-secondary" onClick={found.retry}>
            Försök igen
          </button>
        </div>
      </>
    );
  }
  if (found.kind === 'not-found') {
    return (
      <>
        <h1>Beslutet finns inte här</h1>
        <p>
          Beslutet finns inte på enheten, eller så har du inte längre behörighet till det.{' '}
          <Link href="/">Tillbaka</Link>
        </p>
      </>
    );
  }
  const { item } = found;
  const { decision, status } = item;
  const types = offeredTypes(me, item, today);
  const person = decision.person;
  const unit = enhetNamn(org.data, decision.enhetId);
  const voidings = voidingsIn(item.events);

  return (
    <>
      <p className="breadcrumb">
        <Link href="/">← Tillbaka till listan</Link>
      </p>
      <h1>
        {person.fornamn} {person.efternamn}
      </h1>
      <dl className="facts">
        <div>
          <dt>Insats</dt>
          <dd>{findInsats(decision.insats)?.label ?? decision.insats}</dd>
        </div>
        <div>
          <dt>Beslutsdatum</dt>
          <dd>{formatDate(decision.beslutsdatum)}</dd>
        </div>
        <div>
          <dt>Personnummer</dt>
          <dd>{person.personnummer ?? 'Saknas'}</dd>
        </div>
        <div>
          <dt>IVO-id</dt>
          <dd>{person.ivoId}</dd>
        </div>
        {unit && (
          <div>
            <dt>Beställd till</dt>
            <dd>{unit}</dd>
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
      <DecisionDeadlines status={status} roles={me.roles.map((g) => g.role)} />
      {found.source === 'server' && (
        <p className="card-meta">
          Beslutet är äldre än det som sparas på enheten och är hämtat från servern.
        </p>
      )}

      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}

      {types.length > 0 && (
        <section aria-labelledby="log-h" className="log-section">
          <h2 id="log-h">Registrera</h2>
          <div className="event-buttons">
            {types.map((type) => (
              <button
                key={type}
                type="button"
                className={open === type ? 'event-button is-open' : 'event-button'}
                aria-expanded={open === type}
                onClick={() => {
                  setMessage(null);
                  setCorrecting(null);
                  setOpen(open === type ? null : type);
                }}
              >
                {EVENT_TYPE_LABELS[type]}
                {drafts.has(type) && <span className="draft-mark"> (utkast)</span>}
              </button>
            ))}
          </div>
          {open && (types.includes(open) || correcting) && (
            <EventForm
              key={correcting ? `${open}-${correcting.id}` : open}
              type={open}
              item={item}
              intro={introFor(open, item)}
              correcting={correcting ?? undefined}
              onClose={(result) => {
                const corrected = correcting !== null;
                setOpen(null);
                setCorrecting(null);
                refreshDrafts();
                const sending = `skickas till servern${navigator.onLine ? '.' : ' när du är ansluten igen.'}`;
                // "Händelsen ”Anteckning” är sparad": one sentence that is right Swedish for every
                // event type (not "Anteckning är sparat").
                setMessage(
                  result === 'sent'
                    ? corrected
                      ? `Händelsen är makulerad och den rättade (”${EVENT_TYPE_LABELS[open]}”) är sparad i dess ställe; båda ${sending}`
                      : `Händelsen ”${EVENT_TYPE_LABELS[open]}” är sparad och ${sending}`
                    : result === 'cancelled'
                      ? 'Rättelsen är avbruten. Händelsen är inte makulerad.'
                      : result === 'kept'
                        ? 'Utkastet finns kvar på enheten.'
                        : 'Utkastet är borttaget.',
                );
              }}
            />
          )}
        </section>
      )}

      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Händelser</h2>
        <ol className="timeline">
          {[...item.events]
            .reverse()
            // A voiding is shown on the event it voids (unless the server refused it).
            .filter((e) => e.type !== 'makulering' || e.rejected)
            .map((e) => (
              <TimelineItem key={e.id} event={e} voiding={voidings.get(e.id)} me={me}>
                <VoidActions
                  me={me}
                  item={item}
                  event={e}
                  onCorrect={(type, voiding) => {
                    refreshDrafts();
                    setCorrecting(voiding);
                    setOpen(type);
                  }}
                  onDone={setMessage}
                />
              </TimelineItem>
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

function introFor(type: CaseEventType, item: LocalCase): string | undefined {
  const due =
    type === 'sammanfattning'
      ? item.status.deadlines.sammanfattning
      : type === 'uppfoljning'
        ? item.status.deadlines.uppfoljning
        : null;
  if (!due) return undefined;
  return `${type === 'sammanfattning' ? 'Sammanfattningen ska vara gjord' : 'Samtalet ska vara gjort'} senast ${formatDate(due.date)} (${dueText(due.daysLeft)}).`;
}

function detailOf(e: TimelineEvent): string[] {
  const lines: string[] = [];
  switch (e.type) {
    case 'tackat_nej':
      lines.push(
        `Erbjudandet gjordes ${formatDate(e.erbjudandedatum)}`,
        `Orsak: ${findOrsak('tackat_nej', e.orsak)?.label ?? e.orsak}`,
      );
      break;
    case 'skal':
      lines.push(
        `${skalLabel(e.skal as Skal)}: ${findOrsak(e.skal as Skal, e.orsak)?.label ?? e.orsak}`,
      );
      if (e.erbjudandedatum) lines.push(`Erbjudandet gjordes ${formatDate(e.erbjudandedatum)}`);
      break;
    case 'uppfoljning':
      lines.push(`Talade med: ${e.kontakt}`);
      if (e.korttidsenhetErbjuden) {
        lines.push('Korttidsvistelse på korttidsenhet erbjöds i väntan på stödfamilj');
      }
      break;
    case 'avslutad':
      lines.push(`Anledning: ${findAvslutsanledning(e.anledning)?.label ?? e.anledning}`);
      break;
  }
  if ('text' in e && e.text) lines.push(e.text);
  return lines;
}

/**
 * One event of a decision's timeline (also the rapportör's read-only view, DecisionRead). A voided
 * event is struck through and says who voided it, when and why; `children` are its actions.
 */
export function TimelineItem({
  event,
  voiding,
  me,
  children,
}: {
  event: TimelineEvent;
  voiding?: TimelineEvent | undefined;
  me?: Me;
  children?: React.ReactNode;
}) {
  const content = (
    <>
      <span className="timeline-date">{formatDate(event.date)}</span>
      <strong>{EVENT_TYPE_LABELS[event.type]}</strong>
      {detailOf(event).map((line) => (
        <p key={line}>{line}</p>
      ))}
    </>
  );
  return (
    <li
      className={`timeline-item ${voiding ? 'is-voided' : ''} ${event.rejected ? 'is-rejected' : event.pending ? 'is-pending' : ''}`}
    >
      {voiding ? (
        <>
          <del>{content}</del>
          <VoidedNote voiding={voiding} me={me} />
        </>
      ) : (
        content
      )}
      {event.rejected ? (
        <p className="error">
          Togs inte emot: {event.rejected} <Link href="/synk">Åtgärda</Link>
        </p>
      ) : (
        event.pending && <p className="pending-text">Väntar på att skickas</p>
      )}
      {!voiding && children}
    </li>
  );
}
