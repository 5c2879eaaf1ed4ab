import type { IndividrapportField } from '@evb/domain';
import { useEffect, useRef, useState } from 'react';
import { api, errorMessage, errorStatus, fieldErrors } from '../../api/client';
import { useServices, useSyncState } from '../../app/context';
import { deleteDraft, draftKey, loadDraft, saveDraft } from '../../local/drafts';
import {
  changeField,
  currentDraft,
  type Edits,
  individrapportDraftForm,
  type LineKey,
  type ReportView,
  unsentEdits,
} from '../individrapport-view';

/** How long the rapportör may pause typing before the change goes to the server. */
export const SAVE_DELAY_MS = 800;

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'restored' }
  | { kind: 'saving' }
  | { kind: 'saved' }
  | { kind: 'offline' }
  | { kind: 'error'; message: string };

/**
 * The rapportör's changes to a line's report: kept on the device on every edit (the local draft
 * of the line's form), sent with reports.saveDraft a moment after typing stops, one request at a
 * time, and again when the screen opens or the connection comes back. The server's refusals are
 * kept by field.
 */
export function useReportEdits({
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
  const form = individrapportDraftForm(lineKey);
  const localKey = draftKey(form, null);

  const [edits, setEditsState] = useState<Edits>({});
  const editsRef = useRef<Edits>({});
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);
  const viewRef = useRef(view);
  viewRef.current = view;

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
    },
    [],
  );

  /** One field changed by the rapportör: kept on the device at once, sent a moment later. */
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

  /** Sends at once what waits for the pause in typing (the summary needs the server's view). */
  function flushWaiting() {
    if (timer.current) void flush();
  }

  /** The line is filed: the changes are in the frozen copy, the device's draft goes. */
  async function discard() {
    await deleteDraft(db, localKey);
    editsRef.current = {};
    setEditsState({});
  }

  return {
    edits,
    unsent: Object.keys(edits).length > 0,
    saveState,
    serverErrors,
    online,
    change,
    flush,
    flushWaiting,
    discard,
  };
}

/** The line under the tabs saying where the changes are. */
export function saveText(state: SaveState, unsent: boolean, online: boolean): string {
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
