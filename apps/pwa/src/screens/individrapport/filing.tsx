import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage, errorStatus, fieldErrors } from '../../api/client';
import { formatDate, formatTime } from '../../format/format';
import {
  type FileState,
  filingCopyText,
  filingRecordedText,
  type LineKey,
  reportText,
} from '../individrapport-view';
import { asSentence, lowerFirst } from './text';

/*
 * Marking the line as filed with IVO: the state above the tabs (filed or not, and why not), the
 * filing panel of the last tab, and the call that records the filing.
 */

/**
 * Marking the line as filed on a date: the changes go to the server first, then reports.file; the
 * device's draft is dropped once the filing is recorded, and the lists that show the line are
 * read again.
 */
export function useMarkFiled({
  lineKey,
  today,
  flush,
  discard,
  refetch,
}: {
  lineKey: LineKey;
  today: string;
  flush: () => Promise<void>;
  discard: () => Promise<void>;
  refetch: () => Promise<unknown>;
}) {
  const queryClient = useQueryClient();
  const [filedOn, setFiledOn] = useState(today);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  async function file() {
    setError(null);
    setMessage(null);
    setBusy(true);
    try {
      await flush();
      await api.reports.file.mutate({ ...lineKey, filedOn });
      await discard();
      setMessage(`Raden är markerad som inlämnad till IVO ${formatDate(filedOn)}.`);
      // The quarter's list is read again rather than shown as it was, with the line unfiled.
      queryClient.removeQueries({ queryKey: ['quarter', lineKey.namndId] });
      queryClient.removeQueries({ queryKey: ['quarter-todo', lineKey.namndId] });
      queryClient.removeQueries({ queryKey: ['filing-history', lineKey.decisionId] });
      await refetch();
    } catch (e) {
      const byField = fieldErrors(e);
      setError(byField.filedOn ?? errorMessage(e));
      if (errorStatus(e) !== null) await refetch();
    } finally {
      setBusy(false);
    }
  }

  return { filedOn, setFiledOn, busy, error, message, file };
}

/**
 * Above the tabs: filed (when, by whom, how it came into evb, and what the frozen copy is) or not,
 * and why it cannot be marked as filed yet — with the way to record a filing made in IVO's
 * e-tjänst when that is possible instead.
 */
export function FilingNotice({
  state,
  canRecord,
  onRecord,
}: {
  state: FileState;
  /** A filing made in the e-tjänst can be recorded afterwards (reports.get's `record`). */
  canRecord: boolean;
  onRecord: () => void;
}) {
  if (state.kind === 'filed') {
    const f = state.filing;
    const recorded = filingRecordedText(f);
    return (
      <div className="notice ir-filed">
        <p>
          <span className="badge badge-ok">Inlämnad</span> Inlämnad till IVO{' '}
          <strong>{formatDate(f.filedOn)}</strong>
          {recorded === null ? (
            <>
              {' '}
              av {f.filedBy.namn} (registrerat {formatTime(f.filedAt)}).
            </>
          ) : (
            <> som {reportText(f.report).toLocaleLowerCase('sv')}.</>
          )}
        </p>
        {recorded && <p className="ir-recorded">{recorded}.</p>}
        <p>{filingCopyText(f)} De kan inte ändras.</p>
      </div>
    );
  }
  const why =
    state.kind === 'findings' || state.kind === 'refused' || state.kind === 'date'
      ? state.reason
      : state.kind === 'saving'
        ? 'Ändringarna sparas.'
        : 'Rapporten kan lämnas in. Markera den som inlämnad under Summering när du har lämnat den i IVO:s e-tjänst.';
  return (
    <div className="ir-state">
      <p>
        <span className="badge badge-pending">Ej inlämnad</span> {asSentence(why)}
      </p>
      {canRecord && state.kind !== 'ready' && (
        <p>
          Har rapporten redan skickats i IVO:s e-tjänst?{' '}
          <button type="button" className="button-link" onClick={onRecord}>
            Registrera inlämning i efterhand
          </button>
        </p>
      )}
    </div>
  );
}

/** "Inlämning till IVO": the date it was sent and "Markera som inlämnad", or why not. */
export function FilingPanel({
  idPrefix,
  state,
  today,
  marking,
}: {
  idPrefix: string;
  state: FileState;
  today: string;
  marking: ReturnType<typeof useMarkFiled>;
}) {
  const dateId = `${idPrefix}-filedOn`;
  const dateErrorId = `${dateId}-error`;
  const showDate = state.kind === 'ready' || state.kind === 'date' || state.kind === 'saving';
  return (
    <section aria-labelledby={`${idPrefix}-file-h`} className="ir-file">
      <h3 id={`${idPrefix}-file-h`}>Inlämning till IVO</h3>
      {marking.message && (
        <p className="notice" role="status">
          {marking.message}
        </p>
      )}
      {state.kind === 'filed' ? (
        <>
          <p>
            Inlämnad {formatDate(state.filing.filedOn)}
            {filingRecordedText(state.filing) === null
              ? ` av ${state.filing.filedBy.namn}.`
              : `. ${filingRecordedText(state.filing)}.`}
          </p>
          {state.filing.voidedSince && <p className="notice">{state.filing.voidedSince}</p>}
        </>
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
                value={marking.filedOn}
                max={today}
                aria-invalid={state.kind === 'date' ? true : undefined}
                aria-describedby={state.kind === 'date' ? dateErrorId : undefined}
                onChange={(e) => marking.setFiledOn(e.target.value)}
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
              <button
                type="button"
                className="button-primary"
                disabled={marking.busy}
                onClick={() => void marking.file()}
              >
                {marking.busy ? 'Markerar…' : 'Markera som inlämnad till IVO'}
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
          {marking.error && (
            <p className="error" role="alert">
              {marking.error}
            </p>
          )}
        </>
      )}
    </section>
  );
}
