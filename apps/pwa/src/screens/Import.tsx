import {
  formatSwedishDate,
  IMPORT_COLUMNS,
  IMPORT_LIMITS,
  importExampleCsv,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import { useQuery } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { api, errorMessage, errorStatus } from '../api/client';
import { useMe, useServices } from '../app/context';
import { deleteDraft, draftKey, loadDraft, saveDraft } from '../local/drafts';
import { useOrg } from '../local/hooks';
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

const FORM = 'import';

type ChosenFile = DecodedFile & { name: string };

/**
 * The handläggare imports decisions and persons from the case system's CSV export: choose a file
 * (or paste its text), try it, read every row that would be refused and why, and import the whole
 * file at once when nothing is refused. Pasted text is kept as a draft on the device.
 */
export function Import() {
  const me = useMe();
  const { db } = useServices();
  const remoteOrg = useQuery({
    queryKey: ['org-overview'],
    queryFn: () => api.org.overview.query(),
  });
  const localOrg = useOrg();
  const org = remoteOrg.data ?? localOrg.data ?? null;
  const namnder = (org?.namnder ?? [])
    .filter((n) => n.mayRegister)
    .sort((a, b) => a.namn.localeCompare(b.namn, 'sv'));
  const [chosenNamnd, setChosenNamnd] = useState<string | null>(null);
  const namndId = chosenNamnd ?? namnder[0]?.id ?? '';
  const namnd = namnder.find((n) => n.id === namndId);

  const [file, setFile] = useState<ChosenFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [pasted, setPasted] = useState('');
  const [preview, setPreview] = useState<{
    namndId: string;
    csv: string;
    result: ImportPreview;
  } | null>(null);
  const [busy, setBusy] = useState<'dryRun' | 'run' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<ImportDone | null>(null);
  const [fileInputKey, setFileInputKey] = useState(0);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const ids = {
    namnd: useId(),
    file: useId(),
    fileHint: useId(),
    paste: useId(),
    pasteHint: useId(),
  };

  // What was pasted comes back after a reload.
  useEffect(() => {
    let live = true;
    void loadDraft(db, draftKey(FORM, null)).then((draft) => {
      const text = draft?.data.text;
      if (live && typeof text === 'string') setPasted((current) => current || text);
    });
    return () => {
      live = false;
    };
  }, [db]);

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
    void (text ? saveDraft(db, FORM, null, { text }) : deleteDraft(db, draftKey(FORM, null)));
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
      const result = await api.imports.dryRun.mutate({ namndId, csv });
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
      const result = await api.imports.run.mutate({ namndId, csv });
      setDone(result);
      setPreview(null);
      setFile(null);
      setFileInputKey((k) => k + 1);
      setPasted('');
      await deleteDraft(db, draftKey(FORM, null));
    } catch (error) {
      setFailure(errorMessage(error));
      // Something changed since the dry run (another import, a user or unit): show what now.
      if (errorStatus(error) === 400) {
        try {
          setPreview({ namndId, csv, result: await api.imports.dryRun.mutate({ namndId, csv }) });
        } catch {
          setPreview(null);
        }
      }
    } finally {
      setBusy(null);
    }
  }

  const enhet = namnd?.enheter.find((e) => e.typ === 'utforarenhet')?.namn ?? null;
  const example = csvDataUrl(importExampleCsv({ handlaggare: me.username, enhet }));

  return (
    <>
      <h1>Importera beslut</h1>
      <p className="lead">
        Läs in beslut och personer från en CSV-fil som exporterats ur verksamhetssystemet. Filen
        provkörs först: du ser varje rad som inte kan importeras och varför. Ingenting importeras
        förrän alla rader går att importera, och då importeras hela filen på en gång.
      </p>

      {namnder.length === 0 ? (
        <p className="empty">Du är inte handläggare i någon nämnd och kan inte importera beslut.</p>
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
              Semikolon- eller kommaseparerad, UTF-8. Högst{' '}
              {IMPORT_LIMITS.maxRows.toLocaleString('sv-SE')} beslut och{' '}
              {IMPORT_LIMITS.maxBytes / 1024 / 1024} MB. Kolumnerna beskrivs längre ner.{' '}
              <a href={example} download="evb-import-exempel.csv">
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
              {busy === 'dryRun' ? 'Filen provkörs' : 'Besluten importeras'}; en stor fil kan ta upp
              till en minut.
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
          <p>
            <strong>Importen är klar.</strong> {doneSummary(done)} Besluten finns hos sina
            handläggare under Mina beslut.
          </p>
        </div>
      )}

      {current && (
        <section aria-labelledby="import-result">
          <h2 id="import-result" tabIndex={-1} ref={resultHeading}>
            Provkörning
          </h2>
          {previewSummary(current).map((line) => (
            <p key={line}>{line}</p>
          ))}
          {current.ignoredColumns.length > 0 && (
            <p className="hint">Kolumner som inte läses: {current.ignoredColumns.join(', ')}.</p>
          )}
          {current.refused.length > 0 ? (
            <RefusedRows preview={current} />
          ) : mayImport(current) ? (
            <div className="actions">
              <button
                type="button"
                className="button-primary"
                disabled={busy !== null}
                onClick={() => void runImport()}
              >
                {busy === 'run'
                  ? 'Importerar…'
                  : `Importera ${count(current.accepted.length, 'beslut', 'beslut')}`}
              </button>
            </div>
          ) : (
            <p className="empty">Det finns inget nytt att importera i filen.</p>
          )}
          {current.accepted.length > 0 && <AcceptedRows preview={current} />}
        </section>
      )}

      <Columns example={example} />
    </>
  );
}

function RefusedRows({ preview }: { preview: ImportPreview }) {
  return (
    <>
      <h3>Rader som inte kan importeras</h3>
      <p>
        Rätta raderna i filen och provkör igen. Ingenting importeras förrän alla rader går att
        importera.
      </p>
      <table className="import-table stack-table">
        <caption className="visually-hidden">
          {count(preview.refused.length, 'fel', 'fel')}, per rad i filen (rubrikraden är rad 1)
        </caption>
        <thead>
          <tr>
            <th scope="col">Rad</th>
            <th scope="col">Kolumn</th>
            <th scope="col">Varför</th>
          </tr>
        </thead>
        <tbody>
          {preview.refused.map((r, i) => (
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

function AcceptedRows({ preview }: { preview: ImportPreview }) {
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
function Columns({ example }: { example: string }) {
  return (
    <section aria-labelledby="import-columns">
      <h2 id="import-columns">Filens kolumner</h2>
      <p>
        Första raden är rubrikraden. Kolumnerna får stå i vilken ordning som helst, och stora eller
        små bokstäver och å, ä, ö spelar ingen roll i rubrikerna. Andra kolumner lämnas orörda.
        Datum skrivs ÅÅÅÅ-MM-DD. Filen får vara semikolon- eller kommaseparerad och sparad som
        UTF-8, med eller utan BOM. Varje rad är ett beslut; samma beslutsid importeras bara en gång.
      </p>
      <p>
        Ett pågående ärende tas med sitt läge: när insatsen verkställdes, när den avbröts och
        verkställdes igen, och när beslutet avslutades och varför. Datumen blir beslutets händelser
        i den ordningen, så att väntetiderna och kvartalsrapportens rader blir de verkliga. Lämna
        kolumnerna tomma för ett beslut som fortfarande väntar.
      </p>
      <p>
        <a href={example} download="evb-import-exempel.csv">
          Ladda ner en exempelfil
        </a>{' '}
        med fyra beslut i rätt format.
      </p>
      <table className="import-table stack-table">
        <caption className="visually-hidden">Kolumnerna i importfilen</caption>
        <thead>
          <tr>
            <th scope="col">Kolumn</th>
            <th scope="col">Kolumnen krävs</th>
            <th scope="col">Innehåll</th>
          </tr>
        </thead>
        <tbody>
          {IMPORT_COLUMNS.map((c) => (
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
    </section>
  );
}
