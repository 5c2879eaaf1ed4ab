import {
  applyIndividrapportEdits,
  formatSwedishDateRange,
  type IndividrapportDraft,
  type IndividrapportField,
  isWindowBound,
  lockedFieldMessage,
  recordedFilingCheck,
} from '@evb/domain';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, errorMessage, errorStatus, fieldErrors } from '../../api/client';
import { useServices } from '../../app/context';
import { formatDate } from '../../format/format';
import { deleteDraft, draftKey, loadDraft, saveDraft } from '../../local/drafts';
import {
  changeField,
  type Edits,
  type LineKey,
  type ReportView,
  recordDraftForm,
  reportText,
  shownFields,
} from '../individrapport-view';
import { type FieldForm, FieldRows } from './fields';
import { TABS } from './tabs';
import { asSentence } from './text';

/*
 * "Registrera inlämning i efterhand": a filing made in IVO's e-tjänst that was not marked here —
 * typically after the window closed, when "Markera som inlämnad" is no longer possible — is
 * recorded with the date it was sent, the report type sent and, if the rapportör gives them, the
 * fields as they were sent (reports.recordFiling). What is typed is kept on the device until the
 * filing is recorded.
 */

type ReportType = 'ny' | 'ater';

export type RecordValues = {
  filedOn: string;
  report: ReportType;
  /** The rapportör gives the fields as sent (else the copy is evb's report, and says so). */
  asSent: boolean;
  /** The fields as sent, where they differ from evb's report. */
  edits: Edits;
};

/** The refusals shown: `filedOn`, `report`, `draft.<field>`, or `form` for the rest. */
type RecordErrors = Record<string, string>;

function isRecordValues(data: unknown): data is RecordValues {
  const v = data as Partial<RecordValues> | undefined;
  return (
    typeof v?.filedOn === 'string' &&
    (v.report === 'ny' || v.report === 'ater') &&
    typeof v.asSent === 'boolean' &&
    typeof v.edits === 'object' &&
    v.edits !== null
  );
}

/**
 * The form's values (kept on the device as typed, back when the screen opens again), checking
 * them by the domain's rule before sending, and recording the filing.
 */
export function useRecordFiling({
  view,
  lineKey,
  today,
  flushReport,
  discardReport,
  refetch,
}: {
  view: ReportView;
  lineKey: LineKey;
  today: string;
  /** Sends the report's unsent changes, so the server's report is the one shown. */
  flushReport: () => Promise<void>;
  /** Drops the report's changes on the device once the filing has them. */
  discardReport: () => Promise<void>;
  refetch: () => Promise<unknown>;
}) {
  const { db } = useServices();
  const queryClient = useQueryClient();
  const form = recordDraftForm(lineKey);
  const localKey = draftKey(form, null);
  const empty = (): RecordValues => ({
    filedOn: '',
    report: view.reportType.send,
    asSent: false,
    edits: {},
  });
  const [values, setValuesState] = useState<RecordValues>(empty);
  const valuesRef = useRef(values);
  const [open, setOpenState] = useState(false);
  /** Where the focus goes after the form opens or closes by the rapportör's hand. */
  const pendingFocus = useRef<'date' | 'opener' | null>(null);
  const [restored, setRestored] = useState(false);
  const [errors, setErrors] = useState<RecordErrors>({});
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const filedRef = useRef(view.filing !== null);
  filedRef.current = view.filing !== null;

  // What was typed last time comes back, with the form open.
  useEffect(() => {
    let active = true;
    void loadDraft(db, localKey).then((found) => {
      if (!active || !found) return;
      if (filedRef.current || !isRecordValues(found.data)) {
        void deleteDraft(db, localKey);
        return;
      }
      valuesRef.current = found.data;
      setValuesState(found.data);
      setOpenState(true);
      setRestored(true);
    });
    return () => {
      active = false;
    };
  }, [db, localKey]);

  function update(next: Partial<RecordValues>, clears: string[]) {
    const merged = { ...valuesRef.current, ...next };
    valuesRef.current = merged;
    setValuesState(merged);
    void saveDraft(db, form, null, merged);
    setErrors((before) => {
      const rest = { ...before };
      for (const key of [...clears, 'form']) delete rest[key];
      return rest;
    });
  }

  /** The domain's rule for a recorded filing, before anything is sent (also offline). */
  function localErrors(v: RecordValues): RecordErrors {
    if (v.filedOn === '') return { filedOn: 'Ange datum då rapporten skickades till IVO.' };
    const { line } = view;
    const check = recordedFilingCheck({
      line: {
        report: line.report,
        status: line.status,
        ...(line.statusDate ? { statusDate: line.statusDate } : {}),
      },
      quarter: lineKey.quarter,
      filedOn: v.filedOn,
      today,
      report: v.report,
      earlierFiled: view.previous !== null,
    });
    return check.ok ? {} : { [check.field ?? 'filedOn']: asSentence(check.reason) };
  }

  function setOpen(next: boolean) {
    pendingFocus.current = next ? 'date' : 'opener';
    setOpenState(next);
    if (next) setMessage(null);
  }

  /** Records the filing: null when it is recorded, else the refusals (also shown). */
  async function submit(sentDraft: IndividrapportDraft): Promise<RecordErrors | null> {
    const v = valuesRef.current;
    setMessage(null);
    const local = localErrors(v);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return local;
    }
    setErrors({});
    setBusy(true);
    try {
      await flushReport();
      await api.reports.recordFiling.mutate({
        ...lineKey,
        filedOn: v.filedOn,
        report: v.report,
        ...(v.asSent ? { draft: asSentFields(sentDraft, view.locked) } : {}),
      });
      await deleteDraft(db, localKey);
      await discardReport();
      valuesRef.current = empty();
      setValuesState(valuesRef.current);
      setOpenState(false);
      setRestored(false);
      setMessage(
        `Inlämningen till IVO ${formatDate(v.filedOn)} (${reportText(v.report).toLocaleLowerCase('sv')}) är registrerad.`,
      );
      // The lists that show the line are read again rather than shown with it unfiled.
      queryClient.removeQueries({ queryKey: ['quarter', lineKey.namndId] });
      queryClient.removeQueries({ queryKey: ['quarter-todo', lineKey.namndId] });
      queryClient.removeQueries({ queryKey: ['filing-history', lineKey.decisionId] });
      await refetch();
      return null;
    } catch (e) {
      const status = errorStatus(e);
      if (status === null) {
        const offline = {
          form: 'Inlämningen kunde inte registreras: servern gick inte att nå. Uppgifterna finns kvar på enheten; försök igen när du är ansluten.',
        };
        setErrors(offline);
        return offline;
      }
      const byField: RecordErrors = {};
      for (const [path, text] of Object.entries(fieldErrors(e))) {
        const shown =
          path === 'filedOn' || path === 'report' || (path.startsWith('draft.') && v.asSent);
        byField[shown ? path : 'form'] = asSentence(text);
      }
      if (Object.keys(byField).length === 0) byField.form = asSentence(errorMessage(e));
      setErrors(byField);
      if (status === 409) await refetch();
      return byField;
    } finally {
      setBusy(false);
    }
  }

  return {
    values,
    open,
    setOpen,
    pendingFocus,
    restored,
    errors,
    busy,
    message,
    update,
    submit,
  };
}

/**
 * The report as sent, for reports.recordFiling: every field the rapportör may give (the locked
 * ones are the line's and IVO's, and follow the report type), so the copy is exactly the form.
 */
function asSentFields(draft: IndividrapportDraft, locked: readonly IndividrapportField[]): Edits {
  const fields: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(draft)) {
    if (value !== undefined && !locked.includes(field as IndividrapportField)) {
      fields[field] = value;
    }
  }
  return fields as Edits;
}

/** The form: the date sent, the report type sent, and optionally the fields as sent. */
export function RecordAfterwards({
  idPrefix,
  view,
  today,
  baseDraft,
  recording,
}: {
  idPrefix: string;
  view: ReportView;
  today: string;
  /** evb's report as it stands (the prefill with the changes): where the fields as sent start. */
  baseDraft: IndividrapportDraft;
  recording: ReturnType<typeof useRecordFiling>;
}) {
  const { values, errors, open, busy } = recording;
  const id = `${idPrefix}-record`;
  const formId = `${id}-form`;
  const dateId = `${id}-filedOn`;
  const reportName = `${id}-report`;
  const asSentId = `${id}-asSent`;
  const opener = useRef<HTMLButtonElement>(null);

  // Opened by hand: to the date; closed by hand: back to the button that opens it.
  useEffect(() => {
    const to = recording.pendingFocus.current;
    if (to === null) return;
    recording.pendingFocus.current = null;
    if (to === 'date' && open) document.getElementById(dateId)?.focus();
    if (to === 'opener' && !open) opener.current?.focus();
  });

  const sentDraft: IndividrapportDraft = {
    ...applyIndividrapportEdits(baseDraft, values.edits, view.locked),
    rapporttyp: values.report,
  };
  const sentForm: FieldForm = {
    idPrefix: `${id}-sent`,
    draft: sentDraft,
    lockedReason: (field) => (view.locked.includes(field) ? lockedFieldMessage(field) : null),
    changed: (field) => field in values.edits,
    changedText: 'Ändrad från evb:s rapport.',
    error: (field) => errors[`draft.${field}`] ?? null,
    copiedKey: null,
    onChange: (field, value) =>
      recording.update({ edits: changeField(values.edits, sentDraft, field, value) }, [
        `draft.${field}`,
      ]),
  };

  const { opens, closes } = view.window;
  const dateHint = isWindowBound(view.line)
    ? `Inom rapporteringsperioden ${formatSwedishDateRange(opens, closes)}.`
    : `Samma dag som beslutet ${view.line.status === 'verkstalld' ? 'verkställdes' : 'avslutades'} eller senare.`;

  async function onSubmit() {
    const refused = await recording.submit(sentDraft);
    if (refused === null) return;
    // The first field refused gets the focus; a refusal of the whole form is an alert.
    const first = Object.keys(refused).find((k) => k !== 'form');
    const target =
      first === 'filedOn'
        ? dateId
        : first === 'report'
          ? `${reportName}-${values.report}`
          : first?.startsWith('draft.')
            ? `${id}-sent-${first.slice('draft.'.length)}`
            : null;
    if (target) document.getElementById(target)?.focus();
  }

  return (
    <section aria-labelledby={`${id}-h`} className="ir-record">
      <h3 id={`${id}-h`}>Registrera inlämning i efterhand</h3>
      {recording.message && (
        <p className="notice" role="status">
          {recording.message}
        </p>
      )}
      <p className="hint">
        Har rapporten skickats i IVO:s e-tjänst utan att markeras som inlämnad här, till exempel
        efter att rapporteringsperioden stängde? Registrera inlämningen med datumet och rapporttypen
        som skickades. Raden räknas då som inlämnad och meddelandena om den som hanterade.
      </p>
      {!open ? (
        <div className="actions">
          <button
            ref={opener}
            type="button"
            className="button-secondary"
            aria-expanded={false}
            aria-controls={formId}
            onClick={() => recording.setOpen(true)}
          >
            Registrera inlämning i efterhand
          </button>
        </div>
      ) : (
        <form
          id={formId}
          className="ir-record-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void onSubmit();
          }}
        >
          {recording.restored && (
            <p className="notice">Uppgifterna du fyllde i förra gången fanns kvar på enheten.</p>
          )}
          <div className={`field${errors.filedOn ? ' has-error' : ''}`}>
            <label htmlFor={dateId}>Datum då rapporten skickades till IVO</label>
            <p className="hint" id={`${dateId}-hint`}>
              {dateHint}
            </p>
            <input
              id={dateId}
              type="date"
              value={values.filedOn}
              max={today}
              aria-invalid={errors.filedOn ? true : undefined}
              aria-describedby={`${dateId}-hint${errors.filedOn ? ` ${dateId}-error` : ''}`}
              onChange={(e) => recording.update({ filedOn: e.target.value }, ['filedOn'])}
            />
            {errors.filedOn && (
              <p className="error" id={`${dateId}-error`}>
                {errors.filedOn}
              </p>
            )}
          </div>

          <fieldset
            className={`field ir-record-type${errors.report ? ' has-error' : ''}`}
            aria-describedby={errors.report ? `${reportName}-error` : undefined}
          >
            <legend>Rapporttyp som skickades</legend>
            {(['ny', 'ater'] as const).map((report) => (
              <div className="check" key={report}>
                <input
                  type="radio"
                  id={`${reportName}-${report}`}
                  name={reportName}
                  value={report}
                  checked={values.report === report}
                  onChange={() => recording.update({ report }, ['report'])}
                />
                <label htmlFor={`${reportName}-${report}`}>
                  {reportText(report)}
                  {report === view.reportType.send && (
                    <span className="hint"> (föreslås av evb)</span>
                  )}
                </label>
              </div>
            ))}
            {errors.report && (
              <p className="error" id={`${reportName}-error`}>
                {errors.report}
              </p>
            )}
          </fieldset>

          <div className="field">
            <div className="check">
              <input
                type="checkbox"
                id={asSentId}
                checked={values.asSent}
                aria-describedby={`${asSentId}-hint`}
                onChange={(e) => recording.update({ asSent: e.target.checked }, [])}
              />
              <label htmlFor={asSentId}>Ange uppgifterna som skickades</label>
            </div>
            <p className="hint" id={`${asSentId}-hint`}>
              {values.asSent
                ? 'Uppgifterna nedan börjar från evb:s rapport. Rätta det som skilde sig i det som skickades; kopian sparas som uppgifterna som skickades till IVO.'
                : 'Utan uppgifterna sparas evb:s rapport som den ser ut nu, och kopian säger att den inte är det som skickades till IVO.'}
            </p>
          </div>

          {values.asSent && (
            <fieldset className="ir-record-fields">
              <legend>Uppgifterna som skickades</legend>
              {TABS.filter((t) => t.tab !== 5).map((t) => (
                <div key={t.tab}>
                  <h4>
                    Flik {t.tab}. {t.title}
                  </h4>
                  <FieldRows
                    form={sentForm}
                    fields={shownFields(sentDraft, t.tab as 1 | 2 | 3 | 4)}
                  />
                </div>
              ))}
            </fieldset>
          )}

          {errors.form && (
            <p className="error" role="alert">
              {errors.form}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="button-primary" disabled={busy}>
              {busy ? 'Registrerar…' : 'Registrera inlämningen'}
            </button>
            <button
              type="button"
              className="button-secondary"
              onClick={() => recording.setOpen(false)}
            >
              Stäng
            </button>
          </div>
          <p className="hint">
            Det du fyller i sparas på enheten tills inlämningen är registrerad.
          </p>
        </form>
      )}
    </section>
  );
}
