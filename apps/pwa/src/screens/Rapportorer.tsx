import {
  ACCOUNT_FIELD_RULES,
  ROLE_LABELS,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { api, errorMessage, type RouterOutputs } from '../api/client';
import { useMe } from '../app/context';
import { Field } from '../components/Field';
import {
  FormAlert,
  failureOf,
  OnlineOnlyNotice,
  RestoredDraft,
  refusalOf,
  useDraftForm,
  useFormFeedback,
} from './admin-form';
import {
  areasFromEntry,
  type ReporterValues,
  reporterAreasInput,
  reporterChecks,
  reporterErrorOf,
  reporterPaths,
} from './reporter-values';
import { UserSearch } from './UserSearch';

type Register = RouterOutputs['reporters']['list'][number];
type Entry = Register['reporters'][number];

const REPORTERS_KEY = ['reporters'];

type Panel =
  | { kind: 'add' }
  | { kind: 'edit'; userId: string }
  | { kind: 'remove'; userId: string }
  | null;

/**
 * The nämnd's register of IVO reporters: who reports for which verksamhetsområden, and who is
 * huvudrapportör. Every rapportör reads it; the nämnd's huvudrapportör adds, changes and removes
 * reporters. One section per nämnd the user reports for. Online only.
 */
export function Rapportorer() {
  const me = useMe();
  const registers = useQuery({
    queryKey: REPORTERS_KEY,
    queryFn: () => api.reporters.list.query(),
  });
  const mayChangeAny = me.roles.some((g) => g.role === 'huvudrapportor');
  const sorted = [...(registers.data ?? [])].sort((a, b) => a.namn.localeCompare(b.namn, 'sv'));

  return (
    <>
      <h1>Rapportörer</h1>
      <p className="lead">
        Vilka som rapporterar ej verkställda beslut till IVO för nämnden, och för vilka
        verksamhetsområden.{' '}
        {mayChangeAny
          ? 'Som huvudrapportör lägger du till, ändrar och tar bort nämndens rapportörer.'
          : 'Bara nämndens huvudrapportör kan ändra registret.'}
      </p>
      <OnlineOnlyNotice what="Rapportörsregistret" />
      {registers.isPending ? (
        <p role="status">
          {registers.fetchStatus === 'paused'
            ? 'Registret hämtas när du är ansluten igen.'
            : 'Hämtar rapportörer…'}
        </p>
      ) : registers.isError ? (
        <div className="notice notice-danger" role="alert">
          <p>Rapportörerna kunde inte hämtas. {errorMessage(registers.error)}</p>
          <button
            type="button"
            className="button-secondary"
            onClick={() => void registers.refetch()}
          >
            Försök igen
          </button>
        </div>
      ) : sorted.length === 0 ? (
        <p className="empty">Du rapporterar inte för någon nämnd.</p>
      ) : (
        sorted.map((register) => (
          <NamndRegister
            key={register.namndId}
            register={register}
            mayChange={me.roles.some(
              (g) => g.role === 'huvudrapportor' && g.namndId === register.namndId,
            )}
          />
        ))
      )}
    </>
  );
}

const labelOf = (code: string) => verksamhetsomradeLabel(code as Verksamhetsomrade);

/** "LSS, SoL Äldre", or "Alla (…)" for a reporter of the whole nämnd. */
/**
 * An e-mail address that may wrap before its "@" on a narrow column ("karin.holm" /
 * "@exempelkommun.se") instead of anywhere in a word.
 */
function emailWithBreak(email: string): React.ReactNode {
  const at = email.indexOf('@');
  if (at <= 0) return email;
  return (
    <>
      {email.slice(0, at)}
      <wbr />
      {email.slice(at)}
    </>
  );
}

function areasText(entry: Entry): string {
  const labels = entry.verksamhetsomraden.map(labelOf).join(', ');
  return entry.helaNamnden ? `Alla (${labels || 'inga ännu'})` : labels;
}

function NamndRegister({ register, mayChange }: { register: Register; mayChange: boolean }) {
  const me = useMe();
  const [panel, setPanel] = useState<Panel>(null);
  const [done, setDone] = useState<string | null>(null);
  const headingId = useId();
  const doneRef = useRef<HTMLParagraphElement>(null);
  const entries = [...register.reporters].sort(
    (a, b) =>
      Number(b.status === 'huvudrapportor') - Number(a.status === 'huvudrapportor') ||
      a.displayName.localeCompare(b.displayName, 'sv'),
  );
  const chosen =
    panel && panel.kind !== 'add' ? entries.find((e) => e.userId === panel.userId) : undefined;

  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  function finish(message: string) {
    setPanel(null);
    setDone(message);
  }

  return (
    <section className="admin-register" aria-labelledby={headingId}>
      <h2 id={headingId}>{register.namn}</h2>
      {done && (
        <p className="notice" role="status" ref={doneRef} tabIndex={-1}>
          {done}
        </p>
      )}
      {entries.length === 0 ? (
        <p className="empty">Nämnden har inga rapportörer.</p>
      ) : (
        <table className="admin-table stack-table">
          <caption>Rapportörer för {register.namn}</caption>
          <thead>
            <tr>
              <th scope="col">Namn</th>
              <th scope="col">Roll</th>
              <th scope="col">Verksamhetsområden</th>
              <th scope="col">Kontakt</th>
              {mayChange && <th scope="col">Åtgärder</th>}
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.userId}>
                <th scope="row">
                  <span className="admin-name">
                    {entry.displayName}
                    {entry.userId === me.id && ' (du)'}
                  </span>
                  <span className="admin-username">{entry.username}</span>
                  {!entry.active && <span className="badge badge-problem">Kontot inaktiverat</span>}
                </th>
                <td data-label="Roll">
                  {entry.status === 'huvudrapportor' ? (
                    <strong>{ROLE_LABELS.huvudrapportor}</strong>
                  ) : (
                    ROLE_LABELS.rapportor
                  )}
                </td>
                <td data-label="Verksamhetsområden">{areasText(entry)}</td>
                <td data-label="Kontakt">
                  {entry.email || entry.telefon ? (
                    <>
                      {entry.email && (
                        <span className="admin-contact">{emailWithBreak(entry.email)}</span>
                      )}
                      {entry.telefon && (
                        <span className="admin-contact admin-phone">{entry.telefon}</span>
                      )}
                    </>
                  ) : (
                    <span className="empty">Saknas</span>
                  )}
                </td>
                {mayChange && (
                  <td data-label="Åtgärder">
                    <div className="admin-row-actions">
                      <button
                        type="button"
                        className="button-secondary"
                        onClick={() => {
                          setDone(null);
                          setPanel({ kind: 'edit', userId: entry.userId });
                        }}
                      >
                        Ändra<span className="visually-hidden"> {entry.displayName}</span>
                      </button>
                      <button
                        type="button"
                        className="button-danger"
                        onClick={() => {
                          setDone(null);
                          setPanel({ kind: 'remove', userId: entry.userId });
                        }}
                      >
                        Ta bort<span className="visually-hidden"> {entry.displayName}</span>
                      </button>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayChange && panel?.kind === 'add' && (
        <ReporterForm register={register} onDone={finish} onCancel={() => setPanel(null)} />
      )}
      {mayChange && panel?.kind === 'edit' && chosen && (
        <ReporterForm
          key={chosen.userId}
          register={register}
          entry={chosen}
          onDone={finish}
          onCancel={() => setPanel(null)}
        />
      )}
      {mayChange && panel?.kind === 'remove' && chosen && (
        <ConfirmRemove
          key={chosen.userId}
          register={register}
          entry={chosen}
          self={chosen.userId === me.id}
          onDone={finish}
          onCancel={() => setPanel(null)}
        />
      )}
      {mayChange && panel === null && (
        <div className="actions">
          <button
            type="button"
            className="button-primary"
            onClick={() => {
              setDone(null);
              setPanel({ kind: 'add' });
            }}
          >
            Lägg till rapportör<span className="visually-hidden"> för {register.namn}</span>
          </button>
        </div>
      )}
    </section>
  );
}

function ConfirmRemove({
  register,
  entry,
  self,
  onDone,
  onCancel,
}: {
  register: Register;
  entry: Entry;
  self: boolean;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const client = useQueryClient();
  const [refusal, setRefusal] = useState<string | null>(null);
  const id = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const remove = useMutation({
    mutationFn: () =>
      api.reporters.remove.mutate({ namndId: register.namndId, userId: entry.userId }),
    networkMode: 'always',
  });

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  async function confirm() {
    setRefusal(null);
    try {
      await remove.mutateAsync();
      await client.invalidateQueries({ queryKey: REPORTERS_KEY });
      onDone(`${entry.displayName} är borttagen som rapportör för ${register.namn}.`);
    } catch (e) {
      setRefusal(refusalOf(e));
    }
  }

  return (
    <section className="notice notice-danger admin-panel" aria-labelledby={id}>
      <h3 id={id} ref={headingRef} tabIndex={-1}>
        {self ? 'Ta bort dig själv' : `Ta bort ${entry.displayName}`} som rapportör?
      </h3>
      <p>
        {self ? 'Du' : entry.displayName} förlorar åtkomsten till {register.namn}s beslut och
        rapporter och loggas ut från alla enheter direkt.
      </p>
      {refusal && (
        <p className="error" role="alert">
          {refusal}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button-danger"
          disabled={remove.isPending}
          onClick={() => void confirm()}
        >
          {remove.isPending ? 'Tar bort…' : 'Ja, ta bort'}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Avbryt
        </button>
      </div>
    </section>
  );
}

const NOT_SAVED = 'Ändringen är inte sparad. Rätta fälten som är markerade.';

/** A new reporter's blank contact detail. */
const KEEP = 'Tomt: det som står på kontot gäller.';

function ReporterForm({
  register,
  entry,
  onDone,
  onCancel,
}: {
  register: Register;
  /** The reporter changed; none when a new one is added. */
  entry?: Entry;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const client = useQueryClient();
  const initial = useMemo<ReporterValues>(
    () =>
      entry
        ? {
            username: entry.username,
            displayName: entry.displayName,
            search: '',
            status: entry.status,
            ...areasFromEntry(entry),
            email: entry.email ?? '',
            telefon: entry.telefon ?? '',
          }
        : {
            username: '',
            displayName: '',
            search: '',
            status: 'rapportor',
            alla: 'alla',
            areas: [],
            email: '',
            telefon: '',
          },
    [entry],
  );
  const form = useDraftForm<ReporterValues>(
    entry ? `rapportor-${register.namndId}-${entry.userId}` : `rapportor-ny-${register.namndId}`,
    initial,
  );
  const feedback = useFormFeedback();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const save = useMutation({
    mutationFn: async (values: ReporterValues) => {
      const verksamhetsomraden = reporterAreasInput(values, register.verksamhetsomraden, !entry);
      if (entry) {
        return api.reporters.update.mutate({
          namndId: register.namndId,
          userId: entry.userId,
          status: values.status,
          verksamhetsomraden,
          email: values.email,
          telefon: values.telefon,
        });
      }
      return api.reporters.add.mutate({
        namndId: register.namndId,
        username: values.username,
        status: values.status,
        verksamhetsomraden,
        // Blank keeps what the user's account already has.
        email: values.email.trim() || undefined,
        telefon: values.telefon.trim() || undefined,
      });
    },
    networkMode: 'always',
  });

  const ready = form.values !== null;
  useEffect(() => {
    if (ready) headingRef.current?.focus();
  }, [ready]);

  const values = form.values;
  if (!values) return <p role="status">Öppnar formuläret…</p>;
  const manyAreas = register.verksamhetsomraden.length > 1;

  function change<K extends keyof ReporterValues>(name: K, value: ReporterValues[K]) {
    if (!values) return;
    form.change({ ...values, [name]: value });
    feedback.clear(name === 'areas' || name === 'alla' ? 'verksamhetsomraden' : name);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!values || save.isPending) return;
    const found = reporterChecks(values, !entry, manyAreas);
    if (Object.keys(found).length > 0) {
      feedback.show({ fields: found, message: NOT_SAVED });
      return;
    }
    feedback.clearMessage();
    try {
      const answer = await save.mutateAsync(values);
      await form.finish();
      client.setQueryData<Register[]>(REPORTERS_KEY, (old) =>
        old?.map((r) => (r.namndId === answer.namndId ? answer : r)),
      );
      await client.invalidateQueries({ queryKey: REPORTERS_KEY });
      const name =
        entry?.displayName ??
        answer.reporters.find((r) => r.username === values.username.trim().toLowerCase())
          ?.displayName ??
        values.username;
      onDone(
        entry
          ? `Ändringen av ${name} är sparad.`
          : `${name} är tillagd som ${ROLE_LABELS[values.status].toLocaleLowerCase('sv')} för ${register.namn}.`,
      );
    } catch (e) {
      feedback.show(reporterErrorOf(failureOf(e, reporterPaths(), NOT_SAVED)));
    }
  }

  const { field, errors, id } = feedback;
  const areaError = errors.verksamhetsomraden;

  return (
    <section className="admin-panel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`} ref={headingRef} tabIndex={-1}>
        {entry ? `Ändra ${entry.displayName}` : `Lägg till rapportör för ${register.namn}`}
      </h3>
      <RestoredDraft at={form.restoredAt} onDiscard={() => void form.discard()} />
      <FormAlert feedback={feedback} />
      <form ref={feedback.formRef} className="form admin-form" onSubmit={submit} noValidate>
        {!entry && (
          <UserSearch
            id={id}
            namndId={register.namndId}
            text={values.search}
            chosen={values}
            error={errors.username}
            onText={(search) => form.change({ ...values, search })}
            onChoose={(user) => {
              form.change({ ...values, ...user });
              feedback.clear('username');
            }}
          />
        )}
        <fieldset
          className="choice"
          aria-describedby={
            [`${id}-status-hint`, errors.status ? `${id}-status-error` : null]
              .filter(Boolean)
              .join(' ') || undefined
          }
        >
          <legend>Roll</legend>
          <p className="hint" id={`${id}-status-hint`}>
            En huvudrapportör kan också lägga till, ändra och ta bort nämndens rapportörer.
          </p>
          <div className="choice-options">
            {(['rapportor', 'huvudrapportor'] as const).map((status, i) => (
              <label key={status} className="check">
                <input
                  type="radio"
                  name={`${id}-status`}
                  value={status}
                  checked={values.status === status}
                  aria-invalid={errors.status ? true : undefined}
                  data-path={i === 0 ? 'status' : undefined}
                  onChange={() => change('status', status)}
                />
                {ROLE_LABELS[status]}
              </label>
            ))}
          </div>
          {errors.status && (
            <p className="error" id={`${id}-status-error`}>
              {errors.status}
            </p>
          )}
        </fieldset>
        {manyAreas ? (
          <fieldset
            className="choice"
            aria-describedby={areaError ? `${id}-areas-error` : undefined}
          >
            <legend>Verksamhetsområden</legend>
            <div className="choice-options is-stacked">
              <label className="check">
                <input
                  type="radio"
                  name={`${id}-alla`}
                  checked={values.alla === 'alla'}
                  aria-invalid={areaError ? true : undefined}
                  data-path="verksamhetsomraden"
                  onChange={() => change('alla', 'alla')}
                />
                Alla nämndens verksamhetsområden, även de som läggs till senare
              </label>
              <label className="check">
                <input
                  type="radio"
                  name={`${id}-alla`}
                  checked={values.alla === 'vissa'}
                  aria-invalid={areaError ? true : undefined}
                  onChange={() => change('alla', 'vissa')}
                />
                Bara vissa:
              </label>
              {values.alla === 'vissa' && (
                <div className="admin-areas">
                  {register.verksamhetsomraden.map((code) => (
                    <label key={code} className="check">
                      <input
                        type="checkbox"
                        checked={values.areas.includes(code)}
                        aria-invalid={areaError ? true : undefined}
                        onChange={(e) =>
                          change(
                            'areas',
                            e.target.checked
                              ? [...values.areas, code]
                              : values.areas.filter((a) => a !== code),
                          )
                        }
                      />
                      {labelOf(code)}
                    </label>
                  ))}
                </div>
              )}
            </div>
            {areaError && (
              <p className="error" id={`${id}-areas-error`}>
                {areaError}
              </p>
            )}
          </fieldset>
        ) : (
          <p className="hint">
            {register.namn} rapporterar för{' '}
            {register.verksamhetsomraden.map(labelOf).join(', ') || 'inga verksamhetsområden'}.
            {areaError && (
              <span className="error" data-path="verksamhetsomraden">
                {' '}
                {areaError}
              </span>
            )}
          </p>
        )}
        <div className="field-row">
          <Field
            label="E-post"
            optional
            hint={entry ? ACCOUNT_FIELD_RULES.email : `${KEEP} ${ACCOUNT_FIELD_RULES.email}`}
            {...field('email')}
          >
            {(props) => (
              <input
                {...props}
                type="email"
                autoComplete="off"
                value={values.email}
                onChange={(e) => change('email', e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Telefon"
            optional
            hint={entry ? ACCOUNT_FIELD_RULES.telefon : `${KEEP} ${ACCOUNT_FIELD_RULES.telefon}`}
            {...field('telefon')}
          >
            {(props) => (
              <input
                {...props}
                type="tel"
                autoComplete="off"
                value={values.telefon}
                onChange={(e) => change('telefon', e.target.value)}
              />
            )}
          </Field>
        </div>
        {entry && (
          <p className="hint">
            Tar du bort ett verksamhetsområde eller rollen huvudrapportör loggas {entry.displayName}{' '}
            ut från alla enheter direkt.
          </p>
        )}
        <p className="draft-state">
          Det du skriver sparas på enheten tills du har sparat det i evb.
        </p>
        <div className="actions">
          <button type="submit" className="button-primary" disabled={save.isPending}>
            {save.isPending ? 'Sparar…' : entry ? 'Spara ändringen' : 'Lägg till'}
          </button>
          <button type="button" className="button-secondary" onClick={onCancel}>
            Avbryt
          </button>
        </div>
      </form>
    </section>
  );
}
