import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { GrantEditor } from './GrantEditor';
import { emptyGrant, type GrantDraft, toGrantInputs } from './role-grants';
import { ORG } from './role-grants.fixtures';

afterEach(cleanup);

let latest: GrantDraft[] = [];

function Harness({ errors = {} }: { errors?: Record<string, string> }) {
  const [grants, setGrants] = useState<GrantDraft[]>([emptyGrant()]);
  latest = grants;
  return <GrantEditor grants={grants} org={ORG} errors={errors} onChange={(g) => setGrants(g)} />;
}

const group = (name: string) => within(screen.getByRole('group', { name }));
const optionTexts = (el: HTMLElement) =>
  [...(el as HTMLSelectElement).options].map((o) => o.textContent);

describe('GrantEditor', () => {
  it('asks each role for its own scope and produces the grant list users.create takes', () => {
    render(<Harness />);
    const first = group('Roll 1');
    // No role yet: nothing else to choose.
    expect(first.queryByLabelText('Nämnd')).toBeNull();
    expect(first.queryByLabelText('Utförarenhet')).toBeNull();

    fireEvent.change(first.getByLabelText('Roll'), { target: { value: 'utforare' } });
    const unit = first.getByLabelText('Utförarenhet');
    expect(optionTexts(unit)).toEqual([
      'Välj utförarenhet…',
      'Hemtjänst Centrum',
      'Kontaktpersonsenheten',
      'Familjehemsenheten',
    ]);
    expect(first.queryByLabelText('Nämnd')).toBeNull();
    fireEvent.change(unit, { target: { value: 'kontakt' } });

    fireEvent.change(first.getByLabelText('Roll'), { target: { value: 'matchare' } });
    expect(optionTexts(first.getByLabelText('Team'))).toEqual([
      'Välj team…',
      'Boendeteamet',
      'Centralen för sysselsättning',
    ]);
    fireEvent.change(first.getByLabelText('Team'), { target: { value: 'boende' } });

    fireEvent.click(screen.getByRole('button', { name: 'Lägg till roll' }));
    const second = group('Roll 2');
    fireEvent.change(second.getByLabelText('Roll'), { target: { value: 'rapportor' } });
    expect(second.queryByLabelText('Team')).toBeNull();
    const area = second.getByLabelText(/Verksamhetsområde/) as HTMLSelectElement;
    expect(area.disabled).toBe(true);
    fireEvent.change(second.getByLabelText('Nämnd'), { target: { value: 'vard' } });
    expect(optionTexts(area)).toEqual(['Alla verksamhetsområden', 'SoL Äldre', 'SoL FUNK', 'LSS']);
    fireEvent.change(area, { target: { value: 'SOL_FUNK' } });

    fireEvent.click(screen.getByRole('button', { name: 'Lägg till roll' }));
    const third = group('Roll 3');
    fireEvent.change(third.getByLabelText('Roll'), { target: { value: 'handlaggare' } });
    expect(third.queryByLabelText(/Verksamhetsområde/)).toBeNull();
    fireEvent.change(third.getByLabelText('Nämnd'), { target: { value: 'social' } });

    fireEvent.click(screen.getByRole('button', { name: 'Lägg till roll' }));
    fireEvent.change(group('Roll 4').getByLabelText('Roll'), { target: { value: 'admin' } });
    expect(group('Roll 4').queryAllByRole('combobox')).toHaveLength(1);

    expect(toGrantInputs(latest)).toEqual([
      { role: 'matchare', enhetId: 'boende' },
      { role: 'rapportor', namndId: 'vard', verksamhetsomrade: 'SOL_FUNK' },
      { role: 'handlaggare', namndId: 'social' },
      { role: 'admin' },
    ]);

    fireEvent.click(screen.getByRole('button', { name: 'Ta bort roll 1' }));
    expect(toGrantInputs(latest).map((g) => g.role)).toEqual(['rapportor', 'handlaggare', 'admin']);
  });

  it('shows the server’s error beside the grant field it names', () => {
    render(<Harness errors={{ 'roles.0.role': 'Välj roll', roles: 'Ange minst en roll' }} />);
    const role = group('Roll 1').getByLabelText('Roll');
    expect(role.getAttribute('aria-invalid')).toBe('true');
    const described = document.getElementById(role.getAttribute('aria-describedby') ?? '');
    expect(described?.textContent).toBe('Välj roll');
    expect(screen.getByText('Ange minst en roll')).toBeTruthy();
  });
});
