import {
  addDays,
  type CaseStatus,
  type OwnDeadline,
  type OwnDeadlineKind,
  otherDeadlines,
  ownDeadlines,
  type Role,
} from '@evb/domain';
import { useId } from 'react';
import { useToday } from '../app/context';
import { days, dueText, formatDate } from '../format/format';

/*
 * A user's own deadlines, and other roles' as information. Only a deadline that is the user's to
 * meet is ever shown as late ("Försenad sedan …", in red); another role's passed deadline is told
 * plainly, since the user cannot act on it.
 */

const LABELS: Record<OwnDeadlineKind, string> = {
  tremanadersdag: 'Tremånadersdag',
  sammanfattning: 'Sammanfattning senast',
  uppfoljning: 'Uppföljningssamtal senast',
  meddelande: 'Meddelande till rapportören senast',
  kvartalsrapport: 'Individrapport till IVO senast',
};

/** "Tremånadersdag 3 juni 2026 (om 2 dagar)"; a late one "Försenad sedan 31 maj 2026: …". */
export function OwnDeadlineText({ deadline }: { deadline: OwnDeadline }) {
  if (deadline.overdue) {
    return (
      <span className="deadline is-overdue">
        <strong>Försenad sedan {formatDate(addDays(deadline.date, 1))}:</strong>{' '}
        {LABELS[deadline.kind]} {formatDate(deadline.date)}
      </span>
    );
  }
  return (
    <span className="deadline">
      {LABELS[deadline.kind]} {formatDate(deadline.date)} ({dueText(deadline.daysLeft)})
    </span>
  );
}

/** Another role's deadline, for information: never marked late. */
export function InfoDeadlineText({ deadline }: { deadline: OwnDeadline }) {
  const when =
    deadline.daysLeft < 0
      ? `passerade för ${days(-deadline.daysLeft)} sedan`
      : dueText(deadline.daysLeft);
  return (
    <span className="deadline">
      {LABELS[deadline.kind]} {formatDate(deadline.date)} ({when})
    </span>
  );
}

/**
 * A decision's deadlines as its page shows them: the viewer's own tasks first, then, under their
 * own heading, the deadlines other roles meet.
 */
export function DecisionDeadlines({
  status,
  roles,
}: {
  status: CaseStatus;
  roles: readonly Role[];
}) {
  const today = useToday();
  const headingId = useId();
  const othersId = useId();
  const own = ownDeadlines(roles, status, today);
  const others = otherDeadlines(roles, status, today);
  if (own.length === 0 && others.length === 0) return null;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Dina uppgifter</h2>
      {own.length > 0 ? (
        <ul className="deadlines">
          {own.map((d) => (
            <li key={d.kind}>
              <OwnDeadlineText deadline={d} />
            </li>
          ))}
        </ul>
      ) : (
        <p>Inga tidsgränser för dig i beslutet just nu.</p>
      )}
      {others.length > 0 && (
        <>
          <h3 id={othersId}>Andras tidsgränser, för kännedom</h3>
          <ul className="deadlines" aria-labelledby={othersId}>
            {others.map((d) => (
              <li key={d.kind}>
                <InfoDeadlineText deadline={d} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
