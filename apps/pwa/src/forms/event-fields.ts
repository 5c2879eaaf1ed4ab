import {
  AVSLUTSANLEDNINGAR,
  type CaseEvent,
  type Decision,
  type FormEventType,
  findAvslutsanledning,
  findOrsak,
  type IsoDate,
  latestOfferOfWait,
  orsakerFor,
  remindsOfKorttidsenhet,
  SKAL,
  type Skal,
} from '@evb/domain';

/*
 * The fields of each event form, as the user fills them in. Values are kept as strings (what the
 * inputs hold, and what the draft stores); `toEvent` turns them into the domain's event.
 */

/** `shown`: the field belongs to the form only for these values (e.g. the skäl chosen). */
type Shown = { shown?: (values: Record<string, string>) => boolean };
export type FieldSpec = Shown &
  (
    | { name: string; kind: 'date'; label: string; hint?: string }
    | {
        name: string;
        kind: 'text';
        label: string;
        hint?: string;
        optional?: boolean;
        rows?: number;
      }
    | {
        name: string;
        kind: 'select';
        label: string;
        options: (values: Record<string, string>) => readonly { code: string; label: string }[];
      }
    /** A yes/no box: its value is 'ja' when ticked, else ''. */
    | { name: string; kind: 'checkbox'; label: string; hint?: string }
  );

/** A value of a checkbox field that is ticked. */
export const CHECKED = 'ja';

const dateField = (label = 'Datum'): FieldSpec => ({ name: 'date', kind: 'date', label });
const textField = (label: string, hint?: string, optional = false): FieldSpec => ({
  name: 'text',
  kind: 'text',
  label,
  ...(hint ? { hint } : {}),
  optional,
});

export const EVENT_FIELDS: Record<FormEventType, FieldSpec[]> = {
  erbjudande: [
    dateField('Datum för erbjudandet'),
    textField('Vad erbjöds', 'Till exempel ”Lägenhet på Storgatan 5, 2 rok”.'),
  ],
  tackat_nej: [
    dateField('Datum då den enskilde tackade nej'),
    { name: 'erbjudandedatum', kind: 'date', label: 'Datum för erbjudandet' },
    { name: 'orsak', kind: 'select', label: 'Orsak', options: () => orsakerFor('tackat_nej') },
    textField('Kommentar', 'Krävs när orsaken är ”Annat”.', true),
  ],
  delvis_verkstalld: [
    dateField('Från och med'),
    textField('Vad har verkställts', 'Till exempel ”2 av 5 timmar”.'),
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
    {
      name: 'erbjudandedatum',
      kind: 'date',
      label: 'Datum för erbjudandet som den enskilde tackade nej till',
      shown: (v) => v.skal === 'tackat_nej',
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
      hint: 'Välj ett av valen eller skriv, till exempel ”God man Per Ek”.',
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

/**
 * The kontakt choices a handläggare taps instead of typing: whom seed 001's routine has them call
 * ("kunden, företrädare eller vårdnadshavare"). The chosen value can be made more precise.
 */
export const KONTAKT_CHOICES: readonly { label: string; value: string }[] = [
  { label: 'Den enskilde', value: 'Den enskilde' },
  { label: 'Företrädare (god man, förvaltare, ombud)', value: 'Företrädare' },
  { label: 'Vårdnadshavare', value: 'Vårdnadshavare' },
];

/** Seed 001: what the call reminds of for a stödfamilj not yet found. */
export const KORTTIDSENHET_REMINDER =
  'Erbjud korttidsvistelse på korttidsenhet under tiden, i väntan på stödfamilj – även om den enskilde eller vårdnadshavaren tackat nej till det tidigare.';

/** The box on the call that records the offer (see remindsOfKorttidsenhet). */
const korttidsenhetField: FieldSpec = {
  name: 'korttidsenhetErbjuden',
  kind: 'checkbox',
  label: 'Korttidsvistelse på korttidsenhet erbjöds i väntan på stödfamilj',
  hint: 'Kryssa i om du erbjöd det under samtalet. Det kommer med i individrapporten till IVO.',
};

/** The fields of a form for this decision: the follow-up call of a stödfamilj has one more. */
export function eventFields(type: FormEventType, decision: Pick<Decision, 'insats'>): FieldSpec[] {
  const fields = EVENT_FIELDS[type];
  return type === 'uppfoljning' && remindsOfKorttidsenhet(decision)
    ? [...fields, korttidsenhetField]
    : fields;
}

/** The fields the form shows for what is filled in so far. */
export function shownFields(
  type: FormEventType,
  decision: Pick<Decision, 'insats'>,
  values: Record<string, string>,
): FieldSpec[] {
  return eventFields(type, decision).filter((f) => f.shown?.(values) ?? true);
}

/**
 * What a new form starts with: today's date, and in both refusal forms the latest offer's date
 * (the offer the wait is at; its text is shown beside them, see `offerShown`).
 */
export function initialValues(
  type: FormEventType,
  decision: Decision,
  events: readonly CaseEvent[],
  today: IsoDate,
): Record<string, string> {
  const values: Record<string, string> = { date: today };
  if (type === 'tackat_nej' || type === 'skal') {
    const offer = latestOfferOfWait(decision, events);
    if (offer) values.erbjudandedatum = offer.date;
  }
  return values;
}

/** Whether the form refers to an offer, so it shows the latest one (date and what, where). */
export function refersToOffer(type: FormEventType, values: Record<string, string>): boolean {
  return type === 'tackat_nej' || (type === 'skal' && values.skal === 'tackat_nej');
}

/** Whether the free text is required by the chosen code (Annat and the like). */
export function textRequired(type: FormEventType, values: Record<string, string>): boolean {
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

/**
 * The event as the domain's schema wants it: the fields shown, empty optional ones left out, a
 * checkbox as true or false.
 */
export function toEventInput(
  type: FormEventType,
  values: Record<string, string>,
  ids: { id: string; decisionId: string },
  decision: Pick<Decision, 'insats'>,
): Record<string, unknown> {
  const event: Record<string, unknown> = { ...ids, type };
  for (const field of shownFields(type, decision, values)) {
    const value = (values[field.name] ?? '').trim();
    if (field.kind === 'checkbox') event[field.name] = value === CHECKED;
    else if (value !== '') event[field.name] = value;
  }
  return event;
}
