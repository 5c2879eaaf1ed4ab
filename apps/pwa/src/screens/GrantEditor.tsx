import type { Role } from '@evb/domain';
import { useId } from 'react';
import { Field } from '../components/Field';
import {
  areaChoices,
  changeGrant,
  emptyGrant,
  type GrantDraft,
  type Org,
  ROLE_CHOICES,
  scopeOf,
  unitChoices,
} from './role-grants';

/** Every error path the editor shows beside a field, for `grants` grants. */
export function grantPaths(count: number, field = 'roles'): string[] {
  const paths = [field];
  for (let i = 0; i < count; i++) {
    paths.push(
      `${field}.${i}`,
      `${field}.${i}.role`,
      `${field}.${i}.enhetId`,
      `${field}.${i}.namndId`,
      `${field}.${i}.verksamhetsomrade`,
    );
  }
  return paths;
}

type Props = {
  grants: GrantDraft[];
  org: Org | null | undefined;
  errors: Record<string, string>;
  onChange: (grants: GrantDraft[], changedPaths: string[]) => void;
  /** The path of the list in the server's errors. */
  field?: string;
};

/**
 * The user's roles, each with the scope it needs: pick the role, then its unit or team, or its
 * nämnd (and for a rapportör the verksamhetsområde, or all of them). Roles are added and removed
 * one by one.
 */
export function GrantEditor({ grants, org, errors, onChange, field = 'roles' }: Props) {
  const id = useId();
  const listError = errors[field];

  function change(index: number, name: keyof GrantDraft, value: string) {
    const next = grants.map((g, i) => (i === index ? changeGrant(g, name, value, org) : g));
    onChange(next, [`${field}.${index}`, `${field}.${index}.${name}`, field]);
  }

  return (
    <fieldset className="form-section grant-editor" aria-describedby={`${id}-about`}>
      <legend>Roller</legend>
      <p className="hint" id={`${id}-about`}>
        Varje roll gäller en enhet, ett team eller en nämnd. En användare kan ha flera roller.
      </p>
      {listError && (
        <p className="error" data-path={field} tabIndex={-1}>
          {listError}
        </p>
      )}
      {grants.map((grant, i) => {
        const scope = scopeOf(grant.role);
        const at = (name: string) => `${field}.${i}.${name}`;
        const fieldProps = (name: keyof GrantDraft) => ({
          id: `${id}-${i}-${name}`,
          error: errors[at(name)] || undefined,
          path: at(name),
        });
        const units = unitChoices(org, grant.role);
        const areas = areaChoices(org, grant.namndId);
        const grantError = errors[`${field}.${i}`];
        return (
          // Grants have no id of their own; their place in the list is who they are.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <fieldset key={i} className="grant">
            <legend>Roll {i + 1}</legend>
            {grantError && (
              <p className="error" data-path={`${field}.${i}`} tabIndex={-1}>
                {grantError}
              </p>
            )}
            <div className="grant-fields">
              <Field label="Roll" {...fieldProps('role')}>
                {(props) => (
                  <select
                    {...props}
                    value={grant.role}
                    onChange={(e) => change(i, 'role', e.target.value as Role)}
                  >
                    <option value="">Välj roll…</option>
                    {ROLE_CHOICES.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {scope.enhet && (
                <Field
                  label={scope.enhet === 'utforarenhet' ? 'Utförarenhet' : 'Team'}
                  {...fieldProps('enhetId')}
                >
                  {(props) => (
                    <select
                      {...props}
                      value={grant.enhetId}
                      onChange={(e) => change(i, 'enhetId', e.target.value)}
                    >
                      <option value="">
                        {scope.enhet === 'utforarenhet' ? 'Välj utförarenhet…' : 'Välj team…'}
                      </option>
                      {units.map((group) => (
                        <optgroup key={group.namnd} label={group.namnd}>
                          {group.enheter.map((e) => (
                            <option key={e.id} value={e.id}>
                              {e.namn}
                            </option>
                          ))}
                        </optgroup>
                      ))}
                    </select>
                  )}
                </Field>
              )}
              {scope.namnd && (
                <Field label="Nämnd" {...fieldProps('namndId')}>
                  {(props) => (
                    <select
                      {...props}
                      value={grant.namndId}
                      onChange={(e) => change(i, 'namndId', e.target.value)}
                    >
                      <option value="">Välj nämnd…</option>
                      {(org?.namnder ?? []).map((n) => (
                        <option key={n.id} value={n.id}>
                          {n.namn}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              )}
              {scope.verksamhetsomrade && (
                <Field
                  label="Verksamhetsområde"
                  hint="Alla: även områden som nämnden får senare."
                  {...fieldProps('verksamhetsomrade')}
                >
                  {(props) => (
                    <select
                      {...props}
                      value={grant.verksamhetsomrade}
                      disabled={!grant.namndId}
                      onChange={(e) => change(i, 'verksamhetsomrade', e.target.value)}
                    >
                      <option value="">
                        {grant.namndId ? 'Alla verksamhetsområden' : 'Välj nämnd först'}
                      </option>
                      {areas.map((a) => (
                        <option key={a.code} value={a.code}>
                          {a.label}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              )}
            </div>
            <button
              type="button"
              className="button-link"
              onClick={() =>
                onChange(
                  grants.filter((_, j) => j !== i),
                  grantPaths(grants.length, field),
                )
              }
            >
              Ta bort roll {i + 1}
            </button>
          </fieldset>
        );
      })}
      <div>
        <button
          type="button"
          className="button-secondary"
          onClick={() => onChange([...grants, emptyGrant()], [field])}
        >
          Lägg till roll
        </button>
      </div>
    </fieldset>
  );
}
