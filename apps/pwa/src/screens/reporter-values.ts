import {
  accountFieldProblems,
  EmailSchema,
  TelefonSchema,
  type Verksamhetsomrade,
} from '@evb/domain';
import type { Failure } from './admin-form';

/*
 * The rapportör form's values and what reporters.add / reporters.update take from them. A reporter
 * reports for all of the nämnd's verksamhetsområden (null: also those it gets later) or for some.
 */

export type ReporterValues = {
  /** Only when adding: the existing user who is to report, chosen from a search. */
  username: string;
  /** Only when adding: the chosen user's name, and the text searched for. */
  displayName: string;
  search: string;
  status: 'rapportor' | 'huvudrapportor';
  alla: 'alla' | 'vissa';
  areas: string[];
  email: string;
  telefon: string;
};

/** A register entry's areas as the form shows them. */
export function areasFromEntry(entry: {
  helaNamnden: boolean;
  verksamhetsomraden: string[];
}): Pick<ReporterValues, 'alla' | 'areas'> {
  return entry.helaNamnden
    ? { alla: 'alla', areas: [] }
    : { alla: 'vissa', areas: [...entry.verksamhetsomraden] };
}

type AreasInput = Verksamhetsomrade[] | null | undefined;

/**
 * The `verksamhetsomraden` to send: null for all, the chosen ones in the nämnd's order otherwise.
 * A nämnd with one area has nothing to choose: a new reporter gets all of it (null), a change
 * leaves the areas as they are (undefined).
 */
export function reporterAreasInput(
  values: Pick<ReporterValues, 'alla' | 'areas'>,
  namndAreas: readonly string[],
  adding: boolean,
): AreasInput {
  if (namndAreas.length <= 1) return adding ? null : undefined;
  if (values.alla === 'alla') return null;
  return namndAreas.filter((a) => values.areas.includes(a)) as AreasInput;
}

/** What the form itself can tell is wrong, before anything is sent: every problem at once. */
export function reporterChecks(
  values: ReporterValues,
  adding: boolean,
  manyAreas: boolean,
): Record<string, string> {
  const errors = accountFieldProblems({ email: EmailSchema, telefon: TelefonSchema }, values);
  if (adding && !values.username.trim()) {
    errors.username = 'Sök fram och välj den som ska bli rapportör';
  }
  if (manyAreas && values.alla === 'vissa' && values.areas.length === 0) {
    errors.verksamhetsomraden = 'Välj minst ett verksamhetsområde, eller Alla';
  }
  return errors;
}

/** The paths of the server's errors the form shows beside a field. */
export function reporterPaths(): Set<string> {
  return new Set([
    'username',
    'status',
    'verksamhetsomraden',
    'verksamhetsomraden.0',
    'verksamhetsomraden.1',
    'verksamhetsomraden.2',
    'verksamhetsomraden.3',
    'email',
    'telefon',
  ]);
}

/** An area's own error ("verksamhetsomraden.1") goes beside the areas as a whole. */
export function reporterErrorOf(failure: Failure): Failure {
  const fields: Record<string, string> = {};
  for (const [path, message] of Object.entries(failure.fields)) {
    const key = path.startsWith('verksamhetsomraden') ? 'verksamhetsomraden' : path;
    fields[key] = fields[key] ? `${fields[key]} ${message}` : message;
  }
  return { ...failure, fields };
}
