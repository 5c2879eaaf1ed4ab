import { useQuery } from '@tanstack/react-query';
import { api, errorMessage } from '../api/client';
import { useSyncState } from '../app/context';
import { formatDate } from '../format/format';
import {
  filingCopyText,
  filingRecordedText,
  filingStatusText,
  reportText,
} from './individrapport-view';

/**
 * The decision's individrapporter filed with IVO, newest quarter first, each with the frozen copy
 * of what was filed — and, for a filing recorded afterwards or imported, who recorded it when and
 * whether the copy is what was sent or evb's report at the time. Read from the server (the copies are not kept on the device), so offline the
 * section says it shows when connected.
 */
export function FilingHistory({ decisionId }: { decisionId: string }) {
  const online = useSyncState().online;
  const history = useQuery({
    queryKey: ['filing-history', decisionId],
    queryFn: () => api.reports.history.query({ decisionId }),
    enabled: online,
  });
  return (
    <section aria-labelledby="filings-h" className="filing-history">
      <h2 id="filings-h">Inlämnat till IVO</h2>
      {!online && !history.data ? (
        <p className="empty">Rapporterna till IVO visas när du är ansluten.</p>
      ) : history.isPending ? (
        <p role="status">Hämtar rapporterna till IVO…</p>
      ) : history.isError ? (
        <div className="notice notice-danger" role="alert">
          <p>Rapporterna till IVO kunde inte hämtas. {errorMessage(history.error)}</p>
          <button type="button" className="button-secondary" onClick={() => void history.refetch()}>
            Försök igen
          </button>
        </div>
      ) : history.data.filings.length === 0 ? (
        <p className="empty">Inga individrapporter om beslutet är inlämnade till IVO.</p>
      ) : (
        <ul className="cards filing-list">
          {[...history.data.filings]
            .sort(
              (a, b) => b.quarter.localeCompare(a.quarter) || b.filedAt.localeCompare(a.filedAt),
            )
            .map((f) => (
              <li key={f.id} className="card">
                <h3 className="card-title">
                  {f.quarterLabel.charAt(0).toLocaleUpperCase('sv') + f.quarterLabel.slice(1)} –{' '}
                  {reportText(f.report).toLocaleLowerCase('sv')}
                </h3>
                <p>
                  <span className="badge badge-ok">{filingStatusText(f)}</span> Inlämnad{' '}
                  {formatDate(f.filedOn)}
                  {filingRecordedText(f) === null ? ` av ${f.filedBy.namn}` : ''}
                </p>
                {filingRecordedText(f) !== null && (
                  <p className="card-meta">
                    {filingRecordedText(f)}. {filingCopyText(f)}
                  </p>
                )}
                {f.snapshot.text ? (
                  <details className="filing-copy">
                    <summary>
                      {f.recorded !== 'evb' && !f.fieldsAsSent
                        ? 'Visa evb:s rapport när inlämningen registrerades'
                        : 'Visa rapporten som lämnades in'}
                    </summary>
                    <pre className="ir-text">{f.snapshot.text}</pre>
                  </details>
                ) : (
                  <p className="card-meta">Ingen kopia av rapporten sparades.</p>
                )}
              </li>
            ))}
        </ul>
      )}
      {!online && history.data && (
        <p className="card-meta">
          Du är inte ansluten: listan visar läget när den senast hämtades.
        </p>
      )}
    </section>
  );
}
