import {
  type Finding,
  type IndividrapportField,
  individrapportText,
  lockedFieldMessage,
  parseQuarterKey,
  quarterKey,
} from '@evb/domain';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { api, errorMessage, errorStatus } from '../../api/client';
import { useServices, useToday } from '../../app/context';
import { days, formatDate } from '../../format/format';
import { draftKey, loadDraft } from '../../local/drafts';
import {
  currentFindings,
  type Edits,
  fileState,
  individrapportDraftForm,
  individrapportPdfHref,
  KATEGORI_TEXT,
  type LineKey,
  quarterHref,
  type ReportView,
  shownDraft,
  tabOf,
} from '../individrapport-view';
import { episodeKindText, quarterTitle, STATUS_TONES, statusText } from '../quarter-view';
import { type FieldForm, fieldId } from './fields';
import { FilingNotice, FilingPanel, useMarkFiled } from './filing';
import { Messages } from './Messages';
import { RecordAfterwards, useRecordFiling } from './RecordAfterwards';
import { ReportTypeNotice } from './ReportTypeNotice';
import { Tab1Namnd } from './Tab1Namnd';
import { Tab2Rapportor } from './Tab2Rapportor';
import { Tab3Individ } from './Tab3Individ';
import { Tab4Drojsmal } from './Tab4Drojsmal';
import { Tab5Summering } from './Tab5Summering';
import { panelId, TABS, TabList, type TabNumber, TabSteps, tabId } from './tabs';
import { useCopy } from './useCopy';
import { saveText, useReportEdits } from './useReportEdits';

/**
 * One report line's individrapport, laid out like IVO's e-tjänst: tabs 1–4 with every field
 * prefilled and a copy button beside those the e-tjänst takes as text, tab 5 the whole report with
 * what validation finds and the filing. Changes go to the server a moment after typing stops and
 * are kept on the device until the server has them, so nothing typed is lost offline.
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
          Adressen pekar inte ut någon individrapport för ett kvartal.{' '}
          <Link href="/kvartal">Till individrapporterna</Link>
        </p>
      </>
    );
  }
  return <LoadedReport key={individrapportDraftForm(key)} lineKey={key} />;
}

export function reportQueryKey(key: LineKey) {
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

/** The kind of report a line is when sent as `report`: ny-, åter- or slutrapportering. */
function kategoriText(report: 'ny' | 'ater', status: ReportView['line']['status']): string {
  if (report === 'ny') return KATEGORI_TEXT.nyrapportering;
  return status === 'ej_verkstalld'
    ? KATEGORI_TEXT.aterrapportering
    : KATEGORI_TEXT.slutrapportering;
}

function ReportScreen({
  view,
  lineKey,
  refetch,
}: {
  view: ReportView;
  lineKey: LineKey;
  refetch: () => Promise<unknown>;
}) {
  const today = useToday();
  const idPrefix = useId();
  const reportEdits = useReportEdits({ view, lineKey, refetch });
  const { edits, unsent, serverErrors } = reportEdits;
  const marking = useMarkFiled({
    lineKey,
    today,
    flush: reportEdits.flush,
    discard: reportEdits.discard,
    refetch,
  });
  const recording = useRecordFiling({
    view,
    lineKey,
    today,
    flushReport: reportEdits.flush,
    discardReport: reportEdits.discard,
    refetch,
  });
  const { copied, copiedKey, copy } = useCopy();
  const [tab, setTab] = useState<TabNumber>(1);
  const focusField = useRef<IndividrapportField | null>(null);

  const filed = view.filing !== null;
  const draft = shownDraft(view, edits);
  const findings: Finding[] = filed ? [] : currentFindings(view, edits);
  const state = fileState({
    view,
    findings,
    unsent,
    quarter: lineKey.quarter,
    filedOn: marking.filedOn,
    today,
  });

  function chooseTab(next: TabNumber, focus = false) {
    setTab(next);
    // The summary and the filing button need the server to have every change.
    reportEdits.flushWaiting();
    if (focus) document.getElementById(tabId(idPrefix, next))?.focus();
  }

  /** "Registrera inlämning i efterhand" from above the tabs: the form, in the last tab. */
  function openRecording() {
    setTab(5);
    reportEdits.flushWaiting();
    recording.setOpen(true);
  }

  function goToField(field: IndividrapportField) {
    focusField.current = field;
    chooseTab(tabOf(field));
  }

  useEffect(() => {
    const field = focusField.current;
    if (field === null) return;
    focusField.current = null;
    document.getElementById(fieldId(idPrefix, field))?.focus();
  });

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

  const form: FieldForm = {
    idPrefix,
    draft,
    lockedReason: (field) =>
      filed
        ? 'Rapporten är inlämnad och kan inte ändras'
        : view.locked.includes(field)
          ? lockedFieldMessage(field)
          : null,
    changed: (field) => !filed && (field in edits || field in (view.edits?.fields ?? {})),
    error: (field) => findingsByField.get(field) ?? null,
    copiedKey,
    onChange: reportEdits.change,
    onCopy: (key, label, text) => void copy(key, label, text),
  };

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
          <dd>
            {kategoriText(view.filing?.report ?? view.reportType.send, view.line.status)}
            {view.reportType.send !== view.reportType.scheduled && !filed && (
              <>
                {' '}
                (enligt lagens schema en{' '}
                {kategoriText(view.reportType.scheduled, view.line.status).toLocaleLowerCase('sv')})
              </>
            )}
          </dd>
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

      <FilingNotice
        state={state}
        canRecord={view.record.allowed && !filed}
        onRecord={openRecording}
      />

      <div className="actions ir-actions">
        <button
          type="button"
          className="button-secondary"
          onClick={() => void copy('hela', 'hela rapporten', reportAsText)}
        >
          {copiedKey === 'hela' ? 'Kopierat' : 'Kopiera hela rapporten'}
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
          <TabList idPrefix={idPrefix} tab={tab} countOf={findingsInTab} onChoose={chooseTab} />

          {TABS.map((t) => (
            <div
              key={t.tab}
              role="tabpanel"
              id={panelId(idPrefix, t.tab)}
              aria-labelledby={tabId(idPrefix, t.tab)}
              hidden={tab !== t.tab}
              className="ir-panel"
            >
              <h2>
                Flik {t.tab}. {t.title}
              </h2>
              {t.tab === 1 && <Tab1Namnd form={form} />}
              {t.tab === 2 && <Tab2Rapportor form={form} view={view} lineKey={lineKey} />}
              {t.tab === 3 && <Tab3Individ form={form} />}
              {t.tab === 4 && <Tab4Drojsmal form={form} />}
              {t.tab === 5 && (
                <Tab5Summering
                  idPrefix={idPrefix}
                  findings={findings}
                  draft={draft}
                  text={reportAsText}
                  state={state}
                  onGoTo={goToField}
                  filing={
                    <>
                      <ReportTypeNotice
                        view={view}
                        lineKey={lineKey}
                        id={`${idPrefix}-type-tab5`}
                      />
                      <FilingPanel
                        idPrefix={idPrefix}
                        state={state}
                        today={today}
                        marking={marking}
                      />
                      {(recording.message !== null || (view.record.allowed && !filed)) && (
                        <RecordAfterwards
                          idPrefix={idPrefix}
                          view={view}
                          today={today}
                          baseDraft={draft}
                          recording={recording}
                        />
                      )}
                    </>
                  }
                />
              )}
              <TabSteps tab={t.tab} onChoose={(n) => chooseTab(n, true)} />
            </div>
          ))}
          <p className="draft-state" aria-live="polite">
            {saveText(reportEdits.saveState, unsent, reportEdits.online)}
          </p>
        </div>

        <Messages id={`${idPrefix}-messages`} messages={view.messages} />
      </div>
    </>
  );
}
