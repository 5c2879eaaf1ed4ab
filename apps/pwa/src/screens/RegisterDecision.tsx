import {
  birthDateOfPersonnummer,
  defaultOrderRecipient,
  findInsats,
  inriktningarFor,
  konOfPersonnummer,
  needsInriktning,
  type Verksamhetsomrade,
} from '@evb/domain';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { v7 as uuidv7 } from 'uuid';
import { Link } from 'wouter';
import { api, errorMessage, errorStatus, fieldErrors } from '../api/client';
import { useMe, useServices, useToday } from '../app/context';
import { Field } from '../components/Field';
import { formatDate, formatTime } from '../format/format';
import { deleteDraft, draftKey, loadDraft, saveDraft } from '../local/drafts';
import { useCases, useOrg } from '../local/hooks';
import {
  applyChange,
  areaChoices,
  checkValues,
  chosenInsats,
  initialValues,
  insatsChoices,
  isLss8,
  lagrumChoices,
  type NamndChoice,
  personnummerProblem,
  type RegisterValues,
  settle,
  tidyPersonnummer,
  toRegisterInput,
} from './register-decision-values';

const FORM = 'beslut';

/** The server's field path each form field's errors are shown under. */
const PATH_OF: Partial<Record<keyof RegisterValues, string>> = {
  fornamn: 'person.fornamn',
  efternamn: 'person.efternamn',
  identitet: 'person.typ',
  personnummer: 'person.personnummer',
  fodelsedatum: 'person.fodelsedatum',
  kon: 'person.kon',
  skyddadIdentitet: 'person.skyddadIdentitet',
  enhetId: 'order.enhetId',
  extern: 'order.extern',
};
const pathOf = (name: keyof RegisterValues) => PATH_OF[name] ?? name;

/** Every path an error is shown beside; others go to the message at the top. */
const SHOWN_PATHS = new Set([
  'namndId',
  'ersatterBeslutId',
  'person.personId',
  'person.fornamn',
  'person.efternamn',
  'person.typ',
  'person.personnummer',
  'person.fodelsedatum',
  'person.kon',
  'person.skyddadIdentitet',
  'lagrum',
  'insats',
  'form',
  'verksamhetsomrade',
  'inriktning',
  'inriktningText',
  'beslutsdatum',
  'forhandsbesked',
  'order.enhetId',
  'order.extern',
]);

/** The order fields are checked in, for moving focus to the first error. */
const FOCUS_ORDER = [...SHOWN_PATHS];

type Registered = {
  id: string;
  person: string;
  insats: string;
  enhet: string | null;
};

const ENHET_TYP_LABELS: Record<string, string> = {
  boendeteamet: 'Boendeteamet',
  centralen_for_sysselsattning: 'Centralen för sysselsättning',
  utforarenhet: 'utförarenheten',
};

/**
 * The handläggare registers a decision and orders it, on a tablet. The form is saved on the
 * device on every change, with the decision's client id, so a reload, a lost network or a double
 * tap never loses what was typed nor registers the decision twice.
 */
export function RegisterDecision() {
  const { db, engine } = useServices();
  const me = useMe();
  const today = useToday();
  const remoteOrg = useQuery({
    queryKey: ['org-overview'],
    queryFn: () => api.org.overview.query(),
  });
  const localOrg = useOrg();
  const org = remoteOrg.data ?? localOrg.data ?? null;
  const namnder: NamndChoice[] = (org?.namnder ?? []).filter((n) => n.mayRegister);
  const cases = useCases();
  const key = draftKey(FORM, null);

  const [values, setValues] = useState<RegisterValues | null>(null);
  const [restoredAt, setRestoredAt] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [offline, setOffline] = useState(false);
  const [sending, setSending] = useState(false);
  const [registered, setRegistered] = useState<Registered | null>(null);
  const idPrefix = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    void loadDraft(db, key).then((draft) => {
      if (!live) return;
      const fresh = initialValues(uuidv7(), today);
      setValues(draft ? { ...fresh, ...(draft.data as Partial<RegisterValues>) } : fresh);
      setRestoredAt(draft?.updatedAt ?? null);
      setSaved(draft !== undefined);
    });
    return () => {
      live = false;
    };
  }, [db, key, today]);

  // Preselect the nämnd when there is only one (not saved until the user changes something).
  const only = namnder.length === 1 ? namnder[0]! : null;
  useEffect(() => {
    if (only && values && !values.namndId) setValues(settle({ ...values, namndId: only.id }, only));
  }, [only, values]);

  useEffect(() => {
    if (registered) doneRef.current?.focus();
  }, [registered]);

  if (registered) {
    return (
      <Confirmation
        registered={registered}
        headingRef={doneRef}
        onAnother={() => {
          setRegistered(null);
          setValues(initialValues(uuidv7(), today));
          setRestoredAt(null);
          setSaved(false);
        }}
      />
    );
  }

  if (!values) return <p role="status">Öppnar formuläret…</p>;

  const namnd = namnder.find((n) => n.id === values.namndId) ?? null;
  const areas = namnd?.verksamhetsomraden.map((a) => a.code) ?? [];
  const insatser = insatsChoices(values.lagrum, areas);
  const insatsChoice = insatser.find((c) => c.code === values.insats);
  const insats = chosenInsats(values, insatser);
  const areaOptions = areaChoices(insats || values.insats, areas);
  const area = values.verksamhetsomrade as Verksamhetsomrade;
  const inriktningar =
    values.verksamhetsomrade && needsInriktning(area) ? inriktningarFor(area) : [];
  const inriktning = inriktningar.find((i) => i.code === values.inriktning);
  const replaceable = (cases.data ?? [])
    .filter((c) => c.decision.handlaggareId === me.id && c.decision.namndId === values.namndId)
    .sort(
      (a, b) =>
        `${a.decision.person.efternamn} ${a.decision.person.fornamn}`.localeCompare(
          `${b.decision.person.efternamn} ${b.decision.person.fornamn}`,
          'sv',
        ) || b.decision.beslutsdatum.localeCompare(a.decision.beslutsdatum),
    );
  const replaced = replaceable.find((c) => c.decision.id === values.ersatterBeslutId) ?? null;
  const enheter = [...(namnd?.enheter ?? [])].sort((a, b) => a.namn.localeCompare(b.namn, 'sv'));
  const defaultKind = insats ? defaultOrderRecipient(insats, values.extern) : null;
  const defaultEnhet =
    values.enhetAuto && values.enhetId ? enheter.find((e) => e.id === values.enhetId) : undefined;

  function change(name: keyof RegisterValues, value: string | boolean) {
    if (!values) return;
    const target = name === 'namndId' ? namnder.find((n) => n.id === value) : namnd;
    let next = applyChange(values, name, value, target ?? null);
    if (name === 'ersatterBeslutId') {
      const found = replaceable.find((c) => c.decision.id === value);
      next = { ...next, personId: found?.decision.person.id ?? '' };
    }
    setValues(next);
    setErrors((e) => {
      const { [pathOf(name)]: _gone, ...rest } = e;
      return name === 'ersatterBeslutId' ? { ...rest, 'person.personId': '' } : rest;
    });
    void saveDraft(db, FORM, null, next).then(() => setSaved(true));
  }

  function checkNumber() {
    if (!values?.identitet || values.identitet === 'saknas') return;
    const tidy = tidyPersonnummer(values.personnummer);
    if (tidy !== values.personnummer) change('personnummer', tidy);
    if (tidy) {
      const problem = personnummerProblem(values.identitet, tidy);
      setErrors((e) => ({ ...e, 'person.personnummer': problem ?? '' }));
    }
  }

  function focusFirst(found: Record<string, string>) {
    const first = FOCUS_ORDER.find((p) => found[p]);
    const target = first
      ? formRef.current?.querySelector<HTMLElement>(`[data-path="${first}"]`)
      : null;
    if (target) target.focus();
    else alertRef.current?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!values || sending) return;
    setFormError(null);
    setOffline(false);
    const found = checkValues(values, insatser, today);
    if (Object.keys(found).length > 0) {
      setErrors(found);
      setFormError('Beslutet är inte registrerat. Rätta fälten som är markerade.');
      focusFirst(found);
      return;
    }
    setSending(true);
    try {
      // The draft holds the client id before anything is sent: a retry sends the same id.
      await saveDraft(db, FORM, null, values);
      setSaved(true);
      const answer = await api.decisions.register.mutate(toRegisterInput(values, insatser));
      await deleteDraft(db, key);
      void engine.sync();
      setErrors({});
      setRegistered({
        id: answer.id,
        person: `${answer.person.fornamn} ${answer.person.efternamn}`,
        insats: answer.insatsLabel,
        enhet: answer.enhet?.namn ?? null,
      });
    } catch (e) {
      if (errorStatus(e) === null) {
        setOffline(true);
        alertRef.current?.focus();
      } else {
        const byField = fieldErrors(e);
        setErrors(byField);
        const paths = Object.keys(byField);
        setFormError(
          paths.length > 0 && paths.every((p) => SHOWN_PATHS.has(p))
            ? 'Beslutet är inte registrerat. Rätta fälten som är markerade.'
            : errorMessage(e),
        );
        focusFirst(byField);
      }
    } finally {
      setSending(false);
    }
  }

  async function startOver() {
    await deleteDraft(db, key);
    setValues(settle(initialValues(uuidv7(), today), only));
    setErrors({});
    setFormError(null);
    setOffline(false);
    setRestoredAt(null);
    setSaved(false);
  }

  const field = (name: keyof RegisterValues, path = pathOf(name)) => ({
    id: `${idPrefix}-${name}`,
    error: errors[path] || undefined,
    path,
  });

  return (
    <>
      <h1>Registrera beslut</h1>
      <p className="lead">
        Registrera ett gynnande beslut och beställ verkställigheten. Formuläret sparas på enheten
        medan du skriver.
      </p>
      {restoredAt && (
        <p className="notice" role="status">
          Ditt utkast från {formatTime(restoredAt)} är återställt.
        </p>
      )}
      <div ref={alertRef} tabIndex={-1} className="register-alerts">
        {formError && (
          <p className="notice notice-danger" role="alert">
            {formError}
          </p>
        )}
        {offline && (
          <p className="notice notice-danger" role="alert">
            Det gick inte att nå servern. Beslutet är sparat som utkast på den här enheten och kan
            registreras när du är ansluten igen – tryck då på Registrera beslutet.
          </p>
        )}
      </div>
      <form ref={formRef} className="form register-form" onSubmit={submit} noValidate>
        <fieldset className="form-section">
          <legend>Nämnd</legend>
          {namnder.length === 0 ? (
            <p className={remoteOrg.isPending ? undefined : 'error'} role="status">
              {remoteOrg.isPending
                ? 'Hämtar nämnder…'
                : remoteOrg.isError && !localOrg.data
                  ? `Nämnderna kunde inte hämtas. ${errorMessage(remoteOrg.error)}`
                  : 'Du är inte handläggare i någon nämnd och kan inte registrera beslut.'}
            </p>
          ) : (
            <Field label="Nämnd" {...field('namndId')}>
              {(props) => (
                <select
                  {...props}
                  value={values.namndId}
                  onChange={(e) => change('namndId', e.target.value)}
                >
                  <option value="">Välj nämnd…</option>
                  {namnder.map((n) => (
                    <option key={n.id} value={n.id}>
                      {n.namn}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
        </fieldset>

        <fieldset className="form-section">
          <legend>Tidigare beslut</legend>
          <Field
            label="Ersätter ett tidigare beslut"
            optional
            hint="Välj bland dina beslut om det nya beslutet ersätter ett av dem. Personen hämtas då från det beslutet."
            {...field('ersatterBeslutId')}
          >
            {(props) => (
              <select
                {...props}
                value={values.ersatterBeslutId}
                disabled={!values.namndId}
                onChange={(e) => change('ersatterBeslutId', e.target.value)}
              >
                <option value="">Ersätter inget beslut</option>
                {replaceable.map((c) => (
                  <option key={c.decision.id} value={c.decision.id}>
                    {c.decision.person.fornamn} {c.decision.person.efternamn} –{' '}
                    {findInsats(c.decision.insats)?.label ?? c.decision.insats} – beslut{' '}
                    {formatDate(c.decision.beslutsdatum)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>

        <fieldset className="form-section">
          <legend>Person</legend>
          {replaced ? (
            <div className="notice">
              <p>
                Beslutet gäller samma person som beslutet det ersätter:{' '}
                <strong>
                  {replaced.decision.person.fornamn} {replaced.decision.person.efternamn}
                </strong>{' '}
                ({replaced.decision.person.personnummer ?? 'saknar personnummer'}, IVO-id{' '}
                {replaced.decision.person.ivoId}).
              </p>
              {errors['person.personId'] && <p className="error">{errors['person.personId']}</p>}
            </div>
          ) : (
            <>
              <div className="field-row">
                <Field label="Förnamn" {...field('fornamn')}>
                  {(props) => (
                    <input
                      {...props}
                      autoComplete="off"
                      value={values.fornamn}
                      onChange={(e) => change('fornamn', e.target.value)}
                    />
                  )}
                </Field>
                <Field label="Efternamn" {...field('efternamn')}>
                  {(props) => (
                    <input
                      {...props}
                      autoComplete="off"
                      value={values.efternamn}
                      onChange={(e) => change('efternamn', e.target.value)}
                    />
                  )}
                </Field>
              </div>
              <Choice
                legend="Identitet"
                name="identitet"
                value={values.identitet}
                options={[
                  { value: 'personnummer', label: 'Personnummer' },
                  { value: 'samordningsnummer', label: 'Samordningsnummer' },
                  { value: 'saknas', label: 'Saknar nummer' },
                ]}
                onChange={(v) => change('identitet', v)}
                {...field('identitet')}
              />
              {(values.identitet === 'personnummer' ||
                values.identitet === 'samordningsnummer') && (
                <Field
                  label={values.identitet === 'personnummer' ? 'Personnummer' : 'Samordningsnummer'}
                  hint={numberHint(values)}
                  {...field('personnummer')}
                >
                  {(props) => (
                    <input
                      {...props}
                      inputMode="numeric"
                      autoComplete="off"
                      placeholder="ÅÅÅÅMMDD-NNNN"
                      value={values.personnummer}
                      onChange={(e) => change('personnummer', e.target.value)}
                      onBlur={checkNumber}
                    />
                  )}
                </Field>
              )}
              {values.identitet === 'saknas' && (
                <>
                  <Field
                    label="Födelsedatum"
                    hint="Med födelsedatum och kön får personen sitt IVO-id."
                    {...field('fodelsedatum')}
                  >
                    {(props) => (
                      <input
                        {...props}
                        type="date"
                        max={today}
                        value={values.fodelsedatum}
                        onChange={(e) => change('fodelsedatum', e.target.value)}
                      />
                    )}
                  </Field>
                  <Choice
                    legend="Kön"
                    name="kon"
                    value={values.kon}
                    options={[
                      { value: 'kvinna', label: 'Kvinna' },
                      { value: 'man', label: 'Man' },
                    ]}
                    onChange={(v) => change('kon', v)}
                    {...field('kon')}
                  />
                </>
              )}
              <Check
                label="Skyddad identitet"
                hint="Personen har skyddade personuppgifter. Rapporterna till IVO får då fiktiva uppgifter."
                checked={values.skyddadIdentitet}
                onChange={(v) => change('skyddadIdentitet', v)}
                {...field('skyddadIdentitet')}
              />
            </>
          )}
        </fieldset>

        <fieldset className="form-section">
          <legend>Beslut</legend>
          <Choice
            legend="Lagrum"
            name="lagrum"
            value={values.lagrum}
            options={lagrumChoices(areas).map((l) => ({
              value: l,
              label: l === 'SoL' ? 'SoL (socialtjänstlagen)' : 'LSS',
            }))}
            emptyText="Välj nämnd först."
            onChange={(v) => change('lagrum', v)}
            {...field('lagrum')}
          />
          <Field label="Insats" {...field('insats')}>
            {(props) => (
              <select
                {...props}
                value={values.insats}
                disabled={insatser.length === 0}
                onChange={(e) => change('insats', e.target.value)}
              >
                <option value="">{values.lagrum ? 'Välj insats…' : 'Välj lagrum först'}</option>
                {insatser.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {insatsChoice && insatsChoice.forms.length > 0 && (
            <Choice
              legend="Form"
              hint="Välj den form beslutet gäller. Välj Formen är inte känd bara när den inte är bestämd."
              name="form"
              stacked
              value={values.form}
              options={insatsChoice.forms.map((f) => ({ value: f.code, label: f.label }))}
              onChange={(v) => change('form', v)}
              {...field('form')}
            />
          )}
          {values.insats && (
            <Field
              label="Verksamhetsområde"
              hint={
                areaOptions.length > 1
                  ? `Insatsen rapporteras oftast under ${areaOptions[0]!.label}.`
                  : undefined
              }
              {...field('verksamhetsomrade')}
            >
              {(props) => (
                <select
                  {...props}
                  value={values.verksamhetsomrade}
                  onChange={(e) => change('verksamhetsomrade', e.target.value)}
                >
                  {areaOptions.length === 0 && <option value="">Inget verksamhetsområde</option>}
                  {areaOptions.map((a) => (
                    <option key={a.code} value={a.code}>
                      {a.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {inriktningar.length > 0 && (
            <Field label="Inriktning" {...field('inriktning')}>
              {(props) => (
                <select
                  {...props}
                  value={values.inriktning}
                  onChange={(e) => change('inriktning', e.target.value)}
                >
                  <option value="">Välj inriktning…</option>
                  {inriktningar.map((i) => (
                    <option key={i.code} value={i.code}>
                      {i.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {inriktning?.needsText && (
            <Field label="Beskriv inriktningen" {...field('inriktningText')}>
              {(props) => (
                <input
                  {...props}
                  value={values.inriktningText}
                  onChange={(e) => change('inriktningText', e.target.value)}
                />
              )}
            </Field>
          )}
          <Field label="Beslutsdatum" {...field('beslutsdatum')}>
            {(props) => (
              <input
                {...props}
                type="date"
                max={today}
                value={values.beslutsdatum}
                onChange={(e) => change('beslutsdatum', e.target.value)}
              />
            )}
          </Field>
          <Check
            label="Förhandsbesked"
            hint="Beslutet gäller en person som ska flytta till kommunen."
            checked={values.forhandsbesked}
            onChange={(v) => change('forhandsbesked', v)}
            {...field('forhandsbesked')}
          />
        </fieldset>

        <fieldset className="form-section">
          <legend>Beställning</legend>
          <Choice
            legend="När ska verkställigheten beställas?"
            name="bestallning"
            value={values.bestallning}
            options={[
              { value: 'nu', label: 'Skicka beställningen nu' },
              { value: 'senare', label: 'Beställ senare' },
            ]}
            onChange={(v) => change('bestallning', v)}
            {...field('bestallning')}
          />
          {values.bestallning === 'nu' && (
            <>
              {isLss8(insats) && (
                <Check
                  label="Verkställs externt"
                  hint="Boende i familjehem eller bostad med särskild service utanför kommunens egna boenden beställs till Boendeteamet."
                  checked={values.extern}
                  onChange={(v) => change('extern', v)}
                  {...field('extern')}
                />
              )}
              <Field
                label="Enhet eller team"
                hint={
                  defaultEnhet
                    ? `Förvalt: ${defaultEnhet.namn}, dit insatsen beställs enligt rutinen.`
                    : defaultKind && defaultKind !== 'utforarenhet'
                      ? `Insatsen beställs enligt rutinen till ${ENHET_TYP_LABELS[defaultKind]}.`
                      : 'Välj enheten som ska verkställa insatsen.'
                }
                {...field('enhetId')}
              >
                {(props) => (
                  <select
                    {...props}
                    value={values.enhetId}
                    disabled={enheter.length === 0}
                    onChange={(e) => change('enhetId', e.target.value)}
                  >
                    <option value="">Välj enhet eller team…</option>
                    {enheter.map((e) => (
                      <option key={e.id} value={e.id}>
                        {e.namn}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </>
          )}
          {values.bestallning === 'senare' && (
            <p className="hint">
              Beslutet registreras utan beställning. Ingen enhet ser det förrän det beställs.
            </p>
          )}
        </fieldset>

        <p className="draft-state" aria-live="polite">
          {saved ? 'Utkastet sparas på enheten medan du skriver.' : ''}
        </p>
        <div className="actions">
          <button type="submit" className="button-primary" disabled={sending}>
            {sending ? 'Registrerar…' : 'Registrera beslutet'}
          </button>
          {saved && (
            <button type="button" className="button-link" onClick={() => void startOver()}>
              Släng utkastet och börja om
            </button>
          )}
        </div>
      </form>
    </>
  );
}

/** Born and kön read from a valid number, to confirm it was typed right. */
function numberHint(values: RegisterValues): string {
  const base = 'Tolv siffror: ÅÅÅÅMMDD-NNNN.';
  if (values.identitet !== 'personnummer' && values.identitet !== 'samordningsnummer') return base;
  const tidy = tidyPersonnummer(values.personnummer);
  if (!tidy || personnummerProblem(values.identitet, tidy)) return base;
  const born = birthDateOfPersonnummer(tidy);
  const kon = konOfPersonnummer(tidy);
  return born && kon ? `${base} Född ${formatDate(born)}, ${kon}.` : base;
}

function Choice<T extends string>({
  id,
  legend,
  hint,
  name,
  value,
  options,
  emptyText,
  stacked,
  error,
  path,
  onChange,
}: {
  id: string;
  legend: string;
  hint?: string;
  name: string;
  value: T | '';
  options: { value: T; label: string }[];
  emptyText?: string;
  /** One option a line, for long labels. */
  stacked?: boolean;
  error: string | undefined;
  path: string;
  onChange: (value: T) => void;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <fieldset className="choice" aria-describedby={describedBy || undefined}>
      <legend>{legend}</legend>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {options.length === 0 && emptyText && <p className="hint">{emptyText}</p>}
      <div className={stacked ? 'choice-options is-stacked' : 'choice-options'}>
        {options.map((o, i) => (
          <label key={o.value} className="check">
            <input
              type="radio"
              id={i === 0 ? id : undefined}
              name={`${id}-${name}`}
              value={o.value}
              checked={value === o.value}
              aria-invalid={error ? true : undefined}
              data-path={i === 0 ? path : undefined}
              onChange={() => onChange(o.value)}
            />
            {o.label}
          </label>
        ))}
      </div>
      {error && (
        <p className="error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

function Check({
  id,
  label,
  hint,
  checked,
  error,
  path,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string;
  checked: boolean;
  error: string | undefined;
  path: string;
  onChange: (checked: boolean) => void;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label className="check" htmlFor={id}>
        <input
          type="checkbox"
          id={id}
          checked={checked}
          aria-describedby={describedBy || undefined}
          aria-invalid={error ? true : undefined}
          data-path={path}
          onChange={(e) => onChange(e.target.checked)}
        />
        {label}
      </label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

function Confirmation({
  registered,
  headingRef,
  onAnother,
}: {
  registered: Registered;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  onAnother: () => void;
}) {
  return (
    <>
      <h1 ref={headingRef} tabIndex={-1}>
        Beslutet är registrerat
      </h1>
      <div className="notice" role="status">
        <p>
          {registered.person} – {registered.insats}.
        </p>
        <p>
          {registered.enhet
            ? `Beställningen är skickad till ${registered.enhet}.`
            : 'Beställningen är inte skickad än.'}
        </p>
      </div>
      <div className="actions">
        <Link href={`/beslut/${registered.id}`} className="button-secondary button-as-link">
          Öppna beslutet
        </Link>
        <button type="button" className="button-primary" onClick={onAnother}>
          Registrera ett nytt beslut
        </button>
      </div>
    </>
  );
}
