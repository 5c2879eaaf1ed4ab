import {
  type CountByKind,
  formatSwedishDate,
  parseQuarterKey,
  type Quarter,
  quarterKey,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, errorMessage } from '../api/client';
import { useMe, useToday } from '../app/context';
import { NamndSelect, QuarterSelect } from '../components/Pickers';
import { useOrg } from '../local/hooks';
import { initialQuarter, quarterChoices, quarterTitle, reportingNamndIds } from './quarter-view';
import {
  formatCount,
  type StatisticsReport,
  statisticsPdfHref,
  type TrendPoint,
  trendChart,
  trendDescription,
} from './statistik-view';

/**
 * The nämnd's quarterly statistics report to kommunfullmäktige (SoL 34 kap. 3 §, LSS 28 h §):
 * pick the quarter and the nämnd, read the de-identified figures by insats (grouped under SoL and
 * LSS, with subtotals), women/men and time waited, the eight-quarter trend as a chart and a table, and download the report as a PDF.
 */
export function Statistik() {
  const me = useMe();
  const today = useToday();
  const choices = quarterChoices(today);
  const [key, setKey] = useState(() => quarterKey(initialQuarter(today)));
  const quarter: Quarter = parseQuarterKey(key) ?? initialQuarter(today);

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

  const report = useQuery({
    queryKey: ['statistics', namndId, key],
    queryFn: () => api.statistics.quarter.query({ namndId, quarter }),
    enabled: namndId !== '',
  });

  return (
    <>
      <h1>Statistik till kommunfullmäktige</h1>
      <p className="lead">
        Kvartalsstatistik över beslut och avbrott som inte verkställts inom tre månader, för
        kommunfullmäktige och revisorerna (34 kap. 3 § socialtjänstlagen, 28 h § LSS).
      </p>
      <div className="quarter-controls">
        <QuarterSelect choices={choices} value={key} onChange={setKey} />
        <NamndSelect namnder={namnder} value={namndId} onChange={setChosenNamnd} />
      </div>
      <p className="notice stat-deidentified">
        <strong>Avidentifierade uppgifter.</strong> Statistiken innehåller bara antal: inga namn,
        personnummer, IVO-nummer eller datum som hör till en enskild person. I en liten kommun kan
        ett litet antal ändå peka ut någon, så pröva sekretessen innan rapporten publiceras.
      </p>

      {namnder.length === 0 ? (
        <p className="empty">Du rapporterar inte för någon nämnd.</p>
      ) : report.isPending ? (
        <p role="status">Hämtar statistiken…</p>
      ) : report.isError ? (
        <div className="notice notice-danger" role="alert">
          <p>Statistiken kunde inte hämtas. {errorMessage(report.error)}</p>
          <button type="button" className="button-secondary" onClick={() => void report.refetch()}>
            Försök igen
          </button>
        </div>
      ) : (
        <StatisticsBody report={report.data} />
      )}
    </>
  );
}

function areasText(areas: string[] | null): string {
  return areas === null
    ? 'Alla verksamhetsområden du rapporterar för.'
    : `Verksamhetsområden: ${areas.map((a) => verksamhetsomradeLabel(a as Verksamhetsomrade)).join(', ')}.`;
}

function StatisticsBody({ report }: { report: StatisticsReport }) {
  const title = `${quarterTitle(report.quarter)} – ${report.namndNamn}`;
  const ended = report.endedInQuarter;
  return (
    <>
      <section className="stat-head" aria-labelledby="stat-title">
        <h2 id="stat-title">{title}</h2>
        <p className="card-meta">
          Läget {formatSwedishDate(report.referenceDate)} (kvartalets sista dag).{' '}
          {areasText(report.verksamhetsomraden)} Enligt {report.legalReferences.join(' och ')}.
        </p>
        <p>
          <a
            className="button-secondary stat-pdf"
            href={statisticsPdfHref(report.namndId, report.quarter)}
            download={`statistik-${report.quarterKey}.pdf`}
          >
            Ladda ner PDF<span className="visually-hidden">: statistikrapport {title}</span>
          </a>
        </p>
      </section>

      <section aria-labelledby="stat-summary">
        <h2 id="stat-summary">Sammanfattning</h2>
        <table className="stat-table">
          <caption className="visually-hidden">
            Beslut och avbrott som inte verkställts inom tre månader, per kön
          </caption>
          <thead>
            <tr>
              <td />
              <th scope="col">Kvinnor</th>
              <th scope="col">Män</th>
              <th scope="col">Totalt</th>
            </tr>
          </thead>
          <tbody>
            <KonRow label="Beslut som inte verkställts" row={report.total.beslut} />
            <KonRow label="Avbrott som inte återupptagits" row={report.total.avbrott} />
            <KonRow label="Totalt" row={report.total.total} total />
          </tbody>
        </table>
        <p>
          Under kvartalet verkställdes {formatCount(ended.verkstalld)} och avslutades{' '}
          {formatCount(ended.avslutad)} beslut eller avbrott som hade väntat mer än tre månader. De
          ingår inte i siffrorna ovan.
        </p>
      </section>

      <section aria-labelledby="stat-insats">
        <h2 id="stat-insats">Per insats</h2>
        {report.total.total.total === 0 ? (
          <p className="empty">Inga beslut eller avbrott hade väntat mer än tre månader.</p>
        ) : (
          <InsatsTable groups={report.byLagrum} total={report.total} />
        )}
      </section>

      <section aria-labelledby="stat-wait">
        <h2 id="stat-wait">Per väntetid</h2>
        <p className="hint">
          Tid från beslutet eller avbrottet till kvartalets sista dag. 3–6 månader är mer än tre och
          högst sex månader.
        </p>
        <BreakdownTable
          caption="Beslut och avbrott som inte verkställts inom tre månader, per väntetid"
          first="Väntetid"
          rows={report.byWait.map((r) => ({ key: r.vantetid, label: r.label, counts: r.counts }))}
          total={report.total}
        />
      </section>

      <section aria-labelledby="stat-trend">
        <h2 id="stat-trend">Utveckling de senaste åtta kvartalen</h2>
        <TrendChart trend={report.trend} />
        <table className="stat-table">
          <caption>Antal vid varje kvartals sista dag (samma siffror som i diagrammet)</caption>
          <thead>
            <tr>
              <th scope="col">Kvartal</th>
              <th scope="col">Beslut</th>
              <th scope="col">Avbrott</th>
              <th scope="col">Totalt</th>
            </tr>
          </thead>
          <tbody>
            {report.trend.map((t) => (
              <tr key={t.quarterKey}>
                <th scope="row">{quarterTitle(t.quarter)}</th>
                <td>{formatCount(t.total.beslut.total)}</td>
                <td>{formatCount(t.total.avbrott.total)}</td>
                <td>{formatCount(t.total.total.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function KonRow({
  label,
  row,
  total = false,
}: {
  label: string;
  row: CountByKind['total'];
  total?: boolean;
}) {
  return (
    <tr className={total ? 'stat-total' : undefined}>
      <th scope="row">{label}</th>
      <td>{formatCount(row.kvinna)}</td>
      <td>{formatCount(row.man)}</td>
      <td>{formatCount(row.total)}</td>
    </tr>
  );
}

/** The figures of a row: decisions, interruptions, women, men, all. */
function CountCells({ counts }: { counts: CountByKind }) {
  return (
    <>
      <td>{formatCount(counts.beslut.total)}</td>
      <td>{formatCount(counts.avbrott.total)}</td>
      <td>{formatCount(counts.total.kvinna)}</td>
      <td>{formatCount(counts.total.man)}</td>
      <td>{formatCount(counts.total.total)}</td>
    </>
  );
}

const BREAKDOWN_HEADERS = ['Beslut', 'Avbrott', 'Kvinnor', 'Män', 'Totalt'];

/**
 * The figures per insats, grouped under SoL and then LSS as the server orders them (insatser in
 * the code list's order), each group under its heading row and closed by its subtotal, then the
 * total. Each group is a row group, so a screen reader names the group with each figure.
 */
function InsatsTable({
  groups,
  total,
}: {
  groups: StatisticsReport['byLagrum'];
  total: CountByKind;
}) {
  return (
    <table className="stat-table">
      <caption className="visually-hidden">
        Beslut och avbrott som inte verkställts inom tre månader, per insats enligt SoL och LSS
      </caption>
      <thead>
        <tr>
          <th scope="col">Insats</th>
          {BREAKDOWN_HEADERS.map((header) => (
            <th key={header} scope="col">
              {header}
            </th>
          ))}
        </tr>
      </thead>
      {groups.map((group) => (
        <tbody key={group.lagrum}>
          <tr>
            <th scope="rowgroup" colSpan={6}>
              {group.label}
            </th>
          </tr>
          {group.insatser.map((r) => (
            <tr key={r.insats} className="stat-insats">
              <th scope="row">{r.insatsLabel}</th>
              <CountCells counts={r.counts} />
            </tr>
          ))}
          <tr className="stat-subtotal">
            <th scope="row">Summa {group.lagrum}</th>
            <CountCells counts={group.counts} />
          </tr>
        </tbody>
      ))}
      <tbody>
        <tr className="stat-total">
          <th scope="row">Totalt</th>
          <CountCells counts={total} />
        </tr>
      </tbody>
    </table>
  );
}

function BreakdownTable({
  caption,
  first,
  rows,
  total,
}: {
  caption: string;
  first: string;
  rows: { key: string; label: string; counts: CountByKind }[];
  total: CountByKind;
}) {
  return (
    <table className="stat-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{first}</th>
          {BREAKDOWN_HEADERS.map((header) => (
            <th key={header} scope="col">
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <CountCells counts={r.counts} />
          </tr>
        ))}
        <tr className="stat-total">
          <th scope="row">Totalt</th>
          <CountCells counts={total} />
        </tr>
      </tbody>
    </table>
  );
}

/**
 * The trend as stacked bars drawn in SVG: decisions below, interruptions above, the total written
 * above each bar and a legend in words, so colour is never the only signal. The table after it
 * holds the same figures.
 */
function TrendChart({ trend }: { trend: readonly TrendPoint[] }) {
  const chart = trendChart(trend);
  const titleId = useId();
  const descId = useId();
  return (
    <figure className="stat-chart">
      <svg
        viewBox={`0 0 ${chart.width} ${chart.height}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={titleId}>
          Beslut och avbrott som inte verkställts inom tre månader, de senaste åtta kvartalen
        </title>
        <desc id={descId}>{trendDescription(trend)}</desc>
        <line
          className="stat-axis"
          x1={0}
          x2={chart.width}
          y1={chart.baseline}
          y2={chart.baseline}
        />
        {chart.bars.map((bar) => (
          <g key={bar.key}>
            {bar.beslutHeight > 0 && (
              <rect
                className="stat-bar-beslut"
                x={bar.x}
                y={bar.beslutY}
                width={bar.width}
                height={bar.beslutHeight}
              />
            )}
            {bar.avbrottHeight > 0 && (
              <rect
                className="stat-bar-avbrott"
                x={bar.x}
                y={bar.avbrottY}
                width={bar.width}
                height={bar.avbrottHeight}
              />
            )}
            <text className="stat-bar-total" x={bar.x + bar.width / 2} y={bar.labelY}>
              {formatCount(bar.total)}
            </text>
            <text className="stat-bar-label" x={bar.x + bar.width / 2} y={chart.baseline + 18}>
              {bar.label.split(' ')[0]}
            </text>
            <text className="stat-bar-label" x={bar.x + bar.width / 2} y={chart.baseline + 34}>
              {bar.label.split(' ')[1]}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="stat-legend">
        <span>
          <span className="stat-swatch stat-swatch-beslut" aria-hidden="true" /> Beslut (nedre del)
        </span>
        <span>
          <span className="stat-swatch stat-swatch-avbrott" aria-hidden="true" /> Avbrott (övre del)
        </span>
      </figcaption>
    </figure>
  );
}
