import {
  ACCOUNT_FIELD_RULES,
  accountFieldProblems,
  DisplayNameSchema,
  EmailSchema,
  ExternalIdSchema,
  NewPasswordSchema,
  TelefonSchema,
  UsernameSchema,
} from '@evb/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'wouter';
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
import { GrantEditor, grantPaths } from './GrantEditor';
import { describeFactors } from './mfa-view';
import {
  checkGrants,
  describeGrant,
  emptyGrant,
  type GrantDraft,
  type Org,
  toGrantDrafts,
  toGrantInputs,
} from './role-grants';

type User = RouterOutputs['users']['list'][number];

/** At most this many rows in the table; a search narrows it. */
const MAX_ROWS = 200;

const USERS_KEY = ['users'];

function useUsers() {
  return useQuery({ queryKey: USERS_KEY, queryFn: () => api.users.list.query() });
}

function useAdminOrg() {
  return useQuery({ queryKey: ['org-overview'], queryFn: () => api.org.overview.query() });
}

/**
 * The administrator's users: the table of everyone with their roles, a user's own page (name,
 * contact, roles, password, deactivation) and the form for a new user. Which one shows is in the
 * address (?ny, ?id=…), so the browser's back button and a reload keep the place. Online only.
 */
export function Anvandare() {
  const [params] = useSearchParams();
  const id = params.get('id');
  if (params.has('ny')) return <NewUser />;
  if (id) return <UserPage id={id} />;
  return <UserList />;
}

function BackLink() {
  return (
    <p className="breadcrumb">
      <Link href="/anvandare">← Alla användare</Link>
    </p>
  );
}

function UserList() {
  const users = useUsers();
  const org = useAdminOrg();
  const [search, setSearch] = useState('');
  const searchId = useId();
  const all = users.data ?? [];
  const needle = search.trim().toLocaleLowerCase('sv');
  const found = needle
    ? all.filter((u) => `${u.displayName} ${u.username}`.toLocaleLowerCase('sv').includes(needle))
    : all;
  const shown = found.slice(0, MAX_ROWS);
  const inactive = all.filter((u) => !u.active).length;

  return (
    <>
      <h1>Användare</h1>
      <p className="lead">
        {users.isSuccess
          ? inactive === 0
            ? `${all.length} användare, alla aktiva.`
            : `${all.length} användare, varav ${inactive} ${inactive === 1 ? 'inaktiverad' : 'inaktiverade'}.`
          : 'Alla som kan logga in i evb, med sina roller.'}
      </p>
      <OnlineOnlyNotice what="Användaradministrationen" />
      <div className="admin-toolbar">
        <div className="field">
          <label htmlFor={searchId}>Sök på namn eller användarnamn</label>
          <input
            id={searchId}
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <Link href="/anvandare?ny" className="button-primary button-as-link">
          Ny användare
        </Link>
      </div>
      <MfaPolicy />
      {users.isPending ? (
        <p role="status">
          {users.fetchStatus === 'paused'
            ? 'Användarna hämtas när du är ansluten igen.'
            : 'Hämtar användare…'}
        </p>
      ) : users.isError ? (
        <div className="notice notice-danger" role="alert">
          <p>Användarna kunde inte hämtas. {errorMessage(users.error)}</p>
          <button type="button" className="button-secondary" onClick={() => void users.refetch()}>
            Försök igen
          </button>
        </div>
      ) : shown.length === 0 ? (
        <p className="empty" role="status">
          Ingen användare matchar ”{search.trim()}”.
        </p>
      ) : (
        <table className="admin-table stack-table">
          <caption>
            {found.length > shown.length
              ? `Visar ${shown.length} av ${found.length} användare. Sök för att hitta fler.`
              : needle
                ? `${found.length} av ${all.length} användare matchar sökningen.`
                : 'Alla användare'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Namn</th>
              <th scope="col">Användarnamn</th>
              <th scope="col">Roller</th>
              <th scope="col">Konto</th>
              <th scope="col">Tvåstegsverifiering</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((u) => (
              <tr key={u.id}>
                <th scope="row">
                  <Link href={`/anvandare?id=${encodeURIComponent(u.id)}`}>{u.displayName}</Link>
                </th>
                <td data-label="Användarnamn" className="admin-username">
                  {u.username}
                </td>
                <td data-label="Roller">
                  <RoleList roles={u.roles} org={org.data} />
                </td>
                <td data-label="Konto">
                  <AccountBadge active={u.active} />
                </td>
                <td data-label="Tvåstegsverifiering">{describeFactors(u.mfa)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function RoleList({ roles, org }: { roles: User['roles']; org: Org | undefined }) {
  if (roles.length === 0) return <span className="empty">Inga roller</span>;
  return (
    <ul className="admin-roles">
      {roles.map((r) => (
        <li key={r.id}>{describeGrant(r, org)}</li>
      ))}
    </ul>
  );
}

function AccountBadge({ active }: { active: boolean }) {
  return active ? (
    <span className="badge badge-ok">Aktivt</span>
  ) : (
    <span className="badge badge-problem">Inaktiverat</span>
  );
}

type NewUserValues = {
  username: string;
  displayName: string;
  email: string;
  telefon: string;
  roles: GrantDraft[];
};

const NOT_CREATED = 'Användaren är inte skapad. Rätta fälten som är markerade.';

const REPEAT_DIFFERS = 'Lösenorden är inte lika. Skriv samma lösenord två gånger.';

/** A new password and its repetition, as the server will judge the first. */
export function passwordFieldProblems(
  values: { password: string; repeat: string },
  path = 'password',
): Record<string, string> {
  return {
    ...accountFieldProblems({ [path]: NewPasswordSchema }, { [path]: values.password }),
    ...(values.password !== values.repeat ? { [`${path}Repeat`]: REPEAT_DIFFERS } : {}),
  };
}

/**
 * Every problem the form can see before anything is sent, all at once and by the server's own
 * rules (the domain's schemas): the fields, the password twice and the roles.
 */
export function newUserProblems(
  values: NewUserValues,
  password: { password: string; repeat: string },
): Record<string, string> {
  return {
    ...accountFieldProblems(
      {
        username: UsernameSchema,
        displayName: DisplayNameSchema,
        email: EmailSchema,
        telefon: TelefonSchema,
      },
      values,
    ),
    ...passwordFieldProblems(password),
    ...checkGrants(values.roles),
  };
}

/** The problems of a user's changed details and roles, all at once. */
export function profileProblems(values: ProfileValues): Record<string, string> {
  return {
    ...accountFieldProblems(
      { displayName: DisplayNameSchema, email: EmailSchema, telefon: TelefonSchema },
      values,
    ),
    ...checkGrants(values.roles),
  };
}

const NEW_USER: NewUserValues = {
  username: '',
  displayName: '',
  email: '',
  telefon: '',
  roles: [emptyGrant()],
};

function NewUser() {
  const org = useAdminOrg();
  const client = useQueryClient();
  const form = useDraftForm<NewUserValues>('anvandare-ny', NEW_USER);
  const [password, setPassword] = useState({ password: '', repeat: '' });
  const feedback = useFormFeedback();
  const [created, setCreated] = useState<RouterOutputs['users']['create'] | null>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);

  const create = useMutation({
    mutationFn: (input: Parameters<typeof api.users.create.mutate>[0]) =>
      api.users.create.mutate(input),
    networkMode: 'always',
  });

  useEffect(() => {
    if (created) doneRef.current?.focus();
  }, [created]);

  if (created) {
    return (
      <>
        <BackLink />
        <h1 ref={doneRef} tabIndex={-1}>
          Användaren är skapad
        </h1>
        <div className="notice" role="status">
          <p>
            {created.displayName} kan logga in med användarnamnet{' '}
            <strong>{created.username}</strong> och lösenordet du valde. Lämna lösenordet till
            användaren på ett säkert sätt.
          </p>
        </div>
        <div className="actions">
          <Link
            href={`/anvandare?id=${encodeURIComponent(created.id)}`}
            className="button-secondary button-as-link"
          >
            Öppna {created.displayName}
          </Link>
          <button
            type="button"
            className="button-primary"
            onClick={() => {
              setCreated(null);
              void form.discard();
            }}
          >
            Skapa en användare till
          </button>
        </div>
      </>
    );
  }

  const values = form.values;
  if (!values) return <p role="status">Öppnar formuläret…</p>;

  function change<K extends keyof NewUserValues>(name: K, value: NewUserValues[K]) {
    if (!values) return;
    form.change({ ...values, [name]: value });
    feedback.clear(name);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!values || create.isPending) return;
    const found = newUserProblems(values, password);
    if (Object.keys(found).length > 0) {
      feedback.show({ fields: found, message: NOT_CREATED });
      return;
    }
    feedback.clearMessage();
    try {
      const user = await create.mutateAsync({
        username: values.username,
        displayName: values.displayName,
        email: values.email,
        telefon: values.telefon,
        password: password.password,
        roles: toGrantInputs(values.roles),
      });
      await form.finish();
      setPassword({ password: '', repeat: '' });
      feedback.reset();
      setCreated(user);
      await client.invalidateQueries({ queryKey: USERS_KEY });
    } catch (e) {
      const shown = ['username', 'displayName', 'email', 'telefon', 'password'];
      feedback.show(
        failureOf(e, new Set([...shown, ...grantPaths(values.roles.length)]), NOT_CREATED),
      );
    }
  }

  const { field, errors, id } = feedback;

  return (
    <>
      <BackLink />
      <h1>Ny användare</h1>
      <OnlineOnlyNotice what="Att skapa användare" />
      <RestoredDraft at={form.restoredAt} onDiscard={() => void form.discard()} />
      <FormAlert feedback={feedback} />
      <form ref={feedback.formRef} className="form admin-form" onSubmit={submit} noValidate>
        <fieldset className="form-section">
          <legend>Uppgifter</legend>
          <Field
            label="Användarnamn"
            hint={`Det användaren loggar in med. ${ACCOUNT_FIELD_RULES.username}`}
            {...field('username')}
          >
            {(props) => (
              <input
                {...props}
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                value={values.username}
                onChange={(e) => change('username', e.target.value)}
              />
            )}
          </Field>
          <Field label="Namn" hint={ACCOUNT_FIELD_RULES.displayName} {...field('displayName')}>
            {(props) => (
              <input
                {...props}
                autoComplete="off"
                value={values.displayName}
                onChange={(e) => change('displayName', e.target.value)}
              />
            )}
          </Field>
          <ContactFields
            email={values.email}
            telefon={values.telefon}
            field={field}
            onChange={(name, value) => change(name, value)}
          />
        </fieldset>
        <PasswordFields
          legend="Första lösenord"
          hint="Användaren loggar in med det och kan sedan byta det under Mitt konto. Lösenordet sparas aldrig på enheten."
          values={password}
          errors={errors}
          idPrefix={id}
          onChange={(next, path) => {
            setPassword(next);
            feedback.clear(path);
          }}
        />
        <GrantEditor
          grants={values.roles}
          org={org.data}
          errors={errors}
          onChange={(roles, paths) => {
            form.change({ ...values, roles });
            feedback.clear(...paths);
          }}
        />
        {org.isError && (
          <p className="error">Nämnder och enheter kunde inte hämtas. {errorMessage(org.error)}</p>
        )}
        <p className="draft-state">Det du skriver sparas på enheten, utom lösenordet.</p>
        <div className="actions">
          <button type="submit" className="button-primary" disabled={create.isPending}>
            {create.isPending ? 'Skapar…' : 'Skapa användaren'}
          </button>
        </div>
      </form>
    </>
  );
}

function ContactFields({
  email,
  telefon,
  field,
  onChange,
}: {
  email: string;
  telefon: string;
  field: (path: string) => { id: string; error: string | undefined; path: string };
  onChange: (name: 'email' | 'telefon', value: string) => void;
}) {
  return (
    <div className="field-row">
      <Field label="E-post" optional hint={ACCOUNT_FIELD_RULES.email} {...field('email')}>
        {(props) => (
          <input
            {...props}
            type="email"
            autoComplete="off"
            value={email}
            onChange={(e) => onChange('email', e.target.value)}
          />
        )}
      </Field>
      <Field label="Telefon" optional hint={ACCOUNT_FIELD_RULES.telefon} {...field('telefon')}>
        {(props) => (
          <input
            {...props}
            type="tel"
            autoComplete="off"
            value={telefon}
            onChange={(e) => onChange('telefon', e.target.value)}
          />
        )}
      </Field>
    </div>
  );
}

type PasswordValues = { password: string; repeat: string };

/** A new password typed twice. Kept in memory only: never in a draft. */
function PasswordFields({
  legend,
  hint,
  values,
  errors,
  idPrefix,
  path = 'password',
  onChange,
}: {
  legend: string;
  hint: string;
  values: PasswordValues;
  errors: Record<string, string>;
  idPrefix: string;
  path?: string;
  onChange: (next: PasswordValues, path: string) => void;
}) {
  const repeatPath = `${path}Repeat`;
  return (
    <fieldset className="form-section" aria-describedby={`${idPrefix}-pw-hint`}>
      <legend>{legend}</legend>
      <p className="hint" id={`${idPrefix}-pw-hint`}>
        {hint}
      </p>
      <div className="field-row">
        <Field
          label="Lösenord"
          hint={ACCOUNT_FIELD_RULES.password}
          id={`${idPrefix}-${path}`}
          error={errors[path] || undefined}
          path={path}
        >
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="new-password"
              value={values.password}
              onChange={(e) => onChange({ ...values, password: e.target.value }, path)}
            />
          )}
        </Field>
        <Field
          label="Upprepa lösenordet"
          id={`${idPrefix}-${repeatPath}`}
          error={errors[repeatPath] || undefined}
          path={repeatPath}
        >
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="new-password"
              value={values.repeat}
              onChange={(e) => onChange({ ...values, repeat: e.target.value }, repeatPath)}
            />
          )}
        </Field>
      </div>
    </fieldset>
  );
}

function UserPage({ id }: { id: string }) {
  const users = useUsers();
  const user = users.data?.find((u) => u.id === id);

  if (users.isPending) {
    return (
      <>
        <BackLink />
        <OnlineOnlyNotice what="Användaradministrationen" />
        <p role="status">
          {users.fetchStatus === 'paused'
            ? 'Användaren hämtas när du är ansluten igen.'
            : 'Hämtar användaren…'}
        </p>
      </>
    );
  }
  if (users.isError || !user) {
    return (
      <>
        <BackLink />
        <h1>Användaren finns inte</h1>
        <p className={users.isError ? 'notice notice-danger' : 'empty'} role="alert">
          {users.isError
            ? `Användarna kunde inte hämtas. ${errorMessage(users.error)}`
            : 'Användaren finns inte. Välj en användare i listan.'}
        </p>
      </>
    );
  }
  return (
    <>
      <BackLink />
      <h1>{user.displayName}</h1>
      <p className="lead">
        Användarnamn <strong className="admin-username">{user.username}</strong>{' '}
        <AccountBadge active={user.active} />
      </p>
      <OnlineOnlyNotice what="Användaradministrationen" />
      <ProfileForm user={user} />
      <SignInSettings user={user} />
      <ResetPassword user={user} />
      <ResetMfa user={user} />
      <AccountStatus user={user} />
    </>
  );
}

const NOT_SAVED = 'Ändringarna är inte sparade. Rätta fälten som är markerade.';

type ProfileValues = {
  displayName: string;
  email: string;
  telefon: string;
  roles: GrantDraft[];
};

function ProfileForm({ user }: { user: User }) {
  const org = useAdminOrg();
  const client = useQueryClient();
  const initial = useMemo<ProfileValues>(
    () => ({
      displayName: user.displayName,
      email: user.email ?? '',
      telefon: user.telefon ?? '',
      roles: toGrantDrafts(user.roles),
    }),
    [user],
  );
  const form = useDraftForm<ProfileValues>(`anvandare-${user.id}`, initial);
  const feedback = useFormFeedback();
  const [saved, setSaved] = useState(false);

  const update = useMutation({
    mutationFn: (input: Parameters<typeof api.users.update.mutate>[0]) =>
      api.users.update.mutate(input),
    networkMode: 'always',
  });

  const values = form.values;
  if (!values) return <p role="status">Öppnar formuläret…</p>;

  function change<K extends keyof ProfileValues>(name: K, value: ProfileValues[K]) {
    if (!values) return;
    form.change({ ...values, [name]: value });
    feedback.clear(name);
    setSaved(false);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!values || update.isPending) return;
    setSaved(false);
    const found = profileProblems(values);
    if (Object.keys(found).length > 0) {
      feedback.show({ fields: found, message: NOT_SAVED });
      return;
    }
    feedback.clearMessage();
    try {
      await update.mutateAsync({
        id: user.id,
        displayName: values.displayName,
        email: values.email,
        telefon: values.telefon,
        roles: toGrantInputs(values.roles),
      });
      await form.finish();
      feedback.reset();
      setSaved(true);
      await client.invalidateQueries({ queryKey: USERS_KEY });
    } catch (e) {
      const shown = ['displayName', 'email', 'telefon', ...grantPaths(values.roles.length)];
      feedback.show(failureOf(e, new Set(shown), NOT_SAVED));
    }
  }

  const { field, errors, id } = feedback;

  return (
    <section aria-labelledby={`${id}-h`} className="admin-section">
      <h2 id={`${id}-h`}>Uppgifter och roller</h2>
      <RestoredDraft at={form.restoredAt} onDiscard={() => void form.discard()} />
      <FormAlert feedback={feedback}>
        {saved && (
          <p className="notice" role="status">
            Ändringarna är sparade.
          </p>
        )}
      </FormAlert>
      <form ref={feedback.formRef} className="form admin-form" onSubmit={submit} noValidate>
        <Field label="Namn" hint={ACCOUNT_FIELD_RULES.displayName} {...field('displayName')}>
          {(props) => (
            <input
              {...props}
              autoComplete="off"
              value={values.displayName}
              onChange={(e) => change('displayName', e.target.value)}
            />
          )}
        </Field>
        <ContactFields
          email={values.email}
          telefon={values.telefon}
          field={field}
          onChange={(name, value) => change(name, value)}
        />
        <GrantEditor
          grants={values.roles}
          org={org.data}
          errors={errors}
          onChange={(roles, paths) => {
            form.change({ ...values, roles });
            feedback.clear(...paths);
            setSaved(false);
          }}
        />
        <p className="hint">
          Tar du bort en roll eller begränsar den loggas {user.displayName} ut från alla enheter
          direkt.
        </p>
        <div className="actions">
          <button type="submit" className="button-primary" disabled={update.isPending}>
            {update.isPending ? 'Sparar…' : 'Spara ändringarna'}
          </button>
        </div>
      </form>
    </section>
  );
}

const SIGN_IN_NOT_SAVED = 'Inloggningen är inte ändrad. Rätta fälten som är markerade.';

/**
 * How the user signs in through the kommun's identity provider (issue 14): the value of the
 * provider's claim or attribute that names them, when it is not their username, and whether they
 * may still use a password when passwords are switched off for everyone else (break-glass).
 */
function SignInSettings({ user }: { user: User }) {
  const client = useQueryClient();
  const [externalId, setExternalId] = useState(user.externalId ?? '');
  const [breakGlass, setBreakGlass] = useState(user.breakGlass);
  const [saved, setSaved] = useState(false);
  const feedback = useFormFeedback();

  const save = useMutation({
    mutationFn: (input: Parameters<typeof api.users.setSignIn.mutate>[0]) =>
      api.users.setSignIn.mutate(input),
    networkMode: 'always',
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (save.isPending) return;
    setSaved(false);
    const found = accountFieldProblems({ externalId: ExternalIdSchema }, { externalId });
    if (Object.keys(found).length > 0) {
      feedback.show({ fields: found, message: SIGN_IN_NOT_SAVED });
      return;
    }
    feedback.clearMessage();
    try {
      await save.mutateAsync({ id: user.id, externalId, breakGlass });
      feedback.reset();
      setSaved(true);
      await client.invalidateQueries({ queryKey: USERS_KEY });
    } catch (e) {
      feedback.show(failureOf(e, new Set(['externalId']), SIGN_IN_NOT_SAVED));
    }
  }

  const { field, id } = feedback;
  return (
    <section aria-labelledby={`${id}-h`} className="admin-section">
      <h2 id={`${id}-h`}>Inloggning med e-legitimation</h2>
      <p>
        {user.displayName} loggar in genom kommunens inloggningstjänst med det värde som står här,
        eller med användarnamnet om fältet är tomt. Ändras värdet loggas {user.displayName} ut från
        alla enheter direkt.
      </p>
      <FormAlert feedback={feedback}>
        {saved && (
          <p className="notice" role="status">
            Inloggningen är ändrad.
          </p>
        )}
      </FormAlert>
      <form ref={feedback.formRef} className="form admin-form" onSubmit={submit} noValidate>
        <Field
          label="Externt id"
          optional
          hint={ACCOUNT_FIELD_RULES.externalId}
          {...field('externalId')}
        >
          {(props) => (
            <input
              {...props}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              value={externalId}
              onChange={(e) => {
                setExternalId(e.target.value);
                feedback.clear('externalId');
                setSaved(false);
              }}
            />
          )}
        </Field>
        <div className="field field-checkbox">
          <input
            id={`${id}-break-glass`}
            type="checkbox"
            checked={breakGlass}
            aria-describedby={`${id}-break-glass-hint`}
            onChange={(e) => {
              setBreakGlass(e.target.checked);
              setSaved(false);
            }}
          />
          <label htmlFor={`${id}-break-glass`}>Nödåtkomst med lösenord</label>
          <p className="hint" id={`${id}-break-glass-hint`}>
            Får logga in med lösenord även när kommunen har stängt av lösenordsinloggning, till
            exempel om inloggningstjänsten ligger nere. Ge det bara till ett fåtal administratörer.
          </p>
        </div>
        <div className="actions">
          <button type="submit" className="button-primary" disabled={save.isPending}>
            {save.isPending ? 'Sparar…' : 'Spara inloggningen'}
          </button>
        </div>
      </form>
    </section>
  );
}

const NOT_SET = 'Lösenordet är inte bytt. Rätta fälten som är markerade.';

function ResetPassword({ user }: { user: User }) {
  const [values, setValues] = useState<PasswordValues>({ password: '', repeat: '' });
  const feedback = useFormFeedback();
  const [done, setDone] = useState(false);

  const reset = useMutation({
    mutationFn: (password: string) => api.users.resetPassword.mutate({ id: user.id, password }),
    networkMode: 'always',
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (reset.isPending) return;
    setDone(false);
    const found = passwordFieldProblems(values);
    if (Object.keys(found).length > 0) {
      feedback.show({ fields: found, message: NOT_SET });
      return;
    }
    feedback.clearMessage();
    try {
      await reset.mutateAsync(values.password);
      setValues({ password: '', repeat: '' });
      feedback.reset();
      setDone(true);
    } catch (e) {
      feedback.show(failureOf(e, new Set(['password']), NOT_SET));
    }
  }

  const { errors, id } = feedback;

  return (
    <section aria-labelledby={`${id}-h`} className="admin-section">
      <h2 id={`${id}-h`}>Byt lösenord</h2>
      <p>
        Sätt ett nytt lösenord om {user.displayName} har glömt sitt. {user.displayName} loggas då ut
        från alla enheter direkt och loggar in med det nya lösenordet.
      </p>
      <FormAlert feedback={feedback}>
        {done && (
          <p className="notice" role="status">
            Lösenordet är bytt. Lämna det nya lösenordet till {user.displayName} på ett säkert sätt.
          </p>
        )}
      </FormAlert>
      <form ref={feedback.formRef} className="form admin-form" onSubmit={submit} noValidate>
        <PasswordFields
          legend="Nytt lösenord"
          hint="Lösenordet sparas aldrig på enheten."
          values={values}
          errors={errors}
          idPrefix={id}
          onChange={(next, path) => {
            setValues(next);
            feedback.clear(path);
            setDone(false);
          }}
        />
        <div className="actions">
          <button type="submit" className="button-secondary" disabled={reset.isPending}>
            {reset.isPending ? 'Byter…' : 'Sätt nytt lösenord'}
          </button>
        </div>
      </form>
    </section>
  );
}

function AccountStatus({ user }: { user: User }) {
  const me = useMe();
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const id = useId();
  const confirmRef = useRef<HTMLHeadingElement>(null);

  const setActive = useMutation({
    mutationFn: (active: boolean) =>
      active
        ? api.users.activate.mutate({ id: user.id })
        : api.users.deactivate.mutate({ id: user.id }),
    networkMode: 'always',
    onSuccess: async (answer) => {
      setConfirming(false);
      setMessage(null);
      setDone(
        answer.active
          ? `Kontot är aktiverat. ${answer.displayName} kan logga in igen.`
          : `Kontot är inaktiverat. ${answer.displayName} är utloggad från alla enheter.`,
      );
      await client.invalidateQueries({ queryKey: USERS_KEY });
    },
    onError: (e) => setMessage(failureOf(e, new Set(), '').message),
  });

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  return (
    <section aria-labelledby={`${id}-h`} className="admin-section">
      <h2 id={`${id}-h`}>Konto</h2>
      {message && (
        <p className="notice notice-danger" role="alert">
          {message}
        </p>
      )}
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {user.active ? (
        user.id === me.id ? (
          <p>Kontot är aktivt. Du kan inte inaktivera ditt eget konto.</p>
        ) : confirming ? (
          <section className="notice notice-danger admin-confirm" aria-labelledby={`${id}-c`}>
            <h3 id={`${id}-c`} ref={confirmRef} tabIndex={-1}>
              Inaktivera {user.displayName}?
            </h3>
            <p>
              {user.displayName} loggas ut från alla enheter direkt, och kan inte logga in igen
              förrän kontot aktiveras. Rollerna finns kvar.
            </p>
            <div className="actions">
              <button
                type="button"
                className="button-danger"
                disabled={setActive.isPending}
                onClick={() => setActive.mutate(false)}
              >
                Inaktivera kontot
              </button>
              <button
                type="button"
                className="button-secondary"
                onClick={() => setConfirming(false)}
              >
                Avbryt
              </button>
            </div>
          </section>
        ) : (
          <>
            <p>
              Kontot är aktivt. Inaktiverar du det loggas {user.displayName} ut från alla enheter
              direkt och kan inte logga in.
            </p>
            <div className="actions">
              <button
                type="button"
                className="button-danger"
                onClick={() => {
                  setDone(null);
                  setConfirming(true);
                }}
              >
                Inaktivera…
              </button>
            </div>
          </>
        )
      ) : (
        <>
          <p>Kontot är inaktiverat: {user.displayName} kan inte logga in.</p>
          <div className="actions">
            <button
              type="button"
              className="button-secondary"
              disabled={setActive.isPending}
              onClick={() => {
                setDone(null);
                setActive.mutate(true);
              }}
            >
              Aktivera kontot
            </button>
          </div>
        </>
      )}
    </section>
  );
}

const MFA_POLICY_KEY = ['mfa-policy'];

/**
 * The kommun's switch: every local (password) account must have a second factor. Those without
 * one get only the enrolment after their next password sign-in (or at their next call).
 */
function MfaPolicy() {
  const id = useId();
  const me = useMe();
  const users = useUsers();
  const client = useQueryClient();
  const policy = useQuery({ queryKey: MFA_POLICY_KEY, queryFn: () => api.mfa.policy.query() });
  const [message, setMessage] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (required: boolean) => api.mfa.setPolicy.mutate({ required }),
    networkMode: 'always',
    onSuccess: async (answer) => {
      setMessage(null);
      setDone(
        answer.required
          ? 'Tvåstegsverifiering krävs nu för alla lokala konton.'
          : 'Tvåstegsverifiering krävs inte längre.',
      );
      // The switch keeps the new state while the policy is fetched again (no flicker back).
      client.setQueryData(MFA_POLICY_KEY, (old: { changedAt: string | null } | undefined) => ({
        changedAt: old?.changedAt ?? null,
        required: answer.required,
      }));
      await client.invalidateQueries({ queryKey: MFA_POLICY_KEY });
    },
    onError: (e) => setMessage(refusalOf(e)),
  });
  if (!policy.isSuccess) return null;
  const required = save.isPending ? Boolean(save.variables) : policy.data.required;
  const own = users.data?.find((u) => u.id === me.id)?.mfa;
  // The requirement holds for the administrator too: without a factor, the next call is refused.
  const ownMissing = !required && own !== undefined && !own.totp && own.passkeys === 0;
  return (
    <section aria-labelledby={`${id}-h`} className="admin-section mfa-policy">
      <h2 id={`${id}-h`}>Tvåstegsverifiering</h2>
      <div className="field field-checkbox">
        <input
          id={`${id}-required`}
          type="checkbox"
          role="switch"
          aria-checked={required}
          checked={required}
          disabled={save.isPending}
          aria-describedby={`${id}-hint`}
          onChange={(e) => {
            setDone(null);
            save.mutate(e.target.checked);
          }}
        />
        <label htmlFor={`${id}-required`}>Kräv tvåstegsverifiering för alla lokala konton</label>
        <p className="hint" id={`${id}-hint`}>
          Den som loggar in med lösenord och saknar nyckel eller app för engångskoder får då lägga
          till en innan hen kan använda evb. Inloggning med e-legitimation påverkas inte.
        </p>
        {ownMissing && (
          <p className="hint">
            Du har själv ingen tvåstegsverifiering. Slår du på kravet får du lägga till en nyckel
            eller en app för engångskoder innan du kan fortsätta.
          </p>
        )}
      </div>
      {message && (
        <p className="notice notice-danger" role="alert">
          {message}
        </p>
      )}
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
    </section>
  );
}

/** Removes a user's second factors (a lost phone or key), after a confirmation. */
function ResetMfa({ user }: { user: User }) {
  const me = useMe();
  const client = useQueryClient();
  const id = useId();
  const confirmRef = useRef<HTMLHeadingElement>(null);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const reset = useMutation({
    mutationFn: () => api.mfa.resetUser.mutate({ userId: user.id }),
    networkMode: 'always',
    onSuccess: async () => {
      setConfirming(false);
      setMessage(null);
      setDone(
        `Tvåstegsverifieringen är återställd. ${user.displayName} är utloggad och loggar in med bara lösenordet tills en ny nyckel eller app läggs till.`,
      );
      await client.invalidateQueries({ queryKey: USERS_KEY });
    },
    onError: (e) => setMessage(refusalOf(e)),
  });

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const on = user.mfa.totp || user.mfa.passkeys > 0;
  return (
    <section aria-labelledby={`${id}-h`} className="admin-section">
      <h2 id={`${id}-h`}>Tvåstegsverifiering</h2>
      <p>
        {on
          ? `${user.displayName} har: ${describeFactors(user.mfa).toLocaleLowerCase('sv')}.`
          : `${user.displayName} har ingen tvåstegsverifiering.`}
      </p>
      {message && (
        <p className="notice notice-danger" role="alert">
          {message}
        </p>
      )}
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {!on ? null : user.id === me.id ? (
        <p>Din egen tvåstegsverifiering ändrar du under Mitt konto.</p>
      ) : confirming ? (
        <section className="notice notice-danger admin-confirm" aria-labelledby={`${id}-c`}>
          <h3 id={`${id}-c`} ref={confirmRef} tabIndex={-1}>
            Återställ tvåstegsverifieringen för {user.displayName}?
          </h3>
          <p>
            Nycklar, app för engångskoder och återställningskoder tas bort, och {user.displayName}{' '}
            loggas ut från alla enheter. Gör det bara när du vet att det är {user.displayName} som
            har bett om det, till exempel efter en borttappad telefon.
          </p>
          <div className="actions">
            <button
              type="button"
              className="button-danger"
              disabled={reset.isPending}
              onClick={() => reset.mutate()}
            >
              Återställ tvåstegsverifiering
            </button>
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
              Avbryt
            </button>
          </div>
        </section>
      ) : (
        <div className="actions">
          <button
            type="button"
            className="button-danger"
            onClick={() => {
              setDone(null);
              setConfirming(true);
            }}
          >
            Återställ tvåstegsverifiering…
          </button>
        </div>
      )}
    </section>
  );
}
