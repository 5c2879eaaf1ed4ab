import {
  type Finding,
  INDIVIDRAPPORT_MAX_LENGTH,
  INDIVIDRAPPORT_TABS,
  type IndividrapportDraft,
  type IndividrapportField,
  individrapportFieldLabel,
  individrapportFieldText,
  individrapportText,
  lockedFieldMessage,
  parseQuarterKey,
  quarterKey,
  todayInStockholm,
} from '@evb/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { Link, useSearchParams } from 'wouter';
import { api, errorMessage, errorStatus, fieldErrors } from '../api/client';
import { useServices, useSyncState, useToday } from '../app/context';
import { days, formatDate, formatTime } from '../format/format';
import { deleteDraft, draftKey, loadDraft, saveDraft } from '../local/drafts';
import {
  canBeEmptied,
  changeField,
  currentDraft,
  currentFindings,
  type Edits,
  type FileState,
  fieldKind,
  fieldOptions,
  fileState,
  individrapportDraftForm,
  individrapportPdfHref,
  KATEGORI_TEXT,
  type LineKey,
  type LineMessage,
  quarterHref,
  type ReportView,
  reportText,
  shownDraft,
  shownFields,
  tabOf,
  unsentEdits,
  uppgifter,
} from './individrapport-view';
import { episodeKindText, quarterTitle, STATUS_TONES, statusText } from './quarter-view';

/** How long the rapportör may pause typing before the change goes to the server. */
export const SAVE_DELAY_MS = 800;

type TabNumber = 1 | 2 | 3 | 4 | 5;
const TABS: { tab: TabNumber; label: string; title: string }[] = [
  ...INDIVIDRAPPORT_TABS.map((t) => ({
    tab: t.tab as TabNumber,
    label: ['Nämnd', 'Rapportör', 'Individ', 'Dröjsmål'][t.tab - 1]!,
    title: t.title,
  })),
  { tab: 5, label: 'Sammanfattning', title: 'Sammanfattning' },
];

/**
 * One report line's individrapport, laid out like IVO's e-tjänst: tabs 1–4 with every field
 * prefilled and a copy button beside it, tab 5 the whole report with what validation finds and
 * the filing. Changes go to the server a moment after typing stops and are kept on the device
 * until the server has them, so nothing typed is lost offline.
 */
export function Individrapport({
  params,
}: {
  params: { quarterKey: string; decisionId: string; episodeStart: string };
}) {
  const [search] = useSearchParams();
  const namndId = search.get('namndId') ?? '';
  const { quarterKey: qKey, decisionId, episodeStart } = params;
  const key = useMemo((): LineKey | null => {
    const quarter = parseQuarterKey(qKey);
    if (!quarter || namndId === '') return null;
    return { namndId, quarter, decisionId: decodeURIComponent(decisionId), episodeStart };
  }, [namndId, qKey, decisionId, episodeStart]);
  if (!key) {
    return (
      <>
        <h1>Raden finns inte</h1>
        <p>
          Adressen pekar inte ut en rad i en kvartalsrapport.{' '}
          <Link href="/kvartal">Till kvartalsrapporten</Link>
        </p>
      </>
    );
  }
  return <LoadedReport key={individrapportDraftForm(key)} lineKey={key} />;
}

/** The most characters the server takes in a field (the domain's limits), so typing stops there. */
function maxLengthOf(field: IndividrapportField): number | undefined {
  return (INDIVIDRAPPORT_MAX_LENGTH as Partial<Record<IndividrapportField, number>>)[field];
}

function reportQueryKey(key: LineKey) {
  return ['report', key.namndId, quarterKey(key.quarter), key.decisionId, key.episodeStart];
}

function LoadedReport({ lineKey }: { lineKey: LineKey }) {
  const report = useQuery({
    queryKey: reportQueryKey(lineKey),
    queryFn: () => api.reports.get.query(lineKey),
  });
  const back = (
    <p className="breadcrumb">
      <Link href={quarterHref(lineKey.quarter, lineKey.namndId)}>
        ← Tillbaka till {quarterTitle(lineKey.quarter).toLocaleLowerCase('sv')}
      </Link>
    </p>
  );
  if (report.isPending) {
    return (
      <>
        {back}
        <h1>Individrapport</h1>
        <p role="status">Hämtar individrapporten…</p>
      </>
    );
  }
  if (report.isError) {
    const status = errorStatus(report.error);
    return (
      <>
        {back}
        <h1>{status === 404 ? 'Raden finns inte' : 'Individrapport'}</h1>
        <div className="notice notice-danger" role="alert">
          <p>
            {status === 404
              ? 'Raden finns inte i kvartalet, eller så rapporterar du inte för beslutet.'
              : `Individrapporten kunde inte hämtas. ${errorMessage(report.error)}`}
          </p>
          {status !== 404 && (
            <button
              type="button"
              className="button-secondary"
              onClick={() => void report.refetch()}
            >
              Försök igen
            </button>
          )}
        </div>
        <UnsentNote lineKey={lineKey} />
      </>
    );
  }
  return (
    <>
      {back}
      <ReportScreen view={report.data} lineKey={lineKey} refetch={report.refetch} />
    </>
  );
}

/** Offline at opening: the changes typed before are still on the device. */
function UnsentNote({ lineKey }: { lineKey: LineKey }) {
  const { db } = useServices();
  const [count, setCount] = useState(0);
  useEffect(() => {
    let live = true;
    void loadDraft(db, draftKey(individrapportDraftForm(lineKey), null)).then((found) => {
      const edits = (found?.data as { edits?: Edits } | undefined)?.edits ?? {};
      if (live) setCount(Object.keys(edits).length);
    });
    return () => {
      live = false;
    };
  }, [db, lineKey]);
  if (count === 0) return null;
  return (
    <p className="notice">
      {count === 1 ? '1 ändring' : `${count} ändringar`} i rapporten finns kvar på enheten och
      skickas när du öppnar rapporten med anslutning.
    </p>
  );
}

type SaveState =
  | { kind: 'idle' }
  | { kind: 'restored' }
  | { kind: 'saving' }
  | { kind: 'saved' }
  | { kind: 'offline' }
  | { kind: 'error'; message: string };

type Copied = { key: string; message: string; failed: boolean } | null;

function ReportScreen({
  view,
  lineKey,
  refetch,
}: {
  view: ReportView;
  lineKey: LineKey;
  refetch: () => Promise<unknown>;
}) {
  const { db } = useServices();
  const online = useSyncState().online;
  const today = useToday();
  const queryClient = useQueryClient();
  const idPrefix = useId();
  const form = individrapportDraftForm(lineKey);
  const localKey = draftKey(form, null);

  const [edits, setEditsState] = useState<Edits>({});
  const editsRef = useRef<Edits>({});
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [tab, setTab] = useState<TabNumber>(1);
  const [copied, setCopied] = useState<Copied>(null);
  const [filedOn, setFiledOn] = useState(today);
  const [filing, setFiling] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const [filedMessage, setFiledMessage] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);
  const focusField = useRef<IndividrapportField | null>(null);
  const copiedTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const viewRef = useRef(view);
  viewRef.current = view;

  const filed = view.filing !== null;

  // The saving machinery reads the latest of everything through refs: its functions stay the
  // same for the life of the screen, so the effects below run once.
  const live = useRef({ db, form, localKey, lineKey, refetch });
  live.current = { db, form, localKey, lineKey, refetch };

  const saver = useRef<{
    setEdits: (next: Edits) => void;
    flush: () => Promise<void>;
    schedule: () => void;
  } | null>(null);
  if (saver.current === null) {
    const setEdits = (next: Edits) => {
      const { db: localDb, form: localForm, localKey: key } = live.current;
      editsRef.current = next;
      setEditsState(next);
      void (Object.keys(next).length > 0
        ? saveDraft(localDb, localForm, null, { edits: next })
        : deleteDraft(localDb, key));
    };
    const schedule = () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), SAVE_DELAY_MS);
    };
    /** Sends the unsent changes, one request at a time, until none are left. */
    const flush = async (): Promise<void> => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      while (inFlight.current) await inFlight.current;
      const sent = editsRef.current;
      if (Object.keys(sent).length === 0 || viewRef.current.filing) return;
      setSaveState({ kind: 'saving' });
      const run = (async () => {
        try {
          await api.reports.saveDraft.mutate({ ...live.current.lineKey, draft: sent });
          await live.current.refetch();
          setServerErrors({});
          setEdits(unsentEdits(editsRef.current, sent));
          setSaveState({ kind: 'saved' });
        } catch (e) {
          const status = errorStatus(e);
          if (status === null) {
            setSaveState({ kind: 'offline' });
            return;
          }
          const byField: Record<string, string> = {};
          for (const [path, message] of Object.entries(fieldErrors(e))) {
            byField[path.replace(/^draft\./, '')] = message;
          }
          setServerErrors(byField);
          setSaveState({ kind: 'error', message: errorMessage(e) });
          if (status === 409) await live.current.refetch();
        }
      })();
      inFlight.current = run;
      try {
        await run;
      } finally {
        inFlight.current = null;
      }
      // Typed while the request was on its way: that goes too.
      if (Object.keys(editsRef.current).length > 0 && editsRef.current !== sent) schedule();
    };
    saver.current = { setEdits, flush, schedule };
  }
  const { setEdits, flush, schedule } = saver.current;

  // The changes left on the device last time (offline, or the app closed before they went).
  useEffect(() => {
    let active = true;
    const { db: localDb, localKey: key } = live.current;
    void loadDraft(localDb, key).then((found) => {
      if (!active) return;
      const saved = (found?.data as { edits?: Edits } | undefined)?.edits ?? {};
      if (viewRef.current.filing) {
        void deleteDraft(localDb, key);
        return;
      }
      if (Object.keys(saved).length > 0) {
        editsRef.current = saved;
        setEditsState(saved);
        setSaveState({ kind: 'restored' });
        void saver.current?.flush();
      }
    });
    return () => {
      active = false;
    };
  }, []);

  // Back online: what waited goes now.
  useEffect(() => {
    if (online && saveState.kind === 'offline') void saver.current?.flush();
  }, [online, saveState.kind]);

  // Leaving the screen: what is unsent goes at once (it stays on the device if it cannot).
  useEffect(
    () => () => {
      if (timer.current) void saver.current?.flush();
      if (copiedTimer.current) clearTimeout(copiedTimer.current);
    },
    [],
  );

  const draft = shownDraft(view, edits);
  const findings: Finding[] = filed ? [] : currentFindings(view, edits);
  const unsent = Object.keys(edits).length > 0;
  const state = fileState({
    view,
    findings,
    unsent,
    quarter: lineKey.quarter,
    filedOn,
    today,
  });

  function change(field: IndividrapportField, value: string | boolean) {
    const next = changeField(editsRef.current, currentDraft(view, editsRef.current), field, value);
    setEdits(next);
    setServerErrors((errors) => {
      const { [field]: _gone, ...rest } = errors;
      return rest;
    });
    setSaveState({ kind: 'idle' });
    schedule();
  }

  function chooseTab(next: TabNumber, focus = false) {
    setTab(next);
    // The summary and the filing button need the server to have every change.
    if (timer.current) void flush();
    if (focus) document.getElementById(`${idPrefix}-tab-${next}`)?.focus();
  }

  function goToField(field: IndividrapportField) {
    focusField.current = field;
    chooseTab(tabOf(field));
  }

  useEffect(() => {
    const field = focusField.current;
    if (field === null) return;
    focusField.current = null;
    document.getElementById(`${idPrefix}-${field}`)?.focus();
  });

  async function copy(copyKey: string, label: string, text: string) {
    if (copiedTimer.current) clearTimeout(copiedTimer.current);
    try {
      await navigator.clipboard.writeText(text);
      setCopied({ key: copyKey, message: `Kopierat: ${label}`, failed: false });
    } catch {
      setCopied({
        key: copyKey,
        message: `${label} kunde inte kopieras. Markera texten och kopiera den själv.`,
        failed: true,
      });
    }
    copiedTimer.current = setTimeout(
      () => setCopied((c) => (c && !c.failed ? { ...c, key: '' } : c)),
      2500,
    );
  }

  async function file() {
    setFileError(null);
    setFiledMessage(null);
    setFiling(true);
    try {
      await flush();
      await api.reports.file.mutate({ ...lineKey, filedOn });
      await deleteDraft(db, localKey);
      editsRef.current = {};
      setEditsState({});
      setFiledMessage(`Raden är markerad som inlämnad till IVO ${formatDate(filedOn)}.`);
      // The quarter's list is read again rather than shown as it was, with the line unfiled.
      queryClient.removeQueries({ queryKey: ['quarter', lineKey.namndId] });
      queryClient.removeQueries({ queryKey: ['filing-history', lineKey.decisionId] });
      await refetch();
    } catch (e) {
      const byField = fieldErrors(e);
      setFileError(byField.filedOn ?? errorMessage(e));
      if (errorStatus(e) !== null) await refetch();
    } finally {
      setFiling(false);
    }
  }

  const findingsByField = new Map<IndividrapportField, string>();
  for (const f of findings) {
    const before = findingsByField.get(f.field);
    findingsByField.set(f.field, before ? `${before} ${f.message}` : f.message);
  }
  for (const [field, message] of Object.entries(serverErrors)) {
    if (field in draft || field === 'ovrigt') {
      findingsByField.set(field as IndividrapportField, message);
    }
  }
  const findingsInTab = (t: TabNumber) =>
    t === 5 ? findings.length : findings.filter((f) => tabOf(f.field) === t).length;
  const reportAsText = view.filing
    ? (view.filing.snapshot.text ?? individrapportText(draft))
    : individrapportText(draft);
  const unhandled = view.messages.filter((m) => !m.handled).length;

  return (
    <>
      <h1>Individrapport – {view.line.person.namn}</h1>
      <dl className="facts">
        <div>
          <dt>Kvartal</dt>
          <dd>{quarterTitle(lineKey.quarter)}</dd>
        </div>
        <div>
          <dt>Rapport</dt>
          <dd>{KATEGORI_TEXT[view.line.kategori]}</dd>
        </div>
        <div>
          <dt>Insats</dt>
          <dd>{view.line.insatsLabel}</dd>
        </div>
        <div>
          <dt>Väntan började</dt>
          <dd>
            {episodeKindText(view.line)} {formatDate(view.line.episode.start)}
          </dd>
        </div>
        <div>
          <dt>Läget {formatDate(view.referenceDate)}</dt>
          <dd>
            <span className={`badge ${STATUS_TONES[view.line.status]}`}>
              {statusText(view.line)}
            </span>{' '}
            efter {days(view.line.daysWaited)}
          </dd>
        </div>
        <div>
          <dt>IVO-id</dt>
          <dd>{view.line.person.ivoId}</dd>
        </div>
      </dl>

      <FilingNotice state={state} />

      <div className="actions ir-actions">
        <button
          type="button"
          className="button-secondary"
          onClick={() => void copy('hela', 'hela rapporten', reportAsText)}
        >
          {copied?.key === 'hela' && !copied.failed ? 'Kopierat' : 'Kopiera hela rapporten'}
        </button>
        <a
          className="button-secondary button-as-link"
          href={individrapportPdfHref(lineKey)}
          download
        >
          Individrapporten som PDF
        </a>
        {unhandled > 0 && (
          <a href={`#${idPrefix}-messages`} className="ir-message-jump">
            {unhandled === 1 ? '1 meddelande' : `${unhandled} meddelanden`} ej hanterade
          </a>
        )}
      </div>
      <p className="visually-hidden" role="status">
        {copied?.message ?? ''}
      </p>
      {copied?.failed && (
        <p className="error" role="alert">
          {copied.message}
        </p>
      )}

      <div className="ir-layout">
        <div className="ir-main">
          <div
            role="tablist"
            aria-label="Individrapportens flikar"
            className="ir-tabs"
            onKeyDown={(e: KeyboardEvent) => {
              const order = TABS.map((t) => t.tab);
              const at = order.indexOf(tab);
              const to =
                e.key === 'ArrowRight'
                  ? order[(at + 1) % order.length]
                  : e.key === 'ArrowLeft'
                    ? order[(at - 1 + order.length) % order.length]
                    : e.key === 'Home'
                      ? order[0]
                      : e.key === 'End'
                        ? order[order.length - 1]
                        : undefined;
              if (to !== undefined) {
                e.preventDefault();
                chooseTab(to, true);
              }
            }}
          >
            {TABS.map((t) => {
              const count = findingsInTab(t.tab);
              return (
                <button
                  key={t.tab}
                  type="button"
                  role="tab"
                  id={`${idPrefix}-tab-${t.tab}`}
                  aria-selected={tab === t.tab}
                  aria-controls={`${idPrefix}-panel-${t.tab}`}
                  tabIndex={tab === t.tab ? 0 : -1}
                  className="ir-tab"
                  onClick={() => chooseTab(t.tab)}
                >
                  <span className="ir-tab-number">{t.tab}.</span> {t.label}
                  {t.tab !== 5 && count > 0 && (
                    <span className="ir-tab-count"> ({count} att rätta)</span>
                  )}
                </button>
              );
            })}
          </div>

          {TABS.map((t) => (
            <div
              key={t.tab}
              role="tabpanel"
              id={`${idPrefix}-panel-${t.tab}`}
              aria-labelledby={`${idPrefix}-tab-${t.tab}`}
              hidden={tab !== t.tab}
              className="ir-panel"
            >
              <h2>
                Flik {t.tab}. {t.title}
              </h2>
              {t.tab === 5 ? (
                <Summary
                  idPrefix={idPrefix}
                  findings={findings}
                  draft={draft}
                  text={reportAsText}
                  state={state}
                  filedOn={filedOn}
                  today={today}
                  filing={filing}
                  fileError={fileError}
                  filedMessage={filedMessage}
                  onFiledOn={setFiledOn}
                  onFile={() => void file()}
                  onGoTo={goToField}
                />
              ) : (
                <>
                  {t.tab === 2 && view.previous && (
                    <p className="card-meta">
                      Förra rapporten: {view.previous.quarterLabel},{' '}
                      {reportText(view.previous.report).toLocaleLowerCase('sv')}, inlämnad{' '}
                      {formatDate(view.previous.filedOn)} av {view.previous.filedBy.namn}.
                    </p>
                  )}
                  {shownFields(draft, t.tab as 1 | 2 | 3 | 4).map((field) => (
                    <FieldRow
                      key={field}
                      idPrefix={idPrefix}
                      field={field}
                      draft={draft}
                      lockedReason={
                        filed
                          ? 'Rapporten är inlämnad och kan inte ändras'
                          : view.locked.includes(field)
                            ? lockedFieldMessage(field)
                            : null
                      }
                      changed={!filed && (field in edits || field in (view.edits?.fields ?? {}))}
                      error={findingsByField.get(field) ?? null}
                      copied={copied?.key === field && !copied.failed}
                      onChange={change}
                      onCopy={(label, text) => void copy(field, label, text)}
                    />
                  ))}
                </>
              )}
              <TabSteps tab={t.tab} onChoose={(n) => chooseTab(n, true)} />
            </div>
          ))}
          <p className="draft-state" aria-live="polite">
            {saveText(saveState, unsent, online)}
          </p>
        </div>

        <Messages id={`${idPrefix}-messages`} messages={view.messages} />
      </div>
    </>
  );
}

function saveText(state: SaveState, unsent: boolean, online: boolean): string {
  switch (state.kind) {
    case 'restored':
      return 'Ändringar som inte hade skickats fanns kvar på enheten och skickas nu.';
    case 'saving':
      return 'Sparar ändringarna…';
    case 'saved':
      return unsent ? 'Sparar ändringarna…' : 'Ändringarna är sparade.';
    case 'offline':
      return 'Du är inte ansluten. Ändringarna är sparade på enheten och skickas när du är ansluten igen.';
    case 'error':
      return `Ändringarna kunde inte sparas: ${state.message}`;
    case 'idle':
      if (!unsent) return '';
      return online
        ? 'Ändringarna sparas på enheten och skickas strax.'
        : 'Du är inte ansluten. Ändringarna är sparade på enheten och skickas när du är ansluten igen.';
  }
}

function FilingNotice({ state }: { state: FileState }) {
  if (state.kind === 'filed') {
    const f = state.filing;
    return (
      <div className="notice ir-filed">
        <p>
          <span className="badge badge-ok">Inlämnad</span> Inlämnad till IVO{' '}
          <strong>{formatDate(f.filedOn)}</strong> av {f.filedBy.namn} (registrerat{' '}
          {formatTime(f.filedAt)}).
        </p>
        <p>Uppgifterna nedan är kopian av det som lämnades in. De kan inte ändras.</p>
      </div>
    );
  }
  const why =
    state.kind === 'findings' || state.kind === 'refused' || state.kind === 'date'
      ? state.reason
      : state.kind === 'saving'
        ? 'Ändringarna sparas.'
        : 'Rapporten kan lämnas in. Markera den som inlämnad under Sammanfattning när du har lämnat den i IVO:s e-tjänst.';
  return (
    <p className="ir-state">
      <span className="badge badge-pending">Ej inlämnad</span> {asSentence(why)}
    </p>
  );
}

function TabSteps({ tab, onChoose }: { tab: TabNumber; onChoose: (tab: TabNumber) => void }) {
  const previous = TABS.find((t) => t.tab === tab - 1);
  const next = TABS.find((t) => t.tab === tab + 1);
  return (
    <div className="actions ir-steps">
      {previous && (
        <button type="button" className="button-secondary" onClick={() => onChoose(previous.tab)}>
          ← {previous.tab}. {previous.label}
        </button>
      )}
      {next && (
        <button type="button" className="button-secondary" onClick={() => onChoose(next.tab)}>
          {next.tab}. {next.label} →
        </button>
      )}
    </div>
  );
}

const HINTS: Partial<Record<IndividrapportField, string>> = {
  personnummer: 'ÅÅÅÅMMDD-NNNN, eller det fiktiva IVO-numret ÅÅÅÅMMDD-T123.',
  delvisText: 'T.ex. "2 av 5 timmar".',
  kompenserandeText:
    'Inled med datumet då den kompenserande insatsen började, t.ex. "2026-03-01 Utökad hemtjänst".',
  ovrigt:
    'Förifyllt från händelserna sedan förra rapporten. Ändra fritt; högst 4 000 tecken i IVO:s e-tjänst.',
};

function FieldRow({
  idPrefix,
  field,
  draft,
  lockedReason,
  changed,
  error: givenError,
  copied,
  onChange,
  onCopy,
}: {
  idPrefix: string;
  field: IndividrapportField;
  draft: IndividrapportDraft;
  lockedReason: string | null;
  changed: boolean;
  error: string | null;
  copied: boolean;
  onChange: (field: IndividrapportField, value: string | boolean) => void;
  onCopy: (label: string, text: string) => void;
}) {
  // A date the browser cannot read (30 februari, a half-typed one) arrives as '': it must neither
  // wipe the saved date nor pass for an empty field.
  const [unreadableDate, setUnreadableDate] = useState(false);
  const error = unreadableDate
    ? 'Datumet finns inte. Ange ett verkligt datum (ÅÅÅÅ-MM-DD); det sparade datumet är kvar.'
    : givenError;
  const id = `${idPrefix}-${field}`;
  const label = individrapportFieldLabel(field, draft);
  const text = individrapportFieldText(draft, field);
  const kind = fieldKind(field);
  const hint = lockedReason ? null : HINTS[field];
  const hintId = `${id}-hint`;
  const changedId = `${id}-changed`;
  const lockId = `${id}-lock`;
  const errorId = `${id}-error`;
  const describedBy =
    [
      hint ? hintId : null,
      changed ? changedId : null,
      lockedReason ? lockId : null,
      error ? errorId : null,
    ]
      .filter(Boolean)
      .join(' ') || undefined;
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  } as const;
  const value = draft[field];
  const stringValue = typeof value === 'string' ? value : '';

  let control: ReactNode;
  if (lockedReason) {
    control =
      kind === 'textarea' ? (
        <textarea {...common} readOnly rows={field === 'ovrigt' ? 8 : 3} value={text} />
      ) : (
        <input {...common} readOnly value={text} />
      );
  } else if (kind === 'check') {
    control = (
      <input
        {...common}
        type="checkbox"
        checked={value === true}
        onChange={(e) => onChange(field, e.target.checked)}
      />
    );
  } else if (kind === 'select') {
    const options = fieldOptions(draft, field);
    control = (
      <select {...common} value={stringValue} onChange={(e) => onChange(field, e.target.value)}>
        {(stringValue === '' || canBeEmptied(field)) && <option value="">Välj…</option>}
        {options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (kind === 'textarea') {
    control = (
      <textarea
        {...common}
        rows={field === 'ovrigt' ? 10 : 3}
        maxLength={maxLengthOf(field)}
        value={stringValue}
        onChange={(e) => onChange(field, e.target.value)}
      />
    );
  } else {
    control = (
      <input
        {...common}
        type={kind === 'date' ? 'date' : 'text'}
        maxLength={kind === 'date' ? undefined : maxLengthOf(field)}
        value={stringValue}
        onChange={(e) => {
          const unreadable = kind === 'date' && e.target.validity.badInput;
          setUnreadableDate(unreadable);
          if (!unreadable) onChange(field, e.target.value);
        }}
      />
    );
  }

  const labelEl = <label htmlFor={id}>{label}</label>;
  const checkbox = kind === 'check' && !lockedReason;
  return (
    <div className={`ir-field${error ? ' has-error' : ''}`}>
      <div className="field ir-field-main">
        {checkbox ? (
          <div className="check">
            {control}
            {labelEl}
          </div>
        ) : (
          <>
            {labelEl}
            {hint && (
              <p className="hint" id={hintId}>
                {hint}
              </p>
            )}
            {control}
          </>
        )}
        {field === 'ovrigt' && !lockedReason && (
          <p className="hint">{stringValue.length.toLocaleString('sv-SE')} av 4 000 tecken</p>
        )}
        {changed && (
          <p className="hint ir-changed" id={changedId}>
            Ändrad från det förifyllda värdet.
          </p>
        )}
        {lockedReason && (
          <p className="hint ir-locked" id={lockId}>
            Låst: {lockedReason}.
          </p>
        )}
        {error && (
          <p className="error" id={errorId}>
            {error}
          </p>
        )}
      </div>
      <button
        type="button"
        className="button-secondary ir-copy"
        disabled={text === ''}
        onClick={() => onCopy(label, text)}
      >
        {copied ? 'Kopierat' : 'Kopiera'}
        <span className="visually-hidden"> {label}</span>
      </button>
    </div>
  );
}

function Summary({
  idPrefix,
  findings,
  draft,
  text,
  state,
  filedOn,
  today,
  filing,
  fileError,
  filedMessage,
  onFiledOn,
  onFile,
  onGoTo,
}: {
  idPrefix: string;
  findings: Finding[];
  draft: IndividrapportDraft;
  text: string;
  state: FileState;
  filedOn: string;
  today: string;
  filing: boolean;
  fileError: string | null;
  filedMessage: string | null;
  onFiledOn: (date: string) => void;
  onFile: () => void;
  onGoTo: (field: IndividrapportField) => void;
}) {
  const dateId = `${idPrefix}-filedOn`;
  const dateErrorId = `${dateId}-error`;
  const showDate = state.kind === 'ready' || state.kind === 'date' || state.kind === 'saving';
  return (
    <>
      <section aria-labelledby={`${idPrefix}-check-h`}>
        <h3 id={`${idPrefix}-check-h`}>Kontroll</h3>
        {state.kind === 'filed' ? (
          <p>Rapporten är inlämnad. Kopian nedan är det som lämnades in.</p>
        ) : findings.length === 0 ? (
          <p>
            <span className="badge badge-ok">Klar</span> Kontrollen hittar inget att rätta.
          </p>
        ) : (
          <>
            <p>
              <span className="badge badge-problem">Att rätta</span> {uppgifter(findings.length)}{' '}
              måste rättas innan rapporten kan lämnas in:
            </p>
            <ul className="ir-findings">
              {findings.map((f) => (
                <li key={`${f.field}:${f.message}`}>
                  <span>
                    Flik {tabOf(f.field)}, {individrapportFieldLabel(f.field, draft)}: {f.message}
                  </span>{' '}
                  <button type="button" className="button-link" onClick={() => onGoTo(f.field)}>
                    Gå till fältet
                    <span className="visually-hidden">
                      {' '}
                      {individrapportFieldLabel(f.field, draft)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby={`${idPrefix}-file-h`} className="ir-file">
        <h3 id={`${idPrefix}-file-h`}>Inlämning till IVO</h3>
        {filedMessage && (
          <p className="notice" role="status">
            {filedMessage}
          </p>
        )}
        {state.kind === 'filed' ? (
          <p>
            Inlämnad {formatDate(state.filing.filedOn)} av {state.filing.filedBy.namn}.
          </p>
        ) : (
          <>
            <p className="hint">
              Lämna rapporten i IVO:s e-tjänst (kopiera fälten härifrån) och markera den sedan som
              inlämnad. En kopia av det som lämnades sparas i beslutets historik.
            </p>
            {showDate && (
              <div className="field ir-filed-on">
                <label htmlFor={dateId}>Datum då rapporten lämnades i IVO:s e-tjänst</label>
                <input
                  id={dateId}
                  type="date"
                  value={filedOn}
                  max={today}
                  aria-invalid={state.kind === 'date' ? true : undefined}
                  aria-describedby={state.kind === 'date' ? dateErrorId : undefined}
                  onChange={(e) => onFiledOn(e.target.value)}
                />
                {state.kind === 'date' && (
                  <p className="error" id={dateErrorId}>
                    {state.reason}
                  </p>
                )}
              </div>
            )}
            {state.kind === 'ready' ? (
              <div className="actions">
                <button type="button" className="button-primary" disabled={filing} onClick={onFile}>
                  {filing ? 'Markerar…' : 'Markera som inlämnad till IVO'}
                </button>
              </div>
            ) : (
              state.kind !== 'date' && (
                <p className="notice">
                  {state.kind === 'saving'
                    ? 'Ändringarna sparas; sedan kan rapporten markeras som inlämnad.'
                    : `Rapporten kan inte markeras som inlämnad: ${asSentence(lowerFirst(state.reason))}`}
                </p>
              )
            )}
            {fileError && (
              <p className="error" role="alert">
                {fileError}
              </p>
            )}
          </>
        )}
      </section>

      <section aria-labelledby={`${idPrefix}-text-h`}>
        <h3 id={`${idPrefix}-text-h`}>
          {state.kind === 'filed' ? 'Rapporten som den lämnades in' : 'Rapporten som text'}
        </h3>
        <pre className="ir-text">{text}</pre>
      </section>
    </>
  );
}

/** A reason as a sentence: ending with a full stop. */
function asSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLocaleLowerCase('sv') + text.slice(1);
}

function Messages({ id, messages }: { id: string; messages: LineMessage[] }) {
  const newestFirst = [...messages].sort((a, b) => b.date.localeCompare(a.date));
  return (
    <aside className="ir-messages" aria-labelledby={`${id}-h`} id={id}>
      <h2 id={`${id}-h`}>Meddelanden om raden</h2>
      {newestFirst.length === 0 ? (
        <p className="empty">Inga meddelanden om raden.</p>
      ) : (
        <ul className="ir-message-list">
          {newestFirst.map((m) => (
            <li key={m.key} className={`card${m.handled ? '' : ' card-urgent'}`}>
              <p className="message-title">{m.title}</p>
              <p className="card-meta">Skickat {formatDate(m.due)}</p>
              <p>
                {m.handled ? (
                  <>
                    <span className="badge badge-ok">Hanterat</span>{' '}
                    {formatDate(todayInStockholm(new Date(m.handled.at)))} av {m.handled.byName}
                  </>
                ) : (
                  <span className="badge badge-pending">Ej hanterat</span>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
