import {
  addDays,
  daysBetween,
  findInsats,
  firstOverdueDay,
  type LatestOffer,
  type Role,
} from '@evb/domain';
import { memo, useDeferredValue, useId, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { useToday } from '../app/context';
import { StateBadge } from '../components/DeadlineText';
import { OwnDeadlineText } from '../components/OwnDeadlines';
import { days, dueText, formatDate } from '../format/format';
import { enhetNamn, useCases, useOrg } from '../local/hooks';
import { type ListedCase, listCases } from './case-list-view';
import { OlderDecisions } from './OlderDecisions';

/**
 * Cards drawn at once, a little more than a phone's screen holds; the rest are drawn in the
 * background (a deferred value, which React renders in slices that yield to taps), so a list of
 * hundreds never holds the phone's main thread for long.
 */
const FIRST_CARDS = 8;
const NONE: ListedCase[] = [];

/**
 * The decisions on the phone, the most urgent for the list's roles first (`roles`: an utförare's or
 * matchare's orders to their unit or team by the three-month date and the summary, a handläggare's
 * decisions by the follow-up call and the message to the rapportör), each card with that deadline.
 * A card is marked urgent only when that deadline, the user's own, is late: another role's late
 * deadline is no alarm for someone who cannot act on it. The unit's list also shows the latest
 * offer and its answer, which matching needs. Read from the phone's copy, so it works offline; a
 * search also reaches the older decisions the phone does not keep, online (OlderDecisions).
 */
export function CaseList({
  title,
  roles,
  showOffers = false,
}: {
  title: string;
  roles: readonly Role[];
  showOffers?: boolean;
}) {
  const cases = useCases();
  const org = useOrg();
  const today = useToday();
  const [search, setSearch] = useState('');
  const [showAll, setShowAll] = useState(false);
  const searchId = useId();

  const roleKey = roles.join();
  // biome-ignore lint/correctness/useExhaustiveDependencies: roles is read through roleKey (a new array each render)
  const shown = useMemo(
    () => listCases(cases.data ?? [], { roles, today, search, showAll }),
    [cases.data, roleKey, today, search, showAll],
  );
  const first = useMemo(() => shown.slice(0, FIRST_CARDS), [shown]);
  const rest = useMemo(() => shown.slice(FIRST_CARDS), [shown]);
  // Behind `rest` while the background render catches up; only a caught-up one is drawn, so the
  // list never mixes an old search's cards with a new one's.
  const deferredRest = useDeferredValue(rest, NONE);
  const waiting = (cases.data ?? []).filter((c) => c.status.waiting).length;
  const onDevice = useMemo(
    () => new Set((cases.data ?? []).map((c) => c.decision.id)),
    [cases.data],
  );

  return (
    <>
      <h1>{title}</h1>
      <p className="lead">
        {cases.isPending
          ? 'Läser in…'
          : `${waiting} ${waiting === 1 ? 'beslut väntar' : 'beslut väntar'} på verkställighet. Det som är mest brådskande för dig först: försenat, sedan närmast i tid.`}
      </p>
      <div className="filters">
        <div className="field">
          <label htmlFor={searchId}>Sök på namn, IVO-id, insats eller lagrum (t.ex. 9 § 9)</label>
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
        <Cards items={first} org={org.data} showOffer={showOffers} />
        {deferredRest === rest && <Cards items={rest} org={org.data} showOffer={showOffers} />}
      </ul>
      {cases.isSuccess && <OlderDecisions search={search} onDevice={onDevice} />}
    </>
  );
}

const Cards = memo(function Cards({
  items,
  org,
  showOffer,
}: {
  items: readonly ListedCase[];
  org: Parameters<typeof enhetNamn>[0];
  showOffer: boolean;
}) {
  return items.map((c) => (
    <CaseCard
      key={c.decision.id}
      item={c}
      unit={enhetNamn(org, c.decision.enhetId)}
      showOffer={showOffer}
    />
  ));
});

function CaseCard({
  item,
  unit,
  showOffer,
}: {
  item: ListedCase;
  unit: string | null;
  showOffer: boolean;
}) {
  const today = useToday();
  const { decision, status, own, lagrum, offer } = item;
  const insats = findInsats(decision.insats);
  const overdueFrom = status.waiting ? firstOverdueDay(status.episode.start) : null;
  const threeMonthDate = overdueFrom ? addDays(overdueFrom, -1) : null;
  return (
    <li className={`card ${own?.overdue ? 'card-urgent' : ''}`}>
      <h2 className="card-title">
        <Link href={`/beslut/${decision.id}`}>
          {decision.person.fornamn} {decision.person.efternamn}
        </Link>
      </h2>
      <p className="card-meta">
        {insats?.label ?? decision.insats} · {lagrum} · beslut {formatDate(decision.beslutsdatum)}
        {unit ? ` · ${unit}` : ''}
      </p>
      <p>
        <StateBadge status={status} />{' '}
        {status.daysWaited !== null && <span>Har väntat {days(status.daysWaited)}</span>}
      </p>
      {own && (
        <p>
          <OwnDeadlineText deadline={own} />
        </p>
      )}
      {overdueFrom && status.overThreeMonths && (
        <p className="is-overdue">
          Över tre månader sedan {formatDate(overdueFrom)} – rapporteras till IVO
        </p>
      )}
      {threeMonthDate && !status.overThreeMonths && own?.kind !== 'tremanadersdag' && (
        <p>
          Tre månader går ut {formatDate(threeMonthDate)} (
          {dueText(daysBetween(today, threeMonthDate))})
        </p>
      )}
      {showOffer && offer && <p>{offerText(offer)}</p>}
    </li>
  );
}

/** "Senaste erbjudande 10 april 2026 (Servicebostad Ask): tackat nej 20 april 2026". */
export function offerText(offer: LatestOffer): string {
  const what = offer.text ? ` (${offer.text})` : '';
  const answer =
    offer.answer === 'tackat_nej'
      ? `tackat nej ${formatDate(offer.answeredOn)}`
      : offer.answer === 'accepterat'
        ? `accepterat, verkställt ${formatDate(offer.answeredOn)}`
        : 'inget svar än';
  return `Senaste erbjudande ${formatDate(offer.date)}${what}: ${answer}`;
}
