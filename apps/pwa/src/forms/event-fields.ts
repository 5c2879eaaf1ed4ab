import {
  AVSLUTSANLEDNINGAR,
  type CaseEventType,
  findAvslutsanledning,
  findOrsak,
  orsakerFor,
  SKAL,
  type Skal,
} from '@evb/domain';

/*
 * The fields of each event form, as the user fills them in. Values are kept as strings (what the
 * inputs hold, and what the draft stores); `toEvent` turns them into the domain's event.
 */

export type FieldSpec =
  | { name: string; kind: 'date'; label: string; hint?: string }
  | { name: string; kind: 'text'; label: string; hint?: string; optional?: boolean; rows?: number }
  | {
      name: string;
      kind: 'select';
      label: string;
      options: (values: Record<string, string>) => readonly { code: string; label: string }[];
    };

const dateField = (label = 'Datum'): FieldSpec => ({ name: 'date', kind: 'date', label });
const textField = (label: string, hint?: string, optional = false): FieldSpec => ({
  name: 'text',
  kind: 'text',
  label,
  ...(hint ? { hint } : {}),
  optional,
});

export const EVENT_FIELDS: Record<CaseEventType, FieldSpec[]> = {
  erbjudande: [
    dateField('Datum för erbjudandet'),
    textField('Vad erbjöds', 'Till exempel "Lägenhet på Storgatan 5, 2 rok".'),
  ],
  tackat_nej: [
    dateField('Datum då den enskilde tackade nej'),
    { name: 'erbjudandedatum', kind: 'date', label: 'Datum för erbjudandet' },
    { name: 'orsak', kind: 'select', label: 'Orsak', options: () => orsakerFor('tackat_nej') },
    textField('Kommentar', 'Krävs när orsaken är "Annat".', true),
  ],
  delvis_verkstalld: [
    dateField('Från och med'),
    textField('Vad har verkställts', 'Till exempel "2 av 5 timmar".'),
  ],
  kompenserande_insats: [dateField('Från och med'), textField('Vilken kompenserande insats ges')],
  avbrott: [dateField('Datum för avbrottet'), textField('Vad hände', undefined, true)],
  verkstalld: [dateField('Datum då insatsen verkställdes')],
  sammanfattning: [
    dateField(),
    textField('Sammanfattning av de senaste tre månaderna', 'Vad har gjorts och vad händer nu?'),
  ],
  skal: [
    dateField(),
    { name: 'skal', kind: 'select', label: 'Huvudsakligt skäl', options: () => SKAL },
    {
      name: 'orsak',
      kind: 'select',
      label: 'Orsak',
      options: (v) => (SKAL.some((s) => s.code === v.skal) ? orsakerFor(v.skal as Skal) : []),
    },
    textField('Kommentar', 'Krävs när orsaken kräver en förklaring.', true),
  ],
  anteckning: [dateField(), textField('Anteckning')],
  uppfoljning: [
    dateField('Datum för samtalet'),
    {
      name: 'kontakt',
      kind: 'text',
      label: 'Vem talade du med',
      hint: 'Till exempel den enskilde, god man eller anhörig.',
      rows: 1,
    },
    textField('Vad sades'),
  ],
  avslutad: [
    dateField('Datum för avslut'),
    { name: 'anledning', kind: 'select', label: 'Anledning', options: () => AVSLUTSANLEDNINGAR },
    textField('Kommentar', undefined, true),
  ],
};

/** The kontakt choices a handläggare taps instead of typing. */
export const KONTAKT_CHOICES = ['Den enskilde', 'God man', 'Förvaltare', 'Anhörig', 'Ombud'];

/** Whether the free text is required by the chosen code (Annat and the like). */
export function textRequired(type: CaseEventType, values: Record<string, string>): boolean {
  switch (type) {
    case 'tackat_nej':
      return findOrsak('tackat_nej', values.orsak ?? '')?.needsText ?? false;
    case 'skal':
      return SKAL.some((s) => s.code === values.skal)
        ? (findOrsak(values.skal as Skal, values.orsak ?? '')?.needsText ?? false)
        : false;
    case 'avslutad':
      return findAvslutsanledning(values.anledning ?? '')?.needsText ?? false;
    default:
      return EVENT_FIELDS[type].some((f) => f.name === 'text' && f.kind === 'text' && !f.optional);
  }
}

/** The event as the domain's schema wants it: empty optional fields left out. */
export function toEventInput(
  type: CaseEventType,
  values: Record<string, string>,
  ids: { id: string; decisionId: string },
): Record<string, unknown> {
  const event: Record<string, unknown> = { ...ids, type };
  for (const field of EVENT_FIELDS[type]) {
    const value = (values[field.name] ?? '').trim();
    if (value !== '') event[field.name] = value;
  }
  return event;
}
