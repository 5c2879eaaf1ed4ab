import {
  formatKronor,
  formatSwedishDate,
  sarskildAvgiftRange,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, errorMessage } from '../api/client';
import { useMe } from '../app/context';
import { NamndSelect } from '../components/Pickers';
import { useOrg } from '../local/hooks';
import { reportingNamndIds } from './quarter-view';
import {
  feeDeadlineText,
  feeRangeText,
  type RiskAnswer,
  uppskovLovText,
  waitedText,
  waitStartText,
} from './risk-view';
import { formatCount } from './statistik-view';

/** The ranges the law gives, from the domain's one table: for decisions from 2026 and before. */
const NEW_RANGE = sarskildAvgiftRange('2026-01-01');
const OLD_RANGE = sarskildAvgiftRange('2025-12-31');
const rangeText = (r: { min: number; max: number }) =>
  `${formatKronor(r.min).replace(/\u00a0kr$/, '')}–${formatKronor(r.max)}`;

/** How many of the longest waits the screen shows before the user asks for all. */
const FIRST_ROWS = 100;
/** The most the server returns in one answer. */
const MAX_ROWS = 5000;

/**
 * Risk of särskild avgift: the nämnd's decisions and interruptions that have waited more than three
 * months today, longest first, with the fee range the law gives for each decision's date and the
 * last day the court can serve IVO's application for it (or that it has passed), so the nämnd can
 * act before IVO does. A SoL wait the person asked to postpone within LOV stays in its place but
 * says it gives no fee instead of the range. Each row links to its decision's page.
 */
export function Risk() {
  const me = useMe();
  const remoteOrg = useQuery({
    queryKey: ['org-overview'],
    queryFn: () => api.org.overview.query(),
  });
  const localOrg = useOrg();
  const org = remoteOrg.data ?? localOrg.data ?? null;
  const namndIds = reportingNamndIds(me.roles);
  const namnder = namndIds
    .map((id) => ({ id, namn: org?.namnder.find((n) => n.id === id)?.namn ?? 'Nämnd' }))
    .sort((a, b) => a.namn.localeCompare(b.namn, 'sv'));
  const [chosenNamnd, setChosenNamnd] = useState<string | null>(null);
  const namndId = chosenNamnd ?? namndIds[0] ?? '';
  const [limit, setLimit] = useState(FIRST_ROWS);

  const waits = useQuery({
    queryKey: ['risk', namndId, limit],
    queryFn: () => api.risk.longestWaits.query({ namndId, limit }),
    enabled: namndId !== '',
  });

  return (
    <>
      <h1>Risk för särskild avgift</h1>
      <p className="lead">
        Beslut och avbrott som väntat mer än tre månader, det längsta först. IVO kan begära att
        förvaltningsrätten ålägger kommunen en särskild avgift: {rangeText(NEW_RANGE)} för beslut
        från 1 januari 2026 och {rangeText(OLD_RANGE)} för äldre beslut. Hur stor avgiften blir
        beror bland annat på väntetiden och kommunens insatser.
      </p>
      {namnder.length > 1 && (
        <div className="quarter-controls">
          <NamndSelect
            namnder={namnder}
            value={namndId}
            onChange={(id) => {
              setChosenNamnd(id);
              setLimit(FIRST_ROWS);
            }}
          />
        </div>
      )}
      {namnder.length === 0 ? (
        <p className="empty">Du rapporterar inte för någon nämnd.</p>
      ) : waits.isPending ? (
        <p role="status">Hämtar besluten…</p>
      ) : waits.isError ? (
        <div className="notice notice-danger" role="alert">
          <p>Besluten kunde inte hämtas. {errorMessage(waits.error)}</p>
          <button type="button" className="button-secondary" onClick={() => void waits.refetch()}>
            Försök igen
          </button>
        </div>
      ) : (
        <RiskBody
          answer={waits.data}
          namndNamn={namnder.find((n) => n.id === namndId)?.namn ?? 'Nämnden'}
          onShowAll={() => setLimit(Math.min(waits.data.total, MAX_ROWS))}
        />
      )}
    </>
  );
}

function RiskBody({
  answer,
  namndNamn,
  onShowAll,
}: {
  answer: RiskAnswer;
  namndNamn: string;
  onShowAll: () => void;
}) {
  const areas = answer.verksamhetsomraden;
  return (
    <>
      <section aria-labelledby="risk-summary">
        <h2 id="risk-summary">
          {namndNamn}: {formatCount(answer.total)} har väntat mer än tre månader
        </h2>
        <p className="card-meta">
          Läget {formatSwedishDate(answer.today)}.{' '}
          {areas === null
            ? 'Alla verksamhetsområden du rapporterar för.'
            : `Verksamhetsområden: ${areas.map((a) => verksamhetsomradeLabel(a as Verksamhetsomrade)).join(', ')}.`}{' '}
          Enligt {answer.legalReference.sol} och {answer.legalReference.lss}.
        </p>
        <p className="hint">
          Förvaltningsrätten måste delge kommunen IVO:s ansökan om särskild avgift inom två år från
          det gynnande beslutet
          {answer.avgiftFrist.sol && answer.avgiftFrist.lss
            ? ` (${answer.avgiftFrist.sol}, ${answer.avgiftFrist.lss})`
            : ''}
          . För ett avbrott räknar evb de två åren från dagen för avbrottet.
        </p>
        <dl className="facts risk-buckets">
          {answer.byWait.map((b) => (
            <div key={b.vantetid}>
              <dt>{b.label}</dt>
              <dd>{formatCount(b.count)}</dd>
            </div>
          ))}
        </dl>
        <p>
          Varje beslut rapporteras till IVO som en individrapport, under{' '}
          <Link href="/kvartal">Individrapporter</Link>.
        </p>
      </section>
      {answer.rows.length === 0 ? (
        <p className="empty" role="status">
          Inget beslut har väntat mer än tre månader.
        </p>
      ) : (
        <table className="report-table risk-table stack-table">
          <caption>
            {answer.rows.length < answer.total
              ? `De ${formatCount(answer.rows.length)} som väntat längst av ${formatCount(answer.total)}`
              : `Alla ${formatCount(answer.total)}, det längsta först`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Person och IVO-id</th>
              <th scope="col">Insats</th>
              <th scope="col">Beslutsdatum</th>
              <th scope="col">Väntat</th>
              <th scope="col">Möjlig särskild avgift</th>
            </tr>
          </thead>
          <tbody>
            {answer.rows.map((row) => (
              <tr key={row.decisionId}>
                <th scope="row">
                  <Link
                    className="report-name"
                    href={`/beslut/${encodeURIComponent(row.decisionId)}`}
                  >
                    {row.person.namn}
                    <span className="visually-hidden">: öppna beslutet om {row.insatsLabel}</span>
                  </Link>
                  <span className="report-id">
                    <span className="visually-hidden">IVO-id </span>
                    {row.person.ivoId}
                  </span>
                  {row.person.skyddadIdentitet && (
                    <span className="report-note">Skyddad identitet</span>
                  )}
                </th>
                <td data-label="Insats">
                  {row.insatsLabel}
                  <span className="report-note">
                    {verksamhetsomradeLabel(row.verksamhetsomrade as Verksamhetsomrade)}
                  </span>
                </td>
                <td data-label="Beslutsdatum" className="report-date">
                  {formatSwedishDate(row.beslutsdatum)}
                  <span className="report-note">{waitStartText(row)}</span>
                </td>
                <td data-label="Väntat" className="report-date">
                  {waitedText(row)}
                </td>
                <td data-label="Möjlig särskild avgift" className="risk-fee">
                  {row.uppskovLov !== null ? (
                    <span className="risk-no-fee">{uppskovLovText(row.uppskovLov)}</span>
                  ) : (
                    <>
                      {row.avgift && feeRangeText(row.avgift)}
                      <span
                        className={
                          row.avgiftDeadlinePassed ? 'report-note risk-passed' : 'report-note'
                        }
                      >
                        {feeDeadlineText(row)}
                      </span>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {answer.rows.length < Math.min(answer.total, MAX_ROWS) && (
        <p>
          <button type="button" className="button-secondary" onClick={onShowAll}>
            Visa alla {formatCount(answer.total)}
          </button>
        </p>
      )}
    </>
  );
}
