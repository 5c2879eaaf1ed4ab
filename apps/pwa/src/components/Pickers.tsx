import { type Quarter, quarterKey } from '@evb/domain';
import { useId } from 'react';
import { quarterTitle } from '../screens/quarter-view';

/** The quarter picker of the rapportör's screens: its value is the quarter's key ("2026-Q3"). */
export function QuarterSelect({
  id,
  choices,
  value,
  onChange,
}: {
  /** The select's id, when something else on the screen refers to it. */
  id?: string;
  choices: readonly Quarter[];
  value: string;
  onChange: (key: string) => void;
}) {
  const ownId = useId();
  const selectId = id ?? ownId;
  return (
    <div className="field">
      <label htmlFor={selectId}>Kvartal</label>
      <select id={selectId} value={value} onChange={(e) => onChange(e.target.value)}>
        {choices.map((q) => (
          <option key={quarterKey(q)} value={quarterKey(q)}>
            {quarterTitle(q)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The nämnd picker of the rapportör's screens; nothing to choose with only one nämnd. */
export function NamndSelect({
  namnder,
  value,
  onChange,
}: {
  namnder: readonly { id: string; namn: string }[];
  value: string;
  onChange: (id: string) => void;
}) {
  const id = useId();
  if (namnder.length <= 1) return null;
  return (
    <div className="field">
      <label htmlFor={id}>Nämnd</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {namnder.map((n) => (
          <option key={n.id} value={n.id}>
            {n.namn}
          </option>
        ))}
      </select>
    </div>
  );
}
