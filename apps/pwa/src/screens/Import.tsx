import {
  FILING_IMPORT_COLUMNS,
  FILING_IMPORT_LIMITS,
  filingImportExampleCsv,
  formatSwedishDate,
  IMPORT_COLUMNS,
  IMPORT_LIMITS,
  importExampleCsv,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type ChangeEvent,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { api, errorMessage, errorStatus } from '../api/client';
import { hasRole, type Me, useMe, useServices } from '../app/context';
import { deleteDraft, draftKey, loadDraft, saveDraft } from '../local/drafts';
import { type OrgOverview, useOrg } from '../local/hooks';
import {
  episodeText,
  type FilingImportDone,
  type FilingImportPreview,
  filingDoneSummary,
  filingPreviewSummary,
  mayImportFilings,
  reportText,
} from './filing-import-view';
import {
  count,
  csvDataUrl,
  type DecodedFile,
  decodeCsvBytes,
  doneSummary,
  fileProblem,
  type ImportDone,
  type ImportPreview,
  mayImport,
  previewSummary,
} from './import-view';

type ChosenFile = DecodedFile & { name: string };
type Namnd = OrgOverview['namnder'][number];
type Refusal = { row: number; field: string; message: string };
type Column = {
  field: string;
  header: string;
  aliases: readonly string[];
  required: boolean;
  description: string;
};

/** What differs between the two imports of the page; the rest (file, dry run, run) is shared. */
type ImportKind<P extends { rows: number; refused: Refusal[]; ignoredColumns: string[] }, D> = {
  /** The draft key of pasted text. */
  form: string;
  /** The nämnder the user may import into. */
  namnder: (org: OrgOverview | null, me: Me) => Namnd[];
  noNamnd: string;
  lead: ReactNode;
  /** "beslut" in "Högst 5 000 beslut och 5 MB". */
  rowsWord: string;
  maxRows: number;
  maxBytes: number;
  dryRun: (input: { namndId: string; csv: string }) => Promise<P>;
  run: (input: { namndId: string; csv: string }) => Promise<D>;
  summary: (preview: P) => string[];
  mayRun: (preview: P) => boolean;
  runLabel: (preview: P) => string;
  running: string;
  runBusy: string;
  nothingNew: string;
  done: (done: D) => ReactNode;
  Accepted: (props: { preview: P }) => ReactNode;
  columns: readonly Column[];
  columnsCaption: string;
  columnsIntro: ReactNode;
  example: (me: Me, namnd: Namnd | undefined) => string;
  exampleName: string;
  exampleWhat: string;
};

const DECISIONS: ImportKind<ImportPreview, ImportDone> = {
  form: 'import',
  namnder: (org) => (org?.namnder ?? []).filter((n) => n.mayRegister),
  noNamnd: 'Du är inte handläggare i någon nämnd och kan inte importera beslut.',
  lead: (
    <p className="lead">
      Läs in beslut och personer från en CSV-fil som exporterats ur verksamhetssystemet. Filen
      provkörs först: du ser varje rad som inte kan importeras och varför. Ingenting importeras
      förrän alla rader går att importera, och då importeras hela filen på en gång.
    </p>
  ),
  rowsWord: 'beslut',
  maxRows: IMPORT_LIMITS.maxRows,
  maxBytes: IMPORT_LIMITS.maxBytes,
  dryRun: (input) => api.imports.dryRun.mutate(input),
  run: (input) => api.imports.run.mutate(input),
  summary: previewSummary,
  mayRun: mayImport,
  runLabel: (p) => `Importera ${count(p.accepted.length, 'beslut', 'beslut')}`,
  running: 'Importerar…',
  runBusy: 'Besluten importeras',
  nothingNew: 'Det finns inget nytt att importera i filen.',
  done: (done) => (
    <>
      <strong>Importen är klar.</strong> {doneSummary(done)} Besluten finns hos sina handläggare
      under Mina beslut.
    </>
  ),
  Accepted: AcceptedDecisions,
  columns: IMPORT_COLUMNS,
  columnsCaption: 'Kolumnerna i importfilen',
  columnsIntro: (
    <>
      <p>
        Första raden är rubrikraden. Kolumnerna får stå i vilken ordning som helst, och stora eller
        små bokstäver och å, ä, ö spelar ingen roll i rubrikerna. Andra kolumner lämnas orörda.
        Datum skrivs ÅÅÅÅ-MM-DD. Filen får vara semikolon- eller kommaseparerad och sparad som
        UTF-8, med eller utan BOM. Varje rad är ett beslut; samma beslutsid importeras bara en gång.
      </p>
      <p>
        Ett pågående ärende tas med sitt läge: när insatsen verkställdes, när den avbröts och
        verkställdes igen, och när beslutet avslutades och varför. Datumen blir beslutets händelser
        i den ordningen, så att väntetiderna och individrapporternas rader blir de verkliga. Lämna
        kolumnerna tomma för ett beslut som fortfarande väntar.
      </p>
    </>
  ),
  example: (me, namnd) =>
    importExampleCsv({
      handlaggare: me.username,
      enhet: namnd?.enheter.find((e) => e.typ === 'utforarenhet')?.namn ?? null,
    }),
  exampleName: 'evb-import-exempel.csv',
  exampleWhat: 'med fyra beslut i rätt format',
};

const FILINGS: ImportKind<FilingImportPreview, FilingImportDone> = {
  form: 'inlamningsimport',
  namnder: (org, me) =>
    (org?.namnder ?? []).filter((n) =>
      me.roles.some(
        (g) => (g.role === 'rapportor' || g.role === 'huvudrapportor') && g.namndId === n.id,
      ),
    ),
  noNamnd:
    'Du är inte rapportör i någon nämnd och kan inte importera tidigare inlämningar till IVO.',
  lead: (
    <p className="lead">
      Läs in de individrapporter som nämnden redan har lämnat i IVO:s e-tjänst, till exempel det
      senaste halvåret innan ni började med evb. Varje rad kopplas till beslutet och till kvartalets
      rapportrad och registreras som rapporterad till IVO, så att nästa rapport blir en
      återrapportering där IVO redan har ärendet. Filen provkörs först: du ser varje rad som inte
      kan registreras och varför. Ingenting registreras förrän alla rader går att registrera.
    </p>
  ),
  rowsWord: 'inlämningar',
  maxRows: FILING_IMPORT_LIMITS.maxRows,
  maxBytes: FILING_IMPORT_LIMITS.maxBytes,
  dryRun: (input) => api.imports.filingsDryRun.mutate(input),
  run: (input) => api.imports.filingsRun.mutate(input),
  summary: filingPreviewSummary,
  mayRun: mayImportFilings,
  runLabel: (p) => `Registrera ${count(p.accepted.length, 'inlämning', 'inlämningar')}`,
  running: 'Registrerar…',
  runBusy: 'Inlämningarna registreras',
  nothingNew: 'Det finns inget att registrera i filen.',
  done: (done) => (
    <>
      <strong>Importen är klar.</strong> {filingDoneSummary(done)} De visas som inlämnade under
      Individrapporter.
    </>
  ),
  Accepted: AcceptedFilings,
  columns: FILING_IMPORT_COLUMNS,
  columnsCaption: 'Kolumnerna i filen med tidigare inlämningar',
  columnsIntro: (
    <p>
      Första raden är rubrikraden. Kolumnerna får stå i vilken ordning som helst, och stora eller
      små bokstäver och å, ä, ö spelar ingen roll i rubrikerna. Andra kolumner lämnas orörda. Datum
      skrivs ÅÅÅÅ-MM-DD. Varje rad är en inlämning: ett besluts rapport för ett kvartal. Personen,
      beslutsdatum och insatsen ska peka ut ett enda beslut i nämnden, och beslutet ska ha en
      rapportrad för kvartalet. En inlämning som redan är registrerad registreras inte igen.
    </p>
  ),
  example: () => filingImportExampleCsv(),
  exampleName: 'evb-tidigare-inlamningar-exempel.csv',
  exampleWhat:
    'med två inlämningar i rätt format (de gäller besluten i exempelfilen för beslut ovan)',
};

type Tab = 'beslut' | 'inlamningar';

const TABS: { tab: Tab; label: string; title: string }[] = [
  { tab: 'beslut', label: 'Beslut', title: 'Importera beslut' },
  {
    tab: 'inlamningar',
    label: 'Tidigare inlämningar till IVO',
    title: 'Importera tidigare inlämningar till IVO',
  },
];

/**
 * Importing from files: a handläggare imports decisions and persons from the case system's CSV
 * export; a rapportör the nämnd's earlier filings with IVO. Each: choose a file (or paste its
 * text), try it, read every row that would be refused and why, and import the whole file at once
 * when nothing is refused. Someone who does both chooses with the tabs.
 */
export function Import() {
  const me = useMe();
  const available = TABS.filter((t) =>
    t.tab === 'beslut' ? hasRole(me, 'handlaggare') : hasRole(me, 'rapportor', 'huvudrapportor'),
  );
  const [tab, setTab] = useState<Tab>(available[0]?.tab ?? 'beslut');
  const idPrefix = useId();
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());
  const title = TABS.find((t) => t.tab === tab)!.title;

  function choose(next: Tab, focus: boolean) {
    setTab(next);
    if (focus) tabRefs.current.get(next)?.focus();
  }

  return (
    <>
      <h1>{title}</h1>
      {available.length > 1 && (
        <div
          role="tablist"
          aria-label="Vad som importeras"
          className="ir-tabs"
          onKeyDown={(e: KeyboardEvent) => {
            const at = available.findIndex((t) => t.tab === tab);
            const to =
              e.key === 'ArrowRight' || e.key === 'End'
                ? available[e.key === 'End' ? available.length - 1 : (at + 1) % available.length]
                : e.key === 'ArrowLeft' || e.key === 'Home'
                  ? available[e.key === 'Home' ? 0 : (at - 1 + available.length) % available.length]
                  : undefined;
            if (to) {
              e.preventDefault();
              choose(to.tab, true);
            }
          }}
        >
          {available.map((t) => (
            <button
              key={t.tab}
              ref={(el) => {
                if (el) tabRefs.current.set(t.tab, el);
              }}
              type="button"
              role="tab"
              id={`${idPrefix}-tab-${t.tab}`}
              aria-selected={tab === t.tab}
              aria-controls={`${idPrefix}-panel-${t.tab}`}
              tabIndex={tab === t.tab ? 0 : -1}
              className="ir-tab"
              onClick={() => choose(t.tab, false)}
            >
              {t.label}
            </button>
          ))}
        </div>
      )}
      <div
        {...(available.length > 1
          ? {
              role: 'tabpanel',
              id: `${idPrefix}-panel-${tab}`,
              'aria-labelledby': `${idPrefix}-tab-${tab}`,
              className: 'ir-panel',
            }
          : {})}
      >
        {tab === 'beslut' ? (
          <ImportPanel key="beslut" kind={DECISIONS} />
        ) : (
          <ImportPanel key="inlamningar" kind={FILINGS} />
        )}
      </div>
    </>
  );
}

function ImportPanel<P extends { rows: number; refused: Refusal[]; ignoredColumns: string[] }, D>({
  kind,
}: {
  kind: ImportKind<P, D>;
}) {
  const me = useMe();
  const { db } = useServices();
  const queryClient = useQueryClient();
  const remoteOrg = useQuery({
    queryKey: ['org-overview'],
    queryFn: () => api.org.overview.query(),
  });
  const localOrg = useOrg();
  const org = remoteOrg.data ?? localOrg.data ?? null;
  const namnder = kind.namnder(org, me).sort((a, b) => a.namn.localeCompare(b.namn, 'sv'));
  const [chosenNamnd, setChosenNamnd] = useState<string | null>(null);
  const namndId = chosenNamnd ?? namnder[0]?.id ?? '';
  const namnd = namnder.find((n) => n.id === namndId);

  const [file, setFile] = useState<ChosenFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [pasted, setPasted] = useState('');
  const [preview, setPreview] = useState<{ namndId: string; csv: string; result: P } | null>(null);
  const [busy, setBusy] = useState<'dryRun' | 'run' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<D | null>(null);
  const [fileInputKey, setFileInputKey] = useState(0);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const ids = {
    namnd: useId(),
    file: useId(),
    fileHint: useId(),
    paste: useId(),
    pasteHint: useId(),
    result: useId(),
    columns: useId(),
  };

  // What was pasted comes back after a reload.
  useEffect(() => {
    let live = true;
    void loadDraft(db, draftKey(kind.form, null)).then((draft) => {
      const text = draft?.data.text;
      if (live && typeof text === 'string') setPasted((current) => current || text);
    });
    return () => {
      live = false;
    };
  }, [db, kind.form]);

  const csv = file?.text ?? pasted;

  // A new dry run's result is announced like a new page: focus moves to its heading.
  useEffect(() => {
    if (preview) resultHeading.current?.focus();
  }, [preview]);
  const current =
    preview && preview.namndId === namndId && preview.csv === csv ? preview.result : null;

  function changed() {
    setFailure(null);
    setDone(null);
  }

  async function chooseFile(event: ChangeEvent<HTMLInputElement>) {
    changed();
    const chosen = event.target.files?.[0];
    setFile(null);
    setFileError(null);
    if (!chosen) return;
    const problem = fileProblem(chosen);
    if (problem) {
      setFileError(problem);
      return;
    }
    setFile({ name: chosen.name, ...decodeCsvBytes(await chosen.arrayBuffer()) });
  }

  function removeFile() {
    changed();
    setFile(null);
    setFileError(null);
    setFileInputKey((k) => k + 1);
  }

  function paste(text: string) {
    changed();
    setPasted(text);
    void (text
      ? saveDraft(db, kind.form, null, { text })
      : deleteDraft(db, draftKey(kind.form, null)));
  }

  async function dryRun(event?: FormEvent) {
    event?.preventDefault();
    if (!csv.trim()) {
      setFailure('Välj en CSV-fil eller klistra in filens innehåll.');
      return;
    }
    setBusy('dryRun');
    setFailure(null);
    setDone(null);
    try {
      const result = await kind.dryRun({ namndId, csv });
      setPreview({ namndId, csv, result });
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(null);
    }
  }

  async function runImport() {
    setBusy('run');
    setFailure(null);
    try {
      const result = await kind.run({ namndId, csv });
      setDone(result);
      // What the nämnd's lists showed before the import is read again, not shown as it was.
      queryClient.removeQueries({ queryKey: ['quarter', namndId] });
      queryClient.removeQueries({ queryKey: ['quarter-todo', namndId] });
      setPreview(null);
      setFile(null);
      setFileInputKey((k) => k + 1);
      setPasted('');
      await deleteDraft(db, draftKey(kind.form, null));
    } catch (error) {
      setFailure(errorMessage(error));
      // Something changed since the dry run (another import, a user or unit): show what now.
      if (errorStatus(error) === 400) {
        try {
          setPreview({ namndId, csv, result: await kind.dryRun({ namndId, csv }) });
        } catch {
          setPreview(null);
        }
      }
    } finally {
      setBusy(null);
    }
  }

  const example = csvDataUrl(kind.example(me, namnd));

  return (
    <>
      {kind.lead}

      {namnder.length === 0 ? (
        <p className="empty">{kind.noNamnd}</p>
      ) : (
        <form className="form" onSubmit={(e) => void dryRun(e)} noValidate>
          {namnder.length > 1 && (
            <div className="field">
              <label htmlFor={ids.namnd}>Nämnd</label>
              <select
                id={ids.namnd}
                value={namndId}
                onChange={(e) => {
                  changed();
                  setChosenNamnd(e.target.value);
                }}
              >
                {namnder.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.namn}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor={ids.file}>CSV-fil</label>
            <p className="hint" id={ids.fileHint}>
              Semikolon- eller kommaseparerad, UTF-8. Högst {kind.maxRows.toLocaleString('sv-SE')}{' '}
              {kind.rowsWord} och {kind.maxBytes / 1024 / 1024} MB. Kolumnerna beskrivs längre ner.{' '}
              <a href={example} download={kind.exampleName}>
                Ladda ner en exempelfil
              </a>
              .
            </p>
            <input
              key={fileInputKey}
              id={ids.file}
              type="file"
              accept=".csv,text/csv,text/plain"
              aria-describedby={ids.fileHint}
              aria-invalid={fileError ? true : undefined}
              onChange={(e) => void chooseFile(e)}
            />
            {fileError && <p className="error">{fileError}</p>}
            {file && (
              <p className="import-file">
                Vald fil: <strong>{file.name}</strong>.
                {file.encoding === 'Windows-1252' &&
                  ' Filen var inte sparad som UTF-8 och lästes som Windows-1252 (Excels ”CSV (semikolonavgränsad)”); kontrollera att å, ä och ö ser rätt ut nedan.'}{' '}
                <button type="button" className="button-link" onClick={removeFile}>
                  Ta bort filen
                </button>
              </p>
            )}
          </div>
          {!file && (
            <div className="field">
              <label htmlFor={ids.paste}>
                Eller klistra in filens innehåll <span className="optional">(valfritt)</span>
              </label>
              <p className="hint" id={ids.pasteHint}>
                Rubrikraden först. Texten sparas på enheten tills den importerats.
              </p>
              <textarea
                id={ids.paste}
                rows={6}
                spellCheck={false}
                aria-describedby={ids.pasteHint}
                value={pasted}
                onChange={(e) => paste(e.target.value)}
              />
            </div>
          )}
          <div className="actions">
            <button type="submit" className="button-primary" disabled={busy !== null}>
              {busy === 'dryRun' ? 'Provkör…' : 'Provkör filen'}
            </button>
          </div>
          {busy && (
            <p role="status">
              {busy === 'dryRun' ? 'Filen provkörs' : kind.runBusy}; en stor fil kan ta upp till en
              minut.
            </p>
          )}
        </form>
      )}

      {failure && (
        <div className="notice notice-danger import-failure" role="alert">
          <p>{failure}</p>
        </div>
      )}
      {done && (
        <div className="notice" role="status">
          <p>{kind.done(done)}</p>
        </div>
      )}

      {current && (
        <section aria-labelledby={ids.result}>
          <h2 id={ids.result} tabIndex={-1} ref={resultHeading}>
            Provkörning
          </h2>
          {kind.summary(current).map((line) => (
            <p key={line}>{line}</p>
          ))}
          {current.ignoredColumns.length > 0 && (
            <p className="hint">Kolumner som inte läses: {current.ignoredColumns.join(', ')}.</p>
          )}
          {current.refused.length > 0 ? (
            <RefusedRows refused={current.refused} />
          ) : kind.mayRun(current) ? (
            <div className="actions">
              <button
                type="button"
                className="button-primary"
                disabled={busy !== null}
                onClick={() => void runImport()}
              >
                {busy === 'run' ? kind.running : kind.runLabel(current)}
              </button>
            </div>
          ) : (
            <p className="empty">{kind.nothingNew}</p>
          )}
          <kind.Accepted preview={current} />
        </section>
      )}

      <section aria-labelledby={ids.columns}>
        <h2 id={ids.columns}>Filens kolumner</h2>
        {kind.columnsIntro}
        <p>
          <a href={example} download={kind.exampleName}>
            Ladda ner en exempelfil
          </a>{' '}
          {kind.exampleWhat}.
        </p>
        <Columns columns={kind.columns} caption={kind.columnsCaption} />
      </section>
    </>
  );
}

function RefusedRows({ refused }: { refused: readonly Refusal[] }) {
  return (
    <>
      <h3>Rader som inte kan importeras</h3>
      <p>
        Rätta raderna i filen och provkör igen. Ingenting importeras förrän alla rader går att
        importera.
      </p>
      <table className="import-table stack-table">
        <caption className="visually-hidden">
          {count(refused.length, 'fel', 'fel')}, per rad i filen (rubrikraden är rad 1)
        </caption>
        <thead>
          <tr>
            <th scope="col">Rad</th>
            <th scope="col">Kolumn</th>
            <th scope="col">Varför</th>
          </tr>
        </thead>
        <tbody>
          {refused.map((r, i) => (
            // A row may be refused for several columns; the position keeps the keys apart.
            // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced, never reordered
            <tr key={i}>
              <th scope="row">
                <span className="import-row-label">Rad </span>
                {r.row}
              </th>
              <td data-label="Kolumn">{r.field || 'Hela raden'}</td>
              <td data-label="Varför">{r.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function AcceptedDecisions({ preview }: { preview: ImportPreview }) {
  if (preview.accepted.length === 0) return null;
  return (
    <details className="import-accepted">
      <summary>
        Visa {count(preview.accepted.length, 'beslut', 'beslut')} som kan importeras
      </summary>
      <table className="import-table stack-table">
        <caption className="visually-hidden">Beslut som kan importeras, per rad i filen</caption>
        <thead>
          <tr>
            <th scope="col">Rad</th>
            <th scope="col">Beslutsid</th>
            <th scope="col">Insats</th>
            <th scope="col">Beslutsdatum</th>
            <th scope="col">Handläggare</th>
            <th scope="col">Beställd till</th>
            <th scope="col">Läge</th>
            <th scope="col">Person</th>
          </tr>
        </thead>
        <tbody>
          {preview.accepted.map((a) => (
            <tr key={a.row}>
              <th scope="row">
                <span className="import-row-label">Rad </span>
                {a.row}
              </th>
              <td data-label="Beslutsid">{a.beslutsid}</td>
              <td data-label="Insats">
                {a.insatsLabel}{' '}
                <span className="card-meta">
                  ({verksamhetsomradeLabel(a.verksamhetsomrade as Verksamhetsomrade)})
                </span>
              </td>
              <td data-label="Beslutsdatum">{formatSwedishDate(a.beslutsdatum)}</td>
              <td data-label="Handläggare">{a.handlaggare.namn}</td>
              <td data-label="Beställd till">{a.enhet ?? 'Inte beställd'}</td>
              <td data-label="Läge">{stateText(a.timeline)}</td>
              <td data-label="Person">{a.person === 'ny' ? 'Ny i evb' : 'Finns i evb'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function AcceptedFilings({ preview }: { preview: FilingImportPreview }) {
  if (preview.accepted.length === 0) return null;
  return (
    <details className="import-accepted">
      <summary>
        Visa {count(preview.accepted.length, 'inlämning', 'inlämningar')} som kan registreras
      </summary>
      <table className="import-table stack-table">
        <caption className="visually-hidden">
          Inlämningar som kan registreras, per rad i filen
        </caption>
        <thead>
          <tr>
            <th scope="col">Rad</th>
            <th scope="col">Kvartal</th>
            <th scope="col">Beslut</th>
            <th scope="col">Dröjsmål</th>
            <th scope="col">Rapport</th>
            <th scope="col">Inlämnad</th>
          </tr>
        </thead>
        <tbody>
          {preview.accepted.map((a) => (
            <tr key={a.row}>
              <th scope="row">
                <span className="import-row-label">Rad </span>
                {a.row}
              </th>
              <td data-label="Kvartal">{a.quarterLabel}</td>
              <td data-label="Beslut">
                {a.insatsLabel}, {formatSwedishDate(a.beslutsdatum)}
              </td>
              <td data-label="Dröjsmål">{episodeText(a)}</td>
              <td data-label="Rapport">{reportText(a)}</td>
              <td data-label="Inlämnad">{formatSwedishDate(a.filedOn)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

const STATE_LABELS: Record<ImportPreview['accepted'][number]['timeline'][number]['kind'], string> =
  {
    verkstalld: 'verkställd',
    avbrott: 'avbrott',
    aterupptagen: 'verkställd igen',
    avslutad: 'avslutad',
  };

/** A decision's state as the row gives it: "Väntar", or its events, e.g. "Verkställd 4 maj 2026". */
function stateText(timeline: ImportPreview['accepted'][number]['timeline']): string {
  if (timeline.length === 0) return 'Väntar';
  const text = timeline
    .map((e) => `${STATE_LABELS[e.kind]} ${formatSwedishDate(e.date)}`)
    .join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The documented columns, from the domain's list. */
function Columns({ columns, caption }: { columns: readonly Column[]; caption: string }) {
  return (
    <table className="import-table stack-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Kolumn</th>
          <th scope="col">Kolumnen krävs</th>
          <th scope="col">Innehåll</th>
        </tr>
      </thead>
      <tbody>
        {columns.map((c) => (
          <tr key={c.field}>
            <th scope="row">
              <code>{c.header}</code>
            </th>
            <td data-label="Kolumnen krävs">{c.required ? 'Ja' : 'Nej'}</td>
            <td data-label="Innehåll">
              {c.description}
              {c.aliases.length > 0 && (
                <span className="card-meta"> Kan också heta: {c.aliases.join(', ')}.</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
