import { findInsats, isFollowUpDue } from '@evb/domain';
import { useState } from 'react';
import { Link } from 'wouter';
import { useToday } from '../app/context';
import { OwnDeadlineText } from '../components/OwnDeadlines';
import { days } from '../format/format';
import { EventForm } from '../forms/EventForm';
import { useCases } from '../local/hooks';

/**
 * The handläggare's two-month follow-up calls: those whose window has opened and those overdue,
 * the earliest deadline first. A call is logged right here: tap "Logga samtal", tap whom you spoke
 * to, write what was said.
 */
export function FollowUps() {
  const today = useToday();
  const cases = useCases();
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const due = (cases.data ?? [])
    .filter((c) => isFollowUpDue(c.status, today))
    .sort((a, b) =>
      a.status.deadlines.uppfoljning!.date.localeCompare(b.status.deadlines.uppfoljning!.date),
    );

  return (
    <>
      <h1>Uppföljningar</h1>
      <p className="lead">
        Uppföljningssamtal ska göras två månader efter beslutet, senast inom två veckor.
      </p>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {cases.isSuccess && due.length === 0 && (
        <p className="empty">Inga uppföljningssamtal att göra just nu.</p>
      )}
      <ul className="cards">
        {due.map((c) => {
          const call = c.status.deadlines.uppfoljning!;
          const name = `${c.decision.person.fornamn} ${c.decision.person.efternamn}`;
          return (
            <li key={c.decision.id} className={`card ${call.overdue ? 'card-urgent' : ''}`}>
              <h2 className="card-title">
                <Link href={`/beslut/${c.decision.id}`}>{name}</Link>
              </h2>
              <p className="card-meta">
                {findInsats(c.decision.insats)?.label ?? c.decision.insats}
                {c.status.daysWaited !== null && ` · har väntat ${days(c.status.daysWaited)}`}
              </p>
              <p>
                <OwnDeadlineText deadline={call} />
              </p>
              {open === c.decision.id ? (
                <EventForm
                  type="uppfoljning"
                  item={c}
                  onClose={(result) => {
                    setOpen(null);
                    if (result === 'sent') setDone(`Samtalet med ${name} är sparat.`);
                  }}
                />
              ) : (
                <button
                  type="button"
                  className="button-primary"
                  onClick={() => {
                    setDone(null);
                    setOpen(c.decision.id);
                  }}
                >
                  Logga samtal<span className="visually-hidden"> med {name}</span>
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
