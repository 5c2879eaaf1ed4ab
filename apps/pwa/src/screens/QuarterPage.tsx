import {
  parseQuarterKey,
  type Quarter,
  quarterBounds,
  quarterKey,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Link, useSearchParams } from 'wouter';
import { api, errorMessage } from '../api/client';
import { useMe, useToday } from '../app/context';
import { NamndSelect, QuarterSelect } from '../components/Pickers';
import { days, formatDate } from '../format/format';
import { useOrg } from '../local/hooks';
import { individrapportHref, type QuarterExport, quarterExportHref } from './individrapport-view';
import {
  episodeKindText,
  filedText,
  initialQuarter,
  KATEGORIER,
  type Kategori,
  messagesText,
  notFileableToday,
  type QuarterLine,
  quarterChoices,
  quarterTitle,
  reportingNamndIds,
  STATUS_TONES,
  statusText,
  WINDOW_BADGES,
  windowState,
  windowText,
} from './quarter-view';

/**
 * The rapportör's quarter: pick the quarter (the one whose window is open, else the latest ended)
 * and the nämnd, see the reporting window, and the quarter's lines to IVO grouped as
 * nyrapporteringar, återrapporteringar and slutrapporteringar, with whether each is filed; each
 * line opens its individrapport. The chosen quarter and nämnd are kept in the address
 * (`?kvartal=2026-Q3&namnd=…`), so coming back from a report opens the same list.
 */
export function QuarterPage() {
  const me = useMe();
  const today = useToday();
  const choices = quarterChoices(today);
  const [search, setSearch] = useSearchParams();
  const asked = search.get('kvartal');
  const key =
    asked && choices.some((q) => quarterKey(q) === asked)
      ? asked
      : quarterKey(initialQuarter(today));
  const quarter: Quarter = parseQuarterKey(key) ?? initialQuarter(today);
  const choose = (next: { kvartal?: string; namnd?: string }) =>
    setSearch(
      (prev) => {
        const params = new URLSearchParams(prev);
        for (const [name, value] of Object.entries(next)) params.set(name, value);
        return params;
      },
      { replace: true },
    );
  const setKey = (kvartal: string) => choose({ kvartal });

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
  const chosenNamnd = search.get('namnd');
  const setChosenNamnd = (namnd: string) => choose({ namnd });
  // The first grant's nämnd until the user chooses: stable while the names load.
  const namndId = chosenNamnd && namndIds.includes(chosenNamnd) ? chosenNamnd : (namndIds[0] ?? '');

  const lines = useQuery({
    queryKey: ['quarter', namndId, key],
    queryFn: () => api.quarter.lines.query({ namndId, quarter }),
    enabled: namndId !== '',
  });

  const quarterId = useId();
  const index = choices.findIndex((q) => quarterKey(q) === key);
  const reportWindow = windowState(quarter, today);
  const badge = WINDOW_BADGES[reportWindow.state];
  const namndNamn = namnder.find((n) => n.id === namndId)?.namn;
  const areas = lines.data?.verksamhetsomraden;

  return (
    <>
      <h1>Kvartalsrapport till IVO</h1>
      <p className="lead">
        Beslut som inte verkställts inom tre månader, och avbrott, rapporteras till IVO varje
        kvartal.
      </p>
      {lines.data?.windowWarning && (
        <p className="notice notice-danger quarter-warning">
          <strong>Rapporteringsperioden stänger snart.</strong> {lines.data.windowWarning.message}
        </p>
      )}
      <div className="quarter-controls">
        <QuarterSelect id={quarterId} choices={choices} value={key} onChange={setKey} />
        <div className="quarter-step">
          <button
            type="button"
            className="button-secondary"
            disabled={index >= choices.length - 1}
            onClick={() => setKey(quarterKey(choices[index + 1]!))}
          >
            ← Föregående<span className="visually-hidden"> kvartal</span>
          </button>
          <button
            type="button"
            className="button-secondary"
            disabled={index <= 0}
            onClick={() => setKey(quarterKey(choices[index - 1]!))}
          >
            Nästa<span className="visually-hidden"> kvartal</span> →
          </button>
        </div>
        <NamndSelect namnder={namnder} value={namndId} onChange={setChosenNamnd} />
      </div>

      <section className="quarter-window" aria-labelledby={`${quarterId}-window`}>
        <h2 id={`${quarterId}-window`}>
          {quarterTitle(quarter)}
          {namndNamn && namnder.length > 0 ? ` – ${namndNamn}` : ''}
        </h2>
        <p>
          <span className={`badge ${badge.tone}`}>{badge.label}</span> {windowText(reportWindow)}
        </p>
        <p className="card-meta">
          Rapporterna gäller läget{' '}
          {formatDate(lines.data?.referenceDate ?? quarterBounds(quarter).end)} (kvartalets sista
          dag).
          {areas !== undefined &&
            (areas === null
              ? ' Alla verksamhetsområden du rapporterar för.'
              : ` Verksamhetsområden: ${areas.map((a) => verksamhetsomradeLabel(a as Verksamhetsomrade)).join(', ')}.`)}
        </p>
      </section>

      {namndId !== '' && <Exports namndId={namndId} quarter={quarter} />}

      {namnder.length === 0 ? (
        <p className="empty">Du rapporterar inte för någon nämnd.</p>
      ) : lines.isPending ? (
        <p role="status">Hämtar kvartalets rader…</p>
      ) : lines.isError ? (
        <div className="notice notice-danger" role="alert">
          <p>Kvartalets rader kunde inte hämtas. {errorMessage(lines.error)}</p>
          <button type="button" className="button-secondary" onClick={() => void lines.refetch()}>
            Försök igen
          </button>
        </div>
      ) : (
        <>
          {lines.data.lines.length === 0 && (
            <p className="empty" role="status">
              Inga beslut att rapportera för {quarterTitle(quarter).toLocaleLowerCase('sv')}.
            </p>
          )}
          {KATEGORIER.map(({ kategori, title, empty }) => (
            <LineGroup
              key={kategori}
              kategori={kategori}
              title={title}
              empty={empty}
              quarter={quarter}
              namndId={namndId}
              today={today}
              count={lines.data.counts[kategori]}
              lines={lines.data.lines.filter((l) => l.kategori === kategori)}
            />
          ))}
        </>
      )}
    </>
  );
}

const EXPORTS: { format: QuarterExport; label: string }[] = [
  { format: 'pdf', label: 'PDF' },
  { format: 'csv', label: 'CSV' },
  { format: 'xlsx', label: 'Excel (XLSX)' },
];

/** The quarter's lines as files: a PDF to read, CSV and XLSX to work on. */
function Exports({ namndId, quarter }: { namndId: string; quarter: Quarter }) {
  const headingId = useId();
  return (
    <section className="quarter-exports" aria-labelledby={headingId}>
      <h2 id={headingId}>Exportera</h2>
      <ul className="quarter-export-links">
        {EXPORTS.map(({ format, label }) => (
          <li key={format}>
            <a
              className="button-secondary button-as-link"
              href={quarterExportHref(format, namndId, quarter)}
              download
            >
              {label}
              <span className="visually-hidden">
                : {quarterTitle(quarter).toLocaleLowerCase('sv')}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function LineGroup({
  kategori,
  title,
  empty,
  quarter,
  namndId,
  today,
  count,
  lines,
}: {
  kategori: Kategori;
  title: string;
  empty: string;
  quarter: Quarter;
  namndId: string;
  today: string;
  count: number;
  lines: QuarterLine[];
}) {
  const headingId = useId();
  return (
    <section className="report-group" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {title} <span className="report-count">({count})</span>
      </h2>
      {lines.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <table className="report-table stack-table" data-kategori={kategori}>
          <caption className="visually-hidden">
            {title}, {quarterTitle(quarter).toLocaleLowerCase('sv')}: {count}{' '}
            {count === 1 ? 'rad' : 'rader'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Person och IVO-id</th>
              <th scope="col">Insats</th>
              <th scope="col">Väntan började</th>
              <th scope="col">Tre månader passerade</th>
              <th scope="col">Väntat</th>
              <th scope="col">Status</th>
              <th scope="col">Inlämnad</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => {
              const blocked = notFileableToday(line, quarter, today);
              return (
                <tr key={`${line.decisionId}|${line.episode.start}`}>
                  <th scope="row">
                    <Link
                      className="report-name"
                      href={individrapportHref({
                        namndId,
                        quarter,
                        decisionId: line.decisionId,
                        episodeStart: line.episode.start,
                      })}
                    >
                      {line.person.namn}
                      <span className="visually-hidden">: individrapport</span>
                    </Link>
                    <span className="report-id">
                      <span className="visually-hidden">IVO-id </span>
                      {line.person.ivoId}
                    </span>
                    {line.person.skyddadIdentitet && (
                      <span className="report-note">Skyddad identitet</span>
                    )}
                  </th>
                  <td data-label="Insats">
                    {line.insatsLabel}
                    <span className="report-note">
                      {verksamhetsomradeLabel(line.verksamhetsomrade as Verksamhetsomrade)}
                      {line.forhandsbesked ? ' · Förhandsbesked' : ''}
                    </span>
                  </td>
                  <td data-label="Väntan började">
                    {episodeKindText(line)}{' '}
                    <span className="report-date">{formatDate(line.episode.start)}</span>
                  </td>
                  <td data-label="Tre månader passerade" className="report-date">
                    {formatDate(line.overdueFrom)}
                  </td>
                  <td data-label="Väntat" className="report-date">
                    {days(line.daysWaited)}
                  </td>
                  <td data-label="Status">
                    <span className={`badge ${STATUS_TONES[line.status]}`}>{statusText(line)}</span>
                  </td>
                  <td data-label="Inlämnad" className="report-date">
                    <span className={`badge ${line.filed ? 'badge-ok' : 'badge-pending'}`}>
                      {filedText(line)}
                    </span>
                    {line.unhandledMessages > 0 && (
                      <span className="report-note report-messages">
                        {messagesText(line.unhandledMessages)}
                      </span>
                    )}
                    {blocked && <span className="report-note">{blocked}</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
