import { ACCOUNT_FIELD_RULES, accountFieldProblems, NewPasswordSchema } from '@evb/domain';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import { useMe } from '../app/context';
import { Field } from '../components/Field';
import { useOrg } from '../local/hooks';
import { FormAlert, failureOf, OnlineOnlyNotice, useFormFeedback } from './admin-form';
import { KontoMfa } from './KontoMfa';
import { KontoReminders } from './KontoReminders';
import { describeGrant } from './role-grants';

type Values = { currentPassword: string; newPassword: string; repeat: string };
const EMPTY: Values = { currentPassword: '', newPassword: '', repeat: '' };

const NOT_CHANGED = 'Lösenordet är inte bytt. Rätta fälten som är markerade.';

/**
 * What the form itself can tell is wrong, before anything is sent: every problem at once, the new
 * password by the server's own rule.
 */
export function passwordChecks(values: Values): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.currentPassword) errors.currentPassword = 'Ange ditt nuvarande lösenord';
  if (!values.newPassword) errors.newPassword = 'Ange ett nytt lösenord';
  else Object.assign(errors, accountFieldProblems({ newPassword: NewPasswordSchema }, values));
  if (values.newPassword !== values.repeat) {
    errors.repeat = 'Lösenorden är inte lika. Skriv samma nya lösenord två gånger.';
  }
  return errors;
}

/**
 * The signed-in user's own account: name, username and roles, and changing the password (the
 * current one first, the new one twice). Passwords are never stored on the device; changing it
 * signs the user out everywhere else.
 */
export function Konto() {
  const me = useMe();
  const remoteOrg = useQuery({
    queryKey: ['org-overview'],
    queryFn: () => api.org.overview.query(),
  });
  const localOrg = useOrg();
  const org = remoteOrg.data ?? localOrg.data ?? null;
  const [values, setValues] = useState<Values>(EMPTY);
  const feedback = useFormFeedback();
  const [done, setDone] = useState(false);
  const change = useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      api.users.changeOwnPassword.mutate(input),
    networkMode: 'always',
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (change.isPending) return;
    setDone(false);
    const found = passwordChecks(values);
    if (Object.keys(found).length > 0) {
      feedback.show({ fields: found, message: NOT_CHANGED });
      return;
    }
    feedback.clearMessage();
    try {
      await change.mutateAsync({
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      setValues(EMPTY);
      feedback.reset();
      setDone(true);
    } catch (e) {
      feedback.show(failureOf(e, new Set(['currentPassword', 'newPassword']), NOT_CHANGED));
    }
  }

  function edit(name: keyof Values, value: string) {
    setValues((v) => ({ ...v, [name]: value }));
    feedback.clear(name);
    setDone(false);
  }

  const { field, id } = feedback;
  const roles = [...me.roles].sort((a, b) => a.role.localeCompare(b.role));

  return (
    <>
      <h1>Mitt konto</h1>
      <dl className="facts">
        <div>
          <dt>Namn</dt>
          <dd>{me.displayName}</dd>
        </div>
        <div>
          <dt>Användarnamn</dt>
          <dd className="admin-username">{me.username}</dd>
        </div>
      </dl>
      <section aria-labelledby={`${id}-roles`}>
        <h2 id={`${id}-roles`}>Mina roller</h2>
        {roles.length === 0 ? (
          <p className="empty">Du har inga roller.</p>
        ) : (
          <ul className="admin-roles">
            {roles.map((g) => (
              <li key={`${g.role}-${g.namndId}-${g.verksamhetsomrade}-${g.enhetId}`}>
                {describeGrant(g, org)}
              </li>
            ))}
          </ul>
        )}
        <p className="hint">Rollerna ändras av en administratör eller nämndens huvudrapportör.</p>
      </section>
      <section aria-labelledby={`${id}-pw`} className="admin-section">
        <h2 id={`${id}-pw`}>Byt lösenord</h2>
        <p>
          När du byter lösenord loggas du ut på alla andra enheter. Här fortsätter du inloggad.
          Lösenordet sparas aldrig på enheten.
        </p>
        <OnlineOnlyNotice what="Att byta lösenord" />
        <FormAlert feedback={feedback}>
          {done && (
            <p className="notice" role="status">
              Lösenordet är bytt. Du är utloggad på dina andra enheter.
            </p>
          )}
        </FormAlert>
        <form ref={feedback.formRef} className="form admin-form" onSubmit={submit} noValidate>
          {/* For the browser's password manager: whose password this is. */}
          <input
            type="text"
            name="username"
            autoComplete="username"
            value={me.username}
            readOnly
            hidden
          />
          <Field label="Nuvarande lösenord" {...field('currentPassword')}>
            {(props) => (
              <input
                {...props}
                type="password"
                autoComplete="current-password"
                value={values.currentPassword}
                onChange={(e) => edit('currentPassword', e.target.value)}
              />
            )}
          </Field>
          <div className="field-row">
            <Field
              label="Nytt lösenord"
              hint={ACCOUNT_FIELD_RULES.password}
              {...field('newPassword')}
            >
              {(props) => (
                <input
                  {...props}
                  type="password"
                  autoComplete="new-password"
                  value={values.newPassword}
                  onChange={(e) => edit('newPassword', e.target.value)}
                />
              )}
            </Field>
            <Field label="Upprepa det nya lösenordet" {...field('repeat')}>
              {(props) => (
                <input
                  {...props}
                  type="password"
                  autoComplete="new-password"
                  value={values.repeat}
                  onChange={(e) => edit('repeat', e.target.value)}
                />
              )}
            </Field>
          </div>
          <div className="actions">
            <button type="submit" className="button-primary" disabled={change.isPending}>
              {change.isPending ? 'Byter…' : 'Byt lösenord'}
            </button>
          </div>
        </form>
      </section>
      <KontoMfa />
      <KontoReminders />
    </>
  );
}
