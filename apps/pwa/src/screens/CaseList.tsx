import { addDays, daysBetween, findInsats, firstOverdueDay, nextDeadlineOf } from '@evb/domain';
import { useId, useState } from 'react';
import { Link } from 'wouter';
import { myDeadlineKinds, useMe, useToday } from '../app/context';
import { DeadlineText, StateBadge } from '../components/DeadlineText';
import { days, dueText, formatDate } from '../format/format';
import type { LocalCase } from '../local/cases';
import { enhetNamn, useCases, useOrg } from '../local/hooks';

/**
 * The decisions on the phone, the most urgent first: for an utförare or matchare the orders to
 * their unit or team, for a handläggare the decisions they handle. Read from the phone's copy, so
 * it works offline.
 */
export function CaseList({ title }: { title: string }) {
  const cases = useCases();
  const org = useOrg();
  const [search, setSearch] = useState('');
  const [showAll, setShowAll] = useState(false);
  const searchId = useId();

  const needle = search.trim().toLocaleLowerCase('sv');
  const shown = (cases.data ?? []).filter(
    (c) =>
      (showAll || c.status.waiting) &&
      (!needle ||
        `${c.decision.person.fornamn} ${c.decision.person.efternamn} ${c.decision.person.ivoId} ${findInsats(c.decision.insats)?.label ?? ''}`
          .toLocaleLowerCase('sv')
          .includes(needle)),
  );
  const waiting = (cases.data ?? []).filter((c) => c.status.waiting).length;

  return (
    <>
      <h1>{title}</h1>
      <p className="lead">
        {cases.isPending
          ? 'Läser in…'
          : `${waiting} ${waiting === 1 ? 'beslut väntar' : 'beslut väntar'} på verkställighet. Det mest brådskande först.`}
      </p>
      <div className="filters">
        <div className="field">
          <label htmlFor={searchId}>Sök på namn, IVO-id eller insats</label>
          <input
            id={searchId}
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <label className="check">
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
          Visa även verkställda och avslutade
        </label>
      </div>
      {cases.isSuccess && shown.length === 0 && (
        <p className="empty">
          {cases.data.length === 0
            ? 'Inga beslut här ännu. När du är ansluten hämtas de automatiskt.'
            : 'Inga beslut matchar.'}
        </p>
      )}
      <ul className="cards">
        {shown.map((c) => (
          <CaseCard key={c.decision.id} item={c} unit={enhetNamn(org.data, c.decision.enhetId)} />
        ))}
      </ul>
    </>
  );
}

function CaseCard({ item, unit }: { item: LocalCase; unit: string | null }) {
  const today = useToday();
  const me = useMe();
  const { decision, status } = item;
  const mine = nextDeadlineOf(status, myDeadlineKinds(me));
  const insats = findInsats(decision.insats);
  const overdueFrom = status.waiting ? firstOverdueDay(status.episode.start) : null;
  return (
    <li className={`card ${status.overdue || status.overThreeMonths ? 'card-urgent' : ''}`}>
      <h2 className="card-title">
        <Link href={`/beslut/${decision.id}`}>
          {decision.person.fornamn} {decision.person.efternamn}
        </Link>
      </h2>
      <p className="card-meta">
        {insats?.label ?? decision.insats} · beslut {formatDate(decision.beslutsdatum)}
        {unit ? ` · ${unit}` : ''}
      </p>
      <p>
        <StateBadge status={status} />{' '}
        {status.daysWaited !== null && <span>Har väntat {days(status.daysWaited)}</span>}
      </p>
      {overdueFrom && (
        <p className={status.overThreeMonths ? 'is-overdue' : undefined}>
          {status.overThreeMonths
            ? `Över tre månader sedan ${formatDate(overdueFrom)} – rapporteras till IVO`
            : `Tre månader går ut ${formatDate(addDays(overdueFrom, -1))} (${dueText(
                daysBetween(today, addDays(overdueFrom, -1)),
              )})`}
        </p>
      )}
      {mine && (
        <p>
          <DeadlineText deadline={mine} />
        </p>
      )}
    </li>
  );
}
