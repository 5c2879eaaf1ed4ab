import {
  EARLIEST_CASE_YEAR,
  type IsoDate,
  isCaseDate,
  isIsoDate,
  LATEST_CASE_YEAR,
} from './calendar/dates';
import { AVSLUTSANLEDNINGAR, type Avslutsanledning } from './codes/avslut';
import { findInsats, INSATSER, type Lagrum } from './codes/insatser';
import {
  inriktningarFor,
  needsInriktning,
  VERKSAMHETSOMRADEN,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from './codes/verksamhetsomraden';
import {
  type CsvColumn,
  type CsvHeader,
  type CsvIssue,
  foldHeader,
  headerMatcher,
} from './csv-columns';
import { DomainError } from './errors';
import {
  birthDateOfPersonnummer,
  isSamordningsnummer,
  isValidPersonnummer,
  type Kon,
  konOfPersonnummer,
} from './identity';
import { assertEventFits } from './new-event';
import { type CaseEvent, CaseEventSchema, type Decision, DecisionSchema } from './schemas';
import { episodes } from './timeline';

/*
 * Importing decisions and persons from a CSV export of the kommun's case system (verksamhets-
 * system): the columns, and the rules for one row and for the file as a whole that need nothing
 * but the row itself and today's date. What needs the database (handläggare, units, persons and
 * decisions already known) the server checks; both end in the same kind of refusal, so a dry run
 * can list every row that would be refused and why.
 *
 * Rules decided here (domain.md is silent on imports):
 * - A row is one decision. `beslutsid` is the case system's id of the decision; a decision already
 *   imported with that id into the nämnd is not imported again.
 * - `personnummer` holds a personnummer or a samordningsnummer (read from the number: day + 60),
 *   12 digits with or without the dash. Ten digits are refused: the century cannot be guessed.
 *   Empty when the person has none: then `födelsedatum` and `kön` are required. When the number is
 *   given, a kön or födelsedatum given as well must agree with it.
 * - A person without a number is the same person as on an earlier row of the file when förnamn,
 *   efternamn, födelsedatum and kön all agree (see importPersonKey).
 * - `verksamhetsområde` may be left empty when the insats is reported under one area only.
 * - `ersätter` names the replaced decision's beslutsid: a row earlier in the file, or a decision
 *   imported before. A later row is refused, so the file reads in the order things happened.
 * - Yes/no columns take ja/nej (also j/n, 1/0, x, sant/falskt); empty is nej.
 * - A running case comes with its state so far: `verkställd`, `avbrott`, `återupptagen` (executed
 *   again after the avbrott) and `avslutad` with `avslutsanledning`, all optional dates. They
 *   become the decision's events verkstalld, avbrott, verkstalld, avslutad, in that order (one on
 *   the same day as another comes after it), so the domain's episodes give the real timeline. Each
 *   date is a real day, not before beslutsdatum and not after today; they are in that order
 *   (avslutad last); an avbrott needs a verkställd before it, återupptagen needs an avbrott, and
 *   avslutad needs its avslutsanledning (code or label, see AVSLUTSANLEDNINGAR) and the reverse;
 *   "Annan anledning" needs `avslut beskrivning`. Whatever sequence the domain's timeline still
 *   refuses is refused with its message.
 */

/** At most this many decisions, and this large a file, in one import. */
export const IMPORT_LIMITS = { maxRows: 5000, maxBytes: 5 * 1024 * 1024 } as const;

export type ImportField =
  | 'beslutsid'
  | 'personnummer'
  | 'fornamn'
  | 'efternamn'
  | 'kon'
  | 'fodelsedatum'
  | 'skyddadIdentitet'
  | 'namnd'
  | 'verksamhetsomrade'
  | 'inriktning'
  | 'inriktningText'
  | 'lagrum'
  | 'insats'
  | 'beslutsdatum'
  | 'forhandsbesked'
  | 'ersatter'
  | 'handlaggare'
  | 'bestalldTill'
  | 'verkstalld'
  | 'avbrott'
  | 'aterupptagen'
  | 'avslutad'
  | 'avslutsanledning'
  | 'avslutText';

export type ImportColumn = CsvColumn<ImportField>;

/** The import's columns, in the order of the example file. */
export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  {
    field: 'beslutsid',
    header: 'beslutsid',
    aliases: ['beslut-id', 'beslut id', 'externt id', 'ärende-id'],
    required: true,
    description:
      'Beslutets id i verksamhetssystemet. Ett beslut som redan importerats med samma id importeras inte igen.',
  },
  {
    field: 'personnummer',
    header: 'personnummer',
    aliases: ['samordningsnummer', 'personnummer/samordningsnummer', 'personnr'],
    required: true,
    description:
      'Personnummer eller samordningsnummer med 12 siffror (ÅÅÅÅMMDD-NNNN). Tomt när personen saknar nummer.',
  },
  {
    field: 'fornamn',
    header: 'förnamn',
    aliases: [],
    required: true,
    description: 'Den enskildes förnamn.',
  },
  {
    field: 'efternamn',
    header: 'efternamn',
    aliases: [],
    required: true,
    description: 'Den enskildes efternamn.',
  },
  {
    field: 'kon',
    header: 'kön',
    aliases: [],
    required: false,
    description:
      'kvinna eller man (K/M). Krävs när personnummer saknas; annars ska det stämma med numret.',
  },
  {
    field: 'fodelsedatum',
    header: 'födelsedatum',
    aliases: [],
    required: false,
    description: 'ÅÅÅÅ-MM-DD. Krävs när personnummer saknas.',
  },
  {
    field: 'skyddadIdentitet',
    header: 'skyddad identitet',
    aliases: ['skyddade personuppgifter'],
    required: false,
    description: 'ja eller nej (tomt = nej).',
  },
  {
    field: 'namnd',
    header: 'nämnd',
    aliases: [],
    required: false,
    description: 'Nämndens namn. Om kolumnen finns ska den vara nämnden du importerar till.',
  },
  {
    field: 'verksamhetsomrade',
    header: 'verksamhetsområde',
    aliases: [],
    required: false,
    description:
      'SoL Äldre, SoL FUNK, SoL IFO eller LSS. Får vara tomt när insatsen bara rapporteras under ett område.',
  },
  {
    field: 'inriktning',
    header: 'inriktning',
    aliases: [],
    required: false,
    description: 'Krävs för SoL FUNK och SoL IFO, t.ex. Psykisk funktionsnedsättning eller Övrigt.',
  },
  {
    field: 'inriktningText',
    header: 'inriktning övrigt',
    aliases: ['inriktning beskrivning'],
    required: false,
    description: 'Beskrivning av inriktningen när den är Övrigt.',
  },
  {
    field: 'lagrum',
    header: 'lagrum',
    aliases: ['lag'],
    required: true,
    description: 'SoL eller LSS.',
  },
  {
    field: 'insats',
    header: 'insats',
    aliases: ['bistånd/insats', 'insatstyp'],
    required: true,
    description:
      'Insatsens kod (t.ex. LSS_9_10) eller IVO:s benämning (t.ex. Daglig verksamhet). Ska höra till lagrummet.',
  },
  {
    field: 'beslutsdatum',
    header: 'beslutsdatum',
    aliases: [],
    required: true,
    description: 'ÅÅÅÅ-MM-DD, inte senare än i dag.',
  },
  {
    field: 'forhandsbesked',
    header: 'förhandsbesked',
    aliases: [],
    required: false,
    description: 'ja om beslutet är ett förhandsbesked (tomt = nej).',
  },
  {
    field: 'ersatter',
    header: 'ersätter',
    aliases: ['ersätter beslut'],
    required: false,
    description:
      'Beslutsid för det tidigare beslut som det här ersätter: en rad längre upp i filen eller ett beslut som importerats förut. Samma person.',
  },
  {
    field: 'handlaggare',
    header: 'handläggare',
    aliases: ['handläggare användarnamn'],
    required: true,
    description: 'Handläggarens användarnamn i evb. Handläggaren ska arbeta i nämnden.',
  },
  {
    field: 'bestalldTill',
    header: 'beställd till',
    aliases: ['beställning', 'utförare'],
    required: false,
    description:
      'Namnet på enheten eller teamet som verkställigheten beställts av. Tomt = inte beställd än.',
  },
  {
    field: 'verkstalld',
    header: 'verkställd',
    aliases: ['verkställighetsdatum', 'verkställt', 'datum verkställd', 'verkställd datum'],
    required: false,
    description:
      'ÅÅÅÅ-MM-DD då insatsen verkställdes, dvs. då den enskilde fick tillgång till den. Tomt = inte verkställd.',
  },
  {
    field: 'avbrott',
    header: 'avbrott',
    aliases: ['avbrottsdatum', 'avbruten', 'datum avbrott'],
    required: false,
    description:
      'ÅÅÅÅ-MM-DD då verkställigheten avbröts. Kräver verkställd samma dag eller tidigare.',
  },
  {
    field: 'aterupptagen',
    header: 'återupptagen',
    aliases: ['verkställd igen', 'verkställd efter avbrott', 'återupptagen datum', 'återupptaget'],
    required: false,
    description:
      'ÅÅÅÅ-MM-DD då insatsen verkställdes igen efter avbrottet. Kräver avbrott samma dag eller tidigare.',
  },
  {
    field: 'avslutad',
    header: 'avslutad',
    aliases: ['avslutsdatum', 'avslutat', 'datum avslutad', 'avslutad datum'],
    required: false,
    description:
      'ÅÅÅÅ-MM-DD då beslutet avslutades. Ska vara det sista datumet på raden och kräver avslutsanledning.',
  },
  {
    field: 'avslutsanledning',
    header: 'avslutsanledning',
    aliases: ['anledning till avslut', 'avslutsorsak', 'orsak till avslut'],
    required: false,
    description: `Krävs med avslutad: koden (t.ex. behov_upphort) eller benämningen: ${AVSLUTSANLEDNINGAR.map((a) => a.label).join(', ')}.`,
  },
  {
    field: 'avslutText',
    header: 'avslut beskrivning',
    aliases: ['avslutsanledning beskrivning', 'avslutsanledning övrigt', 'avslut övrigt'],
    required: false,
    description: `Beskrivning av avslutet. Krävs när avslutsanledningen är ${AVSLUTSANLEDNINGAR.find((a) => a.needsText)!.label}.`,
  },
];

const columnOf = new Map(IMPORT_COLUMNS.map((c) => [c.field, c]));

export function importColumn(field: ImportField): ImportColumn {
  return columnOf.get(field)!;
}

export { foldHeader };

/** A refusal of a column or value, before the row number is known. */
export type ImportIssue = CsvIssue<ImportField>;

export type ImportHeader = CsvHeader<ImportField>;

/** Finds the import's columns in the file's header row: a missing or repeated column is refused. */
export const matchImportHeader = headerMatcher(IMPORT_COLUMNS);

export type ImportPerson =
  | {
      typ: 'personnummer' | 'samordningsnummer';
      /** 12 digits, no dash. */
      personnummer: string;
      fornamn: string;
      efternamn: string;
      skyddadIdentitet: boolean;
    }
  | {
      typ: 'saknas';
      fodelsedatum: IsoDate;
      kon: Kon;
      fornamn: string;
      efternamn: string;
      skyddadIdentitet: boolean;
    };

/** One row read: codes instead of labels, ready for the server's checks. */
export type ImportRow = {
  beslutsid: string;
  person: ImportPerson;
  /** The nämnd the row names, when the column is there and filled in. */
  namnd: string | null;
  lagrum: Lagrum;
  insats: string;
  verksamhetsomrade: Verksamhetsomrade;
  /** The inriktning's code, or the text as written when the area has none (then refused). */
  inriktning: string | null;
  inriktningText: string | null;
  beslutsdatum: IsoDate;
  forhandsbesked: boolean;
  /** The replaced decision's beslutsid. */
  ersatter: string | null;
  /** The handläggare's username, in lower case as usernames are kept. */
  handlaggare: string;
  /** The unit's or team's name as written. */
  bestalldTill: string | null;
  /** The decision's state so far (see importTimeline): dates, or null when not given. */
  verkstalld: IsoDate | null;
  avbrott: IsoDate | null;
  aterupptagen: IsoDate | null;
  avslutad: IsoDate | null;
  avslutsanledning: Avslutsanledning | null;
  avslutText: string | null;
};

export type ImportRowResult = { ok: true; row: ImportRow } | { ok: false; issues: ImportIssue[] };

/** Folds a label for comparison: case, runs of spaces and the kinds of dash do not matter. */
function foldLabel(value: string): string {
  return value
    .trim()
    .toLocaleLowerCase('sv')
    .replace(/[‐-―−]/g, '-')
    .replace(/\s+/g, ' ');
}

const YES = new Set(['ja', 'j', '1', 'x', 'sant', 'true']);
const NO = new Set(['nej', 'n', '0', 'falskt', 'false', '']);

function yesNo(value: string): boolean | undefined {
  const folded = foldLabel(value);
  if (YES.has(folded)) return true;
  if (NO.has(folded)) return false;
  return undefined;
}

/** An insats by its code, its IVO label, or its short label when that names one insats only. */
export function findImportInsats(value: string): string | undefined {
  const folded = foldLabel(value);
  if (!folded) return undefined;
  const byCode = INSATSER.find((i) => i.code.toLowerCase() === folded);
  if (byCode) return byCode.code;
  const byLabel = INSATSER.find((i) => foldLabel(i.label) === folded);
  if (byLabel) return byLabel.code;
  const byShort = INSATSER.filter((i) => foldLabel(i.shortLabel) === folded);
  return byShort.length === 1 ? byShort[0]!.code : undefined;
}

function findArea(value: string): Verksamhetsomrade | undefined {
  const folded = foldLabel(value);
  return VERKSAMHETSOMRADEN.find(
    (v) => foldLabel(v.label) === folded || v.code.toLowerCase() === folded,
  )?.code;
}

const KON: Record<string, Kon> = { kvinna: 'kvinna', k: 'kvinna', man: 'man', m: 'man' };

const MAX_NAME = 200;
const MAX_ID = 100;

/**
 * Reads one row (the cells by column; a missing optional column reads as empty) and applies the
 * rules that need nothing else: required values, personnummer, dates (not after `today`), codes
 * and labels, the insats granted under the lagrum. Every problem of the row is returned, one per
 * column at most.
 */
export function parseImportRow(
  cell: (field: ImportField) => string,
  today: IsoDate,
): ImportRowResult {
  const issues: ImportIssue[] = [];
  const refuse = (field: ImportField, message: string) => {
    issues.push({ field, message });
    return undefined;
  };
  const value = (field: ImportField) => cell(field).trim();

  const required = (field: ImportField, what: string, max: number) => {
    const v = value(field);
    if (!v) return refuse(field, `Ange ${what}`);
    if (v.length > max) return refuse(field, `Högst ${max} tecken`);
    return v;
  };
  const flag = (field: ImportField) => {
    const answer = yesNo(value(field));
    return answer ?? refuse(field, 'Skriv ja eller nej');
  };
  const date = (field: ImportField, what: string) => {
    const v = value(field);
    if (!v) return refuse(field, `Ange ${what}`);
    if (!isIsoDate(v)) return refuse(field, `Ogiltigt datum "${v}": skriv ÅÅÅÅ-MM-DD`);
    if (!isCaseDate(v)) {
      return refuse(
        field,
        `Ogiltigt datum "${v}": året ska vara ${EARLIEST_CASE_YEAR}–${LATEST_CASE_YEAR}`,
      );
    }
    if (v > today) return refuse(field, `${capitalised(what)} ${v} ligger i framtiden`);
    return v;
  };

  const beslutsid = required('beslutsid', 'beslutets id i verksamhetssystemet', MAX_ID);
  const fornamn = required('fornamn', 'förnamn', MAX_NAME);
  const efternamn = required('efternamn', 'efternamn', MAX_NAME);
  const skyddadIdentitet = flag('skyddadIdentitet');
  const person = readPerson(value, refuse, date);

  const lagrumText = value('lagrum');
  const lagrum: Lagrum | undefined =
    lagrumText.toLowerCase() === 'sol'
      ? 'SoL'
      : lagrumText.toLowerCase() === 'lss'
        ? 'LSS'
        : refuse(
            'lagrum',
            lagrumText
              ? `Okänt lagrum "${lagrumText}": skriv SoL eller LSS`
              : 'Ange lagrum: SoL eller LSS',
          );
  const insatsText = value('insats');
  const insats = insatsText
    ? (findImportInsats(insatsText) ??
      refuse(
        'insats',
        `Okänd insats "${insatsText}": skriv koden (t.ex. LSS_9_10) eller IVO:s benämning (t.ex. Daglig verksamhet)`,
      ))
    : refuse('insats', 'Ange insats');
  if (lagrum && insats) {
    // The domain's decision rule: the insats is granted under the lagrum given.
    const check = DecisionSchema.safeParse({ id: 'import', lagrum, insats, beslutsdatum: today });
    if (!check.success) refuse('insats', check.error.issues[0]!.message);
  }

  const areaText = value('verksamhetsomrade');
  let verksamhetsomrade: Verksamhetsomrade | undefined;
  if (areaText) {
    verksamhetsomrade =
      findArea(areaText) ??
      refuse(
        'verksamhetsomrade',
        `Okänt verksamhetsområde "${areaText}": skriv ${VERKSAMHETSOMRADEN.map((v) => v.label).join(', ')}`,
      );
  } else if (insats) {
    const areas = findInsats(insats)!.verksamhetsomraden;
    verksamhetsomrade =
      areas.length === 1
        ? areas[0]
        : refuse(
            'verksamhetsomrade',
            `Ange verksamhetsområde: ${findInsats(insats)!.label} rapporteras under ${areas.map(verksamhetsomradeLabel).join(' eller ')}`,
          );
  }

  const inriktningText = value('inriktning');
  let inriktning: string | null = null;
  if (inriktningText && verksamhetsomrade) {
    if (needsInriktning(verksamhetsomrade)) {
      const folded = foldLabel(inriktningText);
      const found = inriktningarFor(verksamhetsomrade).find(
        (i) => foldLabel(i.label) === folded || i.code.toLowerCase() === folded,
      );
      inriktning =
        found?.code ??
        refuse(
          'inriktning',
          `Okänd inriktning "${inriktningText}" för ${verksamhetsomradeLabel(verksamhetsomrade)}: skriv ${inriktningarFor(
            verksamhetsomrade,
          )
            .map((i) => i.label)
            .join(', ')}`,
        ) ??
        null;
    } else {
      // Left as written: the registration refuses an inriktning where the area has none.
      inriktning = inriktningText;
    }
  }
  const inriktningBeskrivning = value('inriktningText') || null;

  const beslutsdatum = date('beslutsdatum', 'beslutsdatum');
  const forhandsbesked = flag('forhandsbesked');
  const ersatterText = value('ersatter');
  const ersatter =
    ersatterText.length > MAX_ID
      ? refuse('ersatter', `Högst ${MAX_ID} tecken`)
      : ersatterText || null;
  const handlaggare = required('handlaggare', 'handläggarens användarnamn', MAX_ID)?.toLowerCase();
  const bestalldTill = value('bestalldTill') || null;

  const state = readState(value, refuse, today, beslutsdatum);
  if (issues.length === 0 && state && lagrum && insats && beslutsdatum) {
    for (const issue of timelineIssues(
      { id: 'import', lagrum, insats, beslutsdatum },
      state,
      today,
    )) {
      refuse(issue.field, issue.message);
    }
  }

  if (issues.length > 0) return { ok: false, issues: oneIssuePerField(issues) };
  return {
    ok: true,
    row: {
      beslutsid: beslutsid!,
      person: {
        ...person!,
        fornamn: fornamn!,
        efternamn: efternamn!,
        skyddadIdentitet: skyddadIdentitet!,
      },
      namnd: value('namnd') || null,
      lagrum: lagrum!,
      insats: insats!,
      verksamhetsomrade: verksamhetsomrade!,
      inriktning,
      inriktningText: inriktningBeskrivning,
      beslutsdatum: beslutsdatum!,
      forhandsbesked: forhandsbesked!,
      ersatter: ersatter ?? null,
      handlaggare: handlaggare!,
      bestalldTill,
      ...state!,
    },
  };
}

/** The state columns of a row, read. */
type ImportState = Pick<
  ImportRow,
  'verkstalld' | 'avbrott' | 'aterupptagen' | 'avslutad' | 'avslutsanledning' | 'avslutText'
>;

/** The state's dates, in the order the columns' events happen. */
const STATE_DATES = [
  { field: 'verkstalld', type: 'verkstalld', what: 'verkställd' },
  { field: 'avbrott', type: 'avbrott', what: 'avbrottet' },
  { field: 'aterupptagen', type: 'verkstalld', what: 'återupptagen' },
  { field: 'avslutad', type: 'avslutad', what: 'avslutad' },
] as const satisfies readonly { field: ImportField; type: string; what: string }[];

const MAX_TEXT = 4000;

export function findAvslutsanledningByLabel(value: string): Avslutsanledning | undefined {
  const folded = foldLabel(value);
  if (!folded) return undefined;
  return AVSLUTSANLEDNINGAR.find((a) => a.code === folded || foldLabel(a.label) === folded)?.code;
}

/**
 * The state columns: each date real, not before beslutsdatum, not after today; the dates in
 * order; what each needs before it. Undefined when something was refused.
 */
function readState(
  value: (field: ImportField) => string,
  refuse: (field: ImportField, message: string) => undefined,
  today: IsoDate,
  beslutsdatum: IsoDate | undefined,
): ImportState | undefined {
  let failed = false;
  const fail = (field: ImportField, message: string) => {
    failed = true;
    return refuse(field, message);
  };
  const dates: Partial<Record<(typeof STATE_DATES)[number]['field'], IsoDate>> = {};
  for (const { field, what } of STATE_DATES) {
    const v = value(field);
    if (!v) continue;
    if (!isIsoDate(v)) {
      fail(field, `Ogiltigt datum "${v}": skriv ÅÅÅÅ-MM-DD`);
    } else if (!isCaseDate(v)) {
      fail(field, `Ogiltigt datum "${v}": året ska vara ${EARLIEST_CASE_YEAR}–${LATEST_CASE_YEAR}`);
    } else if (v > today) {
      fail(field, `${capitalised(what)} ${v} ligger i framtiden`);
    } else if (beslutsdatum && v < beslutsdatum) {
      fail(field, `${capitalised(what)} ${v} är före beslutsdatum ${beslutsdatum}`);
    } else {
      dates[field] = v;
    }
  }
  const { verkstalld, avbrott, aterupptagen, avslutad } = dates;
  const given = (field: ImportField) => value(field) !== '';
  if (given('avbrott') && !given('verkstalld')) {
    fail('avbrott', 'Ett avbrott förutsätter att insatsen verkställts: ange verkställd');
  } else if (verkstalld && avbrott && avbrott < verkstalld) {
    fail('avbrott', `Avbrottet ${avbrott} är före verkställd ${verkstalld}`);
  }
  if (given('aterupptagen') && !given('avbrott')) {
    fail('aterupptagen', 'Återupptagen förutsätter ett avbrott: ange avbrott');
  } else if (avbrott && aterupptagen && aterupptagen < avbrott) {
    fail('aterupptagen', `Återupptagen ${aterupptagen} är före avbrottet ${avbrott}`);
  }
  if (avslutad) {
    const later = STATE_DATES.filter((d) => d.field !== 'avslutad')
      .map((d) => ({ ...d, date: dates[d.field] }))
      .filter((d) => d.date !== undefined && d.date > avslutad)
      .at(-1);
    if (later) {
      fail(
        'avslutad',
        `Avslutad ${avslutad} är före ${later.what} ${later.date}; avslutet ska vara sist`,
      );
    }
  }

  const anledningText = value('avslutsanledning');
  let avslutsanledning: Avslutsanledning | null = null;
  if (anledningText) {
    avslutsanledning =
      findAvslutsanledningByLabel(anledningText) ??
      fail(
        'avslutsanledning',
        `Okänd avslutsanledning "${anledningText}": skriv ${AVSLUTSANLEDNINGAR.map((a) => a.label).join(', ')}`,
      ) ??
      null;
    if (!given('avslutad')) {
      fail(
        'avslutsanledning',
        'Avslutsanledning anges bara när beslutet är avslutat: ange avslutad',
      );
    }
  } else if (given('avslutad')) {
    fail('avslutsanledning', 'Ange avslutsanledning: beslutet är avslutat');
  }
  const avslutText = value('avslutText') || null;
  if (avslutText && !given('avslutad')) {
    fail(
      'avslutText',
      'Beskrivningen av avslutet anges bara när beslutet är avslutat: ange avslutad',
    );
  } else if (avslutText && avslutText.length > MAX_TEXT) {
    fail('avslutText', `Högst ${MAX_TEXT} tecken`);
  }
  if (failed) return undefined;
  return {
    verkstalld: verkstalld ?? null,
    avbrott: avbrott ?? null,
    aterupptagen: aterupptagen ?? null,
    avslutad: avslutad ?? null,
    avslutsanledning,
    avslutText,
  };
}

/** The columns of a row's state that become events. */
export type ImportStateField = 'verkstalld' | 'avbrott' | 'aterupptagen' | 'avslutad';

/** One event a row's state becomes, with the column it comes from. */
export type ImportTimelineEvent = { field: ImportStateField } & (
  | { type: 'verkstalld'; date: IsoDate }
  | { type: 'avbrott'; date: IsoDate }
  | { type: 'avslutad'; date: IsoDate; anledning: Avslutsanledning; text?: string }
);

/**
 * The events a row's state becomes, in the order they happened (the order of the columns: events
 * on the same day are recorded in this order, so that sorting by date, then by when recorded,
 * keeps it): verkstalld, avbrott, verkstalld (återupptagen), avslutad.
 */
export function importTimeline(state: ImportState): ImportTimelineEvent[] {
  const events: ImportTimelineEvent[] = [];
  if (state.verkstalld)
    events.push({ field: 'verkstalld', type: 'verkstalld', date: state.verkstalld });
  if (state.avbrott) events.push({ field: 'avbrott', type: 'avbrott', date: state.avbrott });
  if (state.aterupptagen) {
    events.push({ field: 'aterupptagen', type: 'verkstalld', date: state.aterupptagen });
  }
  if (state.avslutad && state.avslutsanledning) {
    events.push({
      field: 'avslutad',
      type: 'avslutad',
      date: state.avslutad,
      anledning: state.avslutsanledning,
      ...(state.avslutText ? { text: state.avslutText } : {}),
    });
  }
  return events;
}

/**
 * The row's events as the domain's CaseEvents of `decision`, ordered by `recordedAt` as they come
 * (the n-th event `baseTime` + n ms), with the ids given.
 */
export function importTimelineEvents(
  decisionId: string,
  timeline: readonly ImportTimelineEvent[],
  ids: readonly string[],
  baseTime: Date,
): CaseEvent[] {
  return timeline.map(({ field: _, ...event }, i) => ({
    ...event,
    id: ids[i]!,
    decisionId,
    recordedAt: new Date(baseTime.getTime() + i).toISOString(),
  })) as CaseEvent[];
}

/**
 * The domain's rules for the row's events: each a valid event (CaseEventSchema: "Annan anledning"
 * needs its text), each fitting the events before it (assertEventFits), and the episodes they
 * give. A refusal names the column of the event refused.
 */
function timelineIssues(
  decision: Decision,
  state: ImportState,
  today: IsoDate,
): { field: ImportField; message: string }[] {
  const timeline = importTimeline(state);
  const events = importTimelineEvents(
    decision.id,
    timeline,
    timeline.map((e) => e.field),
    new Date(0),
  );
  // The events' ids are their columns; an error about none of them is the last event's.
  const fieldOf = (id: string | undefined): ImportField =>
    timeline.find((e) => e.field === id)?.field ?? timeline.at(-1)!.field;
  for (const event of events) {
    const check = CaseEventSchema.safeParse(event);
    if (!check.success) {
      const issue = check.error.issues[0]!;
      return [
        {
          field: issue.path[0] === 'text' ? 'avslutText' : fieldOf(event.id),
          message: issue.message,
        },
      ];
    }
  }
  try {
    events.forEach((event, i) => {
      assertEventFits(decision, events.slice(0, i), event, today);
    });
    episodes(decision, events);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return [{ field: fieldOf(error.subject), message: error.message }];
  }
  return [];
}

type PersonIdentity =
  | { typ: 'personnummer' | 'samordningsnummer'; personnummer: string }
  | { typ: 'saknas'; fodelsedatum: IsoDate; kon: Kon };

function readPerson(
  value: (field: ImportField) => string,
  refuse: (field: ImportField, message: string) => undefined,
  date: (field: ImportField, what: string) => string | undefined,
): PersonIdentity | undefined {
  const number = value('personnummer').replace(/\s/g, '');
  const konText = value('kon');
  const kon = konText ? KON[foldLabel(konText)] : undefined;
  if (konText && !kon) refuse('kon', `Okänt kön "${konText}": skriv kvinna eller man`);
  if (!number) {
    const fodelsedatum = date('fodelsedatum', 'födelsedatum (personen saknar personnummer)');
    if (!konText) refuse('kon', 'Ange kön: kvinna eller man (personen saknar personnummer)');
    return fodelsedatum && kon ? { typ: 'saknas', fodelsedatum, kon } : undefined;
  }
  if (/^\d{6}[-+]?\d{4}$/.test(number)) {
    return refuse('personnummer', 'Skriv numret med 12 siffror: ÅÅÅÅMMDD-NNNN');
  }
  if (!isValidPersonnummer(number)) {
    return refuse(
      'personnummer',
      'Ogiltigt personnummer: skriv ÅÅÅÅMMDD-NNNN med rätt födelsedatum och kontrollsiffra',
    );
  }
  const digits = number.replace('-', '');
  if (kon && kon !== konOfPersonnummer(digits)) {
    refuse('kon', `Kön ${kon} stämmer inte med personnumret`);
  }
  const fodelsedatum = value('fodelsedatum');
  if (fodelsedatum && fodelsedatum !== birthDateOfPersonnummer(digits)) {
    refuse('fodelsedatum', `Födelsedatum ${fodelsedatum} stämmer inte med personnumret`);
  }
  return {
    typ: isSamordningsnummer(digits) ? 'samordningsnummer' : 'personnummer',
    personnummer: digits,
  };
}

function oneIssuePerField(issues: readonly ImportIssue[]): ImportIssue[] {
  const seen = new Set<ImportField | null>();
  return issues.filter((issue) => {
    if (seen.has(issue.field)) return false;
    seen.add(issue.field);
    return true;
  });
}

function capitalised(text: string): string {
  return text.charAt(0).toLocaleUpperCase('sv') + text.slice(1);
}

/**
 * Who a row is about, as compared between rows of one file: the number when there is one, else
 * the names, birth date and kön together.
 */
export function importPersonKey(person: ImportPerson): string {
  if (person.typ !== 'saknas') return `nr:${person.personnummer}`;
  return [
    'saknas',
    foldLabel(person.fornamn),
    foldLabel(person.efternamn),
    person.fodelsedatum,
    person.kon,
  ].join('|');
}

export type ImportFileCheck = {
  /** The refusals of rows, by line. */
  issues: Map<number, ImportIssue[]>;
  /** For a row that replaces a decision earlier in the file: that row's line. */
  replacesLine: Map<number, number>;
};

/**
 * The rules between rows: a beslutsid appears once (the second and later are refused), and a
 * row's `ersätter` is not itself and not a later row. A row refused for its own values still
 * counts here, so that its beslutsid is not taken by a later one unnoticed.
 */
export function checkImportFile(
  rows: readonly { line: number; beslutsid: string; ersatter: string | null }[],
): ImportFileCheck {
  const issues = new Map<number, ImportIssue[]>();
  const replacesLine = new Map<number, number>();
  const add = (line: number, issue: ImportIssue) =>
    issues.set(line, [...(issues.get(line) ?? []), issue]);
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    if (!row.beslutsid) continue;
    const first = firstLine.get(row.beslutsid);
    if (first !== undefined) {
      add(row.line, {
        field: 'beslutsid',
        message: `Beslutsid ${row.beslutsid} finns redan på rad ${first}`,
      });
    } else {
      firstLine.set(row.beslutsid, row.line);
    }
  }
  for (const row of rows) {
    if (!row.ersatter) continue;
    if (row.ersatter === row.beslutsid) {
      add(row.line, { field: 'ersatter', message: 'Ett beslut kan inte ersätta sig självt' });
      continue;
    }
    const replaced = firstLine.get(row.ersatter);
    if (replaced === undefined) continue;
    if (replaced > row.line) {
      add(row.line, {
        field: 'ersatter',
        message: `Beslutet som ersätts står på rad ${replaced}; det ska stå före beslutet som ersätter det`,
      });
    } else {
      replacesLine.set(row.line, replaced);
    }
  }
  return { issues, replacesLine };
}

/**
 * An example file in the documented format, semicolon-separated as Swedish Excel writes it: four
 * decisions (a personnummer ordered to a unit, closed when a new decision replaced it; a
 * samordningsnummer under SoL FUNK, executed, interrupted and executed again; a person without a
 * number, still waiting; and the decision that replaces the first). `handlaggare` and `enhet` fill in the
 * handläggare's username and a unit's name, so that the file can be tried as it is.
 */
export function importExampleCsv(options: { handlaggare: string; enhet?: string | null }): string {
  const header = IMPORT_COLUMNS.map((c) => c.header);
  const rows: Partial<Record<ImportField, string>>[] = [
    {
      beslutsid: 'B-1001',
      personnummer: '19121212-1212',
      fornamn: 'Tolvan',
      efternamn: 'Tolvansson',
      verksamhetsomrade: 'LSS',
      lagrum: 'LSS',
      insats: 'Daglig verksamhet',
      beslutsdatum: '2026-01-15',
      bestalldTill: options.enhet ?? '',
      avslutad: '2026-03-31',
      avslutsanledning: 'Nytt beslut har ersatt beslutet',
    },
    {
      beslutsid: 'B-1002',
      personnummer: '19850374-2382',
      fornamn: 'Sara',
      efternamn: 'Lind',
      verksamhetsomrade: 'SoL FUNK',
      inriktning: 'Psykisk funktionsnedsättning',
      lagrum: 'SoL',
      insats: 'SOL_BOENDESTOD',
      beslutsdatum: '2026-02-03',
      verkstalld: '2026-03-20',
      avbrott: '2026-06-01',
      aterupptagen: '2026-09-15',
    },
    {
      beslutsid: 'B-1003',
      fornamn: 'Eva',
      efternamn: 'Holm',
      kon: 'kvinna',
      fodelsedatum: '1975-05-20',
      skyddadIdentitet: 'nej',
      lagrum: 'LSS',
      insats: 'LSS_9_4',
      beslutsdatum: '2026-03-10',
      forhandsbesked: 'ja',
    },
    {
      beslutsid: 'B-1004',
      personnummer: '19121212-1212',
      fornamn: 'Tolvan',
      efternamn: 'Tolvansson',
      verksamhetsomrade: 'LSS',
      lagrum: 'LSS',
      insats: 'LSS_9_10',
      beslutsdatum: '2026-04-01',
      ersatter: 'B-1001',
      bestalldTill: options.enhet ?? '',
    },
  ];
  const line = (cells: readonly string[]) => cells.map(csvCell).join(';');
  return [
    line(header),
    ...rows.map((row) =>
      line(
        IMPORT_COLUMNS.map((c) =>
          c.field === 'handlaggare' ? options.handlaggare : (row[c.field] ?? ''),
        ),
      ),
    ),
  ]
    .join('\r\n')
    .concat('\r\n');
}

function csvCell(value: string): string {
  return /[;",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
