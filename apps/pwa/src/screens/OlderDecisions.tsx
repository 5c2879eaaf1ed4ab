import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { api, errorMessage } from '../api/client';
import { useSyncState } from '../app/context';
import { StateBadge } from '../components/DeadlineText';
import { formatDate } from '../format/format';

/*
 * The search of "Mina beställningar" and "Mina beslut" reaches the decisions the device does not
 * keep (those settled before the sync window): while online, the search text also goes to the
 * server (decisions.list's search: name, IVO id, insats, personnummer where the user sees it),
 * and the matches not on the device are listed under "Äldre beslut", each linking its page (read
 * online). Light: only from MIN_SEARCH characters, after the user has stopped typing a moment.
 */

/** Shorter texts are not sent: they would match half the register. */
export const MIN_SEARCH = 2;
/** How long the text must stand still before it is sent (ms). */
export const SEARCH_DEBOUNCE_MS = 400;
/** How many matches one search asks for. */
export const SEARCH_LIMIT = 50;

/** `value`, once it has not changed for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function OlderDecisions({
  search,
  onDevice,
}: {
  search: string;
  /** The ids of the decisions the device holds: they are in the list above already. */
  onDevice: ReadonlySet<string>;
}) {
  const { online } = useSyncState();
  const text = useDebounced(search.trim(), SEARCH_DEBOUNCE_MS);
  const wanted = text.length >= MIN_SEARCH && search.trim().length >= MIN_SEARCH;
  const found = useQuery({
    queryKey: ['older-decisions', text],
    queryFn: () => api.decisions.list.query({ search: text, sort: 'newest', limit: SEARCH_LIMIT }),
    enabled: wanted && online,
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });
  if (!wanted) return null;

  const items = (found.data?.items ?? []).filter((d) => !onDevice.has(d.id));
  return (
    <section aria-labelledby="older-h" className="older-decisions">
      <h2 id="older-h">Äldre beslut</h2>
      {!online && !found.data ? (
        <p className="empty">
          Äldre beslut, som inte sparas på enheten, söks när du är ansluten till nätet.
        </p>
      ) : found.isPending || text !== search.trim() ? (
        <p role="status">Söker bland äldre beslut…</p>
      ) : found.isError ? (
        <p className="error" role="alert">
          Äldre beslut kunde inte sökas. {errorMessage(found.error)}
        </p>
      ) : items.length === 0 ? (
        <p className="empty">Inga äldre beslut matchar.</p>
      ) : (
        <>
          <p className="card-meta">
            Beslut som inte sparas på enheten, hämtade från servern.
            {found.data.nextOffset !== null &&
              ` Visar de ${SEARCH_LIMIT} senaste träffarna; skriv mer för att hitta andra.`}
          </p>
          <ul className="cards">
            {items.map((d) => (
              <li key={d.id} className="card">
                <h3 className="card-title">
                  <Link href={`/beslut/${d.id}`}>
                    {d.person.fornamn} {d.person.efternamn}
                  </Link>
                </h3>
                <p className="card-meta">
                  {d.insatsLabel} · beslut {formatDate(d.beslutsdatum)}
                  {d.enhet ? ` · ${d.enhet.namn}` : ''}
                </p>
                <p>
                  <StateBadge status={d.caseStatus} />
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
