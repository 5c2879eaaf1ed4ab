import {
  parseQuarterKey,
  type Quarter,
  quarterBounds,
  quarterKey,
  quarterLabel,
  reportingWindow,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId } from 'react';
import { Link, useSearchParams } from 'wouter';
import { api, errorMessage } from '../api/client';
import { useMe, useToday } from '../app/context';
import { NamndSelect, QuarterSelect } from '../components/Pickers';
import { formatDate } from '../format/format';
import { useOrg } from '../local/hooks';
import { type QuarterExport, quarterExportHref } from './individrapport-view';
import { QuarterLineTable } from './QuarterLineTable';
import {
  type EarlierPeriod,
  earlierPeriodText,
  filterCounts,
  LINE_FILTERS,
  type LineFilter,
  needsTodo,
  parseLineFilter,
  periodTitle,
  rows,
  type TodoSummary,
  todoGroups,
  todoSummary,
  windowCountdown,
  withTodo,
} from './quarter-todo';
import {
  defaultPeriod,
  quarterChoices,
  reportingNamndIds,
  WINDOW_BADGES,
  type WindowState,
  windowState,
  windowText,
} from './quarter-view';

/**
 * The rapportör's individrapporter of a reporting period, as a to-do view (IVO abolished the
 * quarterly report, seed 002; what remains is each period's individrapporter, filed in IVO's
 * e-tjänst within the period's window). It opens on the period whose window is open, else the
 * current quarter (the domain's defaultReportQuarter), and points out earlier periods left with
 * unfiled lines. At the top: what can be filed today, what has findings to correct, the unhandled
 * messages and the days until the window closes or opens. The lines are grouped by the report
 * type sent, what can be done today first; each opens its individrapport and its decision. The
 * period, the nämnd and the filter are kept in the address (`?kvartal=2026-Q3&namnd=…&visa=…`), so
 * coming back from a report or a decision opens the same list.
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
      : quarterKey(defaultPeriod(today));
  const quarter: Quarter = parseQuarterKey(key) ?? defaultPeriod(today);
  const filter = parseLineFilter(search.get('visa'));
  const choose = (next: { kvartal?: string; namnd?: string; visa?: LineFilter }) =>
    setSearch(
      (prev) => {
        const params = new URLSearchParams(prev);
        for (const [name, value] of Object.entries(next)) {
          if (name === 'visa' && value === 'alla') params.delete(name);
          else params.set(name, value);
        }
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
  // Building every unfiled line's report takes longer than the lines: asked for beside them, so
  // the lines show at once and what is left to do fills in.
  const todo = useQuery({
    queryKey: ['quarter-todo', namndId, key],
    queryFn: () => api.quarter.todo.query({ namndId, quarter }),
    enabled: namndId !== '',
  });

  useEffect(() => {
    const previous = document.title;
    document.title = `Individrapporter, ${quarterLabel(quarter)} – evb`;
    return () => {
      document.title = previous;
    };
  }, [quarter]);

  const quarterId = useId();
  const index = choices.findIndex((q) => quarterKey(q) === key);
  const reportWindow = windowState(quarter, today);
  const badge = WINDOW_BADGES[reportWindow.state];
  const namndNamn = namnder.find((n) => n.id === namndId)?.namn;
  const areas = lines.data?.verksamhetsomraden;
  const todoLines = lines.data ? withTodo(lines.data.lines, todo.data) : [];
  const todoLoaded = todo.data !== undefined;

  return (
    <>
      <h1>Individrapporter</h1>
      <p className="lead">
        Beslut som inte verkställts inom tre månader, och avbrott, rapporteras till IVO som
        individrapporter i varje rapporteringsperiod.
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
          {periodTitle(quarter, lines.data?.window ?? reportingWindow(quarter))}
          {namndNamn && namnder.length > 1 ? ` – ${namndNamn}` : ''}
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

      {todo.data && todo.data.earlier.length > 0 && (
        <EarlierPeriods
          periods={todo.data.earlier}
          reachable={choices.map(quarterKey)}
          namndId={namndId}
        />
      )}

      {namnder.length === 0 ? (
        <p className="empty">Du rapporterar inte för någon nämnd.</p>
      ) : lines.isPending ? (
        <p role="status">Hämtar periodens rader…</p>
      ) : lines.isError ? (
        <div className="notice notice-danger" role="alert">
          <p>Periodens rader kunde inte hämtas. {errorMessage(lines.error)}</p>
          <button type="button" className="button-secondary" onClick={() => void lines.refetch()}>
            Försök igen
          </button>
        </div>
      ) : (
        <>
          <Summary
            summary={todoSummary(todoLines, todoLoaded)}
            window={reportWindow}
            checking={todo.isPending}
            onFilter={(visa) => choose({ visa })}
          />
          {todo.isError && (
            <div className="notice notice-danger" role="alert">
              <p>
                Det gick inte att kontrollera rapporterna, så det syns inte vilka som kan lämnas i
                dag eller har fel att rätta. {errorMessage(todo.error)}
              </p>
              <button
                type="button"
                className="button-secondary"
                onClick={() => void todo.refetch()}
              >
                Försök igen
              </button>
            </div>
          )}
          <Filters
            filter={filter}
            counts={filterCounts(todoLines, todoLoaded)}
            onChange={(visa) => choose({ visa })}
          />
          {todoLines.length === 0 ? (
            <p className="empty" role="status">
              Inga beslut att rapportera för {quarterLabel(quarter)}.
            </p>
          ) : needsTodo(filter) && !todoLoaded ? (
            <p role="status">Kontrollerar rapporterna…</p>
          ) : (
            todoGroups(todoLines, filter).map((group) => (
              <QuarterLineTable
                key={group.kategori}
                group={group}
                filtered={filter !== 'alla'}
                quarter={quarter}
                namndId={namndId}
                filter={filter}
                today={today}
              />
            ))
          )}
        </>
      )}

      {namndId !== '' && <Exports namndId={namndId} quarter={quarter} />}
    </>
  );
}

/** What is left to do in the period, at a glance; each figure shows its lines. */
function Summary({
  summary,
  window,
  checking,
  onFilter,
}: {
  summary: TodoSummary;
  window: WindowState;
  checking: boolean;
  onFilter: (filter: LineFilter) => void;
}) {
  const headingId = useId();
  const countdown = windowCountdown(window);
  const unknown = checking ? 'Kontrolleras…' : '–';
  return (
    <section className="todo-summary" aria-labelledby={headingId}>
      <h2 id={headingId}>Att göra</h2>
      <ul className="todo-figures">
        <li>
          <button type="button" className="todo-figure" onClick={() => onFilter('kan-lamnas')}>
            <span className="todo-number">{summary.fileableToday ?? unknown}</span>
            <span className="todo-label">kan lämnas i dag</span>
          </button>
        </li>
        <li>
          <button type="button" className="todo-figure" onClick={() => onFilter('fel')}>
            <span className="todo-number">{summary.withFindings ?? unknown}</span>
            <span className="todo-label">
              {summary.withFindings === 1 ? 'rad har fel att rätta' : 'rader har fel att rätta'}
            </span>
          </button>
        </li>
        <li>
          <button type="button" className="todo-figure" onClick={() => onFilter('meddelanden')}>
            <span className="todo-number">{summary.unhandledMessages}</span>
            <span className="todo-label">
              {summary.unhandledMessages === 1 ? 'oläst meddelande' : 'olästa meddelanden'}
            </span>
          </button>
        </li>
        <li>
          <button type="button" className="todo-figure" onClick={() => onFilter('ej-inlamnade')}>
            <span className="todo-number">
              {summary.unfiled}
              <span className="todo-of"> av {summary.lines}</span>
            </span>
            <span className="todo-label">ej inlämnade</span>
          </button>
        </li>
        <li className="todo-figure todo-window">
          <span className="todo-number">
            <span className="visually-hidden">Rapporteringsperioden: </span>
            {countdown.figure}
          </span>
          <span className="todo-label">{countdown.detail}</span>
        </li>
      </ul>
    </section>
  );
}

/** Which lines to show, kept in the address (`?visa=`). */
function Filters({
  filter,
  counts,
  onChange,
}: {
  filter: LineFilter;
  counts: Record<LineFilter, number | null>;
  onChange: (filter: LineFilter) => void;
}) {
  return (
    <fieldset className="chips todo-filters">
      <legend>Visa</legend>
      {LINE_FILTERS.map(({ value, label }) => (
        <button
          key={value}
          type="button"
          className={filter === value ? 'chip is-chosen' : 'chip'}
          aria-pressed={filter === value}
          onClick={() => onChange(value)}
        >
          {label}
          {counts[value] !== null && ` (${counts[value]})`}
        </button>
      ))}
    </fieldset>
  );
}

/** Earlier periods (back eight quarters) that still have unfiled lines, each a link to it. */
function EarlierPeriods({
  periods,
  reachable,
  namndId,
}: {
  periods: readonly EarlierPeriod[];
  reachable: readonly string[];
  namndId: string;
}) {
  const total = periods.reduce((n, p) => n + p.unfiled, 0);
  return (
    <div className="notice todo-earlier">
      <p>
        <strong>Tidigare perioder har rader som inte är registrerade som inlämnade</strong> (
        {rows(total)}). Lämna in dem, eller registrera det som redan lämnats i IVO:s e-tjänst.
      </p>
      <ul>
        {periods.map((p) => (
          <li key={p.quarterKey}>
            {reachable.includes(p.quarterKey) ? (
              <Link
                href={`/kvartal?${new URLSearchParams({ kvartal: p.quarterKey, namnd: namndId, visa: 'ej-inlamnade' }).toString()}`}
              >
                {earlierPeriodText(p)}
              </Link>
            ) : (
              earlierPeriodText(p)
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

const EXPORTS: { format: QuarterExport; label: string }[] = [
  { format: 'pdf', label: 'PDF' },
  { format: 'csv', label: 'CSV' },
  { format: 'xlsx', label: 'Excel (XLSX)' },
];

/** The period's lines as files: a PDF to read, CSV and XLSX to work on. */
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
              <span className="visually-hidden">: individrapporter {quarterLabel(quarter)}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
