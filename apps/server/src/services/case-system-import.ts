import {
  type CaseEvent,
  checkImportFile,
  EPISODE_EVENT_TYPES,
  findInsats,
  formatSwedishDate,
  IMPORT_COLUMNS,
  IMPORT_LIMITS,
  type ImportField,
  type ImportRow,
  type ImportTimelineEvent,
  type IsoDate,
  importColumn,
  importPersonKey,
  importTimeline,
  importTimelineEvents,
  matchImportHeader,
  parseImportRow,
  sortEvents,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { type AuditEntry, insertAudits } from '../data/audit';
import {
  type ImportedDecision,
  importedDecisions,
  type NamedUser,
  usersByUsername,
} from '../data/case-system-import';
import {
  type EventInsert,
  insertEvents,
  lockChangeSequence,
  timelinesWithFieldsOf,
} from '../data/decisions';
import { enheterOf, findNamnd } from '../data/organisation';
import type { Db } from '../db/database';
import type { EnhetTyp } from '../db/schema';
import type { AuthUser } from '../trpc/context';
import {
  fieldCountProblem,
  readCsv,
  thousands,
  UNDECODABLE_MESSAGE,
  undecodableRecord,
} from './case-system-csv';
import {
  insertRegisteredDecision,
  type PersonInput,
  type PersonLookup,
  RegisterDecisionInput,
} from './decisions';

/*
 * Importing decisions and persons from the case system's CSV export (the columns and the row rules
 * are the domain's: case-system-import.ts). One pass does everything a real import does, in one
 * transaction, and then keeps or rolls back its work:
 *
 * - a dry run always rolls back, and answers every row it would refuse and why, and what it would
 *   import;
 * - a run commits only when nothing is refused: otherwise it rolls back and refuses the file.
 *
 * So a dry run that refuses nothing is the run's own outcome, and nothing is ever half-imported.
 * Each decision is registered by the same service as decisions.register (insertRegisteredDecision),
 * for the handläggare the row names; persons are matched by personnummer (the kommun's existing
 * person keeps their IVO id). A decision already imported into the nämnd with the same beslutsid is
 * left as it is, so importing a file twice adds nothing.
 *
 * A row's state (verkställd, avbrott, återupptagen, avslutad: the domain's importTimeline) becomes
 * the new decision's events, recorded by the importer in the order of the columns, so the
 * decision's episodes and quarter lines are its real timeline. A row whose decision was imported
 * before is left alone when its state is what evb holds or an earlier part of it (evb may know of
 * later events); a row that says otherwise is refused.
 *
 * The answer says nothing about other nämnder: a person is `befintlig` only when the nämnd already
 * has a decision about them; one known only in another nämnd is `ny`, as a person never seen is
 * (see "Confidentiality across nämnder" in services/decisions.ts). Every look-up by personnummer is
 * handed back to the router for the audit log.
 */

const someId = (message: string) =>
  z.string({ error: message }).trim().min(1, { error: message }).max(100, { error: message });

const TOO_LARGE = `Filen är större än ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB. Dela upp den i flera filer.`;

export const ImportInput = z.object({
  namndId: someId('Välj nämnd'),
  /** The file's text (UTF-8 decoded). */
  csv: z
    .string({ error: 'Välj en CSV-fil' })
    // A text of more characters than the limit's bytes is too large in any encoding (said once:
    // the byte count below is not checked then).
    .max(IMPORT_LIMITS.maxBytes, { error: TOO_LARGE, abort: true })
    .refine((text) => Buffer.byteLength(text, 'utf8') <= IMPORT_LIMITS.maxBytes, {
      error: TOO_LARGE,
    }),
});
export type ImportInput = z.infer<typeof ImportInput>;

/** A row the import refuses: its line in the file (the header is 1), the column, and why. */
export type ImportRefusal = { row: number; field: string; message: string };

/** A row the import takes: what it becomes, without the person's identity. */
export type ImportAccepted = {
  row: number;
  beslutsid: string;
  insats: string;
  insatsLabel: string;
  verksamhetsomrade: string;
  beslutsdatum: string;
  handlaggare: { username: string; namn: string };
  /** The unit or team the order goes to; null when it is not ordered yet. */
  enhet: string | null;
  /**
   * Whether the person is new to the nämnd or already has a decision there (matched by number, or
   * linked). A person known only in another nämnd is `ny`: the import does not tell.
   */
  person: 'ny' | 'befintlig';
  ersatter: string | null;
  /** The decision's state so far, as the row gives it: its events in order (empty: waiting). */
  timeline: { kind: ImportTimelineEvent['field']; date: string }[];
};

export type ImportPreview = {
  /** Rows with a decision (the header and empty rows not counted). */
  rows: number;
  accepted: ImportAccepted[];
  /** Rows whose beslutsid was imported into the nämnd before: left as they are. */
  alreadyImported: { row: number; beslutsid: string }[];
  refused: ImportRefusal[];
  /** Persons new to the nämnd that the import adds (a person known only elsewhere counts). */
  newPersons: number;
  /** Columns of the file that the import does not read. */
  ignoredColumns: string[];
};

export type ImportOutcome = ImportPreview & {
  decisionIds: string[];
  /** The events the imported rows' states became. */
  events: number;
};

/** Thrown inside the transaction to roll it back with the outcome in hand. */
class RollBack extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super('import rolled back');
  }
}

/**
 * Runs the import of `input.csv` into `input.namndId` for `user`, a handläggare of that nämnd:
 * `dryRun` always rolls back; `run` commits when nothing is refused. Answers the outcome either
 * way; the caller decides what a refusal means for a run. Its look-ups of persons by personnummer
 * are added to `lookups` (for the audit log, which the rollback must not take with it).
 */
export async function importFromCaseSystem(
  db: Db,
  user: AuthUser,
  input: ImportInput,
  mode: 'dryRun' | 'run',
  today: IsoDate,
  now: Date,
  lookups: PersonLookup[] = [],
): Promise<ImportOutcome> {
  if (!user.roles.some((g) => g.role === 'handlaggare' && g.namndId === input.namndId)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'Du är inte handläggare i den nämnden och kan inte importera beslut dit.',
    });
  }
  const namnd = await findNamnd(db, input.namndId);
  if (!namnd) throw new TRPCError({ code: 'NOT_FOUND', message: 'Nämnden finns inte.' });
  try {
    return await db.transaction().execute(async (trx) => {
      const outcome = await importInTransaction(trx, user, namnd, input.csv, today, now, lookups);
      if (mode === 'dryRun' || outcome.refused.length > 0) throw new RollBack(outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof RollBack) return error.outcome;
    throw error;
  }
}

type Namnd = { id: string; namn: string; kommunId: string };

/** What became of a row, for the rows after it that replace it or are about the same person. */
type RowOutcome = { decisionId: string; personId: string; newPerson: boolean } | 'refused';

async function importInTransaction(
  db: Db,
  user: AuthUser,
  namnd: Namnd,
  csv: string,
  today: IsoDate,
  now: Date,
  lookups: PersonLookup[],
): Promise<ImportOutcome> {
  const outcome: ImportOutcome = {
    rows: 0,
    accepted: [],
    alreadyImported: [],
    refused: [],
    newPersons: 0,
    ignoredColumns: [],
    decisionIds: [],
    events: 0,
  };
  const read = readCsv(csv);
  if (!read.ok) {
    outcome.refused.push({ row: read.line, field: '', message: read.message });
    return outcome;
  }
  const { header: headerCells, headerLine, records } = read.file;
  outcome.rows = records.length;
  if (records.length > IMPORT_LIMITS.maxRows) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `Filen har ${records.length} beslut; högst ${thousands(IMPORT_LIMITS.maxRows)} kan importeras åt gången. Dela upp den i flera filer.`,
    });
  }
  const header = matchImportHeader(headerCells);
  outcome.ignoredColumns = header.ignored;
  const columnName = (field: ImportField | null) =>
    field ? (header.names[field] ?? importColumn(field).header) : '';
  const refuse = (row: number, field: ImportField | null, message: string) =>
    outcome.refused.push({ row, field: columnName(field), message });
  if (header.issues.length > 0) {
    for (const issue of header.issues) refuse(headerLine, issue.field, issue.message);
    return outcome;
  }
  if (records.length === 0) {
    refuse(headerLine, null, 'Filen har inga rader med beslut under rubrikraden');
    return outcome;
  }
  const replacementCharacter = undecodableRecord(records);
  if (replacementCharacter) {
    refuse(replacementCharacter.line, null, UNDECODABLE_MESSAGE);
    return outcome;
  }

  // The rules of each row and between rows, from the domain.
  const cellOf = (cells: readonly string[], field: ImportField) => {
    const position = header.positions[field];
    return position === undefined ? '' : (cells[position] ?? '');
  };
  const parsed = records.map((record) => {
    const fieldCount = fieldCountProblem(record, headerCells.length);
    if (fieldCount) {
      return { record, row: null, issues: [{ field: null, message: fieldCount }] };
    }
    const result = parseImportRow((field) => cellOf(record.cells, field), today);
    return { record, row: result.ok ? result.row : null, issues: result.ok ? [] : result.issues };
  });
  const fileCheck = checkImportFile(
    parsed.map(({ record }) => ({
      line: record.line,
      beslutsid: cellOf(record.cells, 'beslutsid').trim(),
      ersatter: cellOf(record.cells, 'ersatter').trim() || null,
    })),
  );

  // What the rows need from the database, read at once. The lock comes first, so that no other
  // import registers the same beslutsid between this read and the writes.
  await lockChangeSequence(db);
  const rows = parsed.flatMap((p) => (p.row ? [p.row] : []));
  const usernames = [...new Set(rows.map((r) => r.handlaggare))];
  const users = await usersByUsername(db, usernames);
  const caseSystemIds = [...new Set(rows.flatMap((r) => [r.beslutsid, r.ersatter ?? []].flat()))];
  const imported = await importedDecisions(db, namnd.id, caseSystemIds);
  const importedTimelines = await timelinesWithFieldsOf(
    db,
    [...new Set(rows.flatMap((r) => imported.get(r.beslutsid)?.id ?? []))],
    EPISODE_EVENT_TYPES,
  );
  const enheter = await enheterOf(db, [namnd.id]);
  // The rows' events and their audit entries, written together after the last row.
  const newEvents: EventInsert[] = [];
  const eventAudits: AuditEntry[] = [];

  const outcomes = new Map<number, RowOutcome>();
  const personOfKey = new Map<string, { personId: string; newPerson: boolean }>();
  const newPersonIds = new Set<string>();
  const lookedUp = new Set<string>();

  for (const { record, row, issues } of parsed) {
    const line = record.line;
    const rowIssues = [...issues, ...(fileCheck.issues.get(line) ?? [])];
    if (!row || rowIssues.length > 0) {
      for (const issue of rowIssues) refuse(line, issue.field, issue.message);
      outcomes.set(line, 'refused');
      continue;
    }
    const before = outcome.refused.length;
    const rowRefuse = (field: ImportField | null, message: string) => refuse(line, field, message);

    if (row.namnd && !sameName(row.namnd, namnd.namn) && row.namnd !== namnd.id) {
      rowRefuse('namnd', `Raden gäller ${row.namnd}; du importerar till ${namnd.namn}`);
    }
    const existing = imported.get(row.beslutsid);
    if (existing) {
      const difference = differenceFrom(existing, row);
      const stored = storedTimeline(importedTimelines.get(existing.id) ?? []);
      if (difference) {
        rowRefuse(
          'beslutsid',
          `Beslutsid ${row.beslutsid} är redan importerat med ${difference}. Ändra beslutet i evb eller ta bort raden.`,
        );
        outcomes.set(line, 'refused');
      } else if (!isEarlierPartOf(importTimeline(row), stored)) {
        rowRefuse(
          firstStateField(row),
          `Beslutsid ${row.beslutsid} är redan importerat, och i evb är beslutet ${describeStored(stored)}. Registrera ändringen i evb eller ta bort raden.`,
        );
        outcomes.set(line, 'refused');
      } else if (outcome.refused.length === before) {
        outcome.alreadyImported.push({ row: line, beslutsid: row.beslutsid });
        outcomes.set(line, {
          decisionId: existing.id,
          personId: existing.personId,
          newPerson: false,
        });
        personOfKey.set(importPersonKey(row.person), {
          personId: existing.personId,
          newPerson: false,
        });
      } else {
        outcomes.set(line, 'refused');
      }
      continue;
    }

    const handlaggare = handlaggareOf(
      users.get(row.handlaggare),
      row.handlaggare,
      namnd,
      rowRefuse,
    );
    const enhet = row.bestalldTill ? enhetNamed(enheter, row.bestalldTill, rowRefuse) : null;
    const replaced = replacedDecision(
      row,
      line,
      fileCheck.replacesLine,
      outcomes,
      imported,
      rowRefuse,
    );

    // Who the decision is about: the number decides; without one, the replaced decision's person,
    // or the person of an earlier row with the same names, birth date and kön.
    const key = importPersonKey(row.person);
    let person: PersonInput;
    let linked: { personId: string; newPerson: boolean } | undefined;
    if (row.person.typ !== 'saknas') {
      const { typ, personnummer, fornamn, efternamn, skyddadIdentitet } = row.person;
      person = { typ, personnummer, fornamn, efternamn, skyddadIdentitet };
    } else {
      linked = replaced?.person ?? personOfKey.get(key);
      person = linked
        ? { typ: 'befintlig', personId: linked.personId }
        : {
            typ: 'saknas',
            fornamn: row.person.fornamn,
            efternamn: row.person.efternamn,
            skyddadIdentitet: row.person.skyddadIdentitet,
            fodelsedatum: row.person.fodelsedatum,
            kon: row.person.kon,
          };
    }

    // The registration's own input rules (insats under its area, inriktning, …).
    const candidate = RegisterDecisionInput.safeParse({
      namndId: namnd.id,
      person,
      lagrum: row.lagrum,
      insats: row.insats,
      verksamhetsomrade: row.verksamhetsomrade,
      inriktning: row.inriktning,
      inriktningText: row.inriktningText,
      beslutsdatum: row.beslutsdatum,
      forhandsbesked: row.forhandsbesked,
      ersatterBeslutId: replaced?.decisionId ?? null,
      ...(enhet ? { order: { enhetId: enhet.id, extern: isExternal(row.insats, enhet.typ) } } : {}),
    });
    if (!candidate.success) {
      for (const issue of candidate.error.issues) {
        rowRefuse(fieldOfPath(issue.path.map(String).join('.')), issue.message);
      }
    }
    if (!candidate.success || !handlaggare || outcome.refused.length > before) {
      outcomes.set(line, 'refused');
      continue;
    }

    let registered: Awaited<ReturnType<typeof insertRegisteredDecision>>;
    // A number's look-up is its first in the file: later rows find what this import added.
    const rowLookups: PersonLookup[] = [];
    const number = row.person.typ === 'saknas' ? null : row.person.personnummer;
    try {
      registered = await insertRegisteredDecision(
        db,
        user,
        candidate.data,
        today,
        now,
        { handlaggare, caseSystemId: row.beslutsid },
        rowLookups,
      );
    } catch (error) {
      if (!(error instanceof TRPCError) || error.code === 'CONFLICT') throw error;
      const causeIssues = (error.cause as { issues?: { path: PropertyKey[]; message: string }[] })
        ?.issues;
      if (causeIssues) {
        for (const issue of causeIssues) {
          rowRefuse(fieldOfPath(issue.path.map(String).join('.')), issue.message);
        }
      } else {
        rowRefuse(error.code === 'FORBIDDEN' ? 'handlaggare' : null, error.message);
      }
      outcomes.set(line, 'refused');
      continue;
    } finally {
      if (number && rowLookups.length > 0 && !lookedUp.has(number)) {
        lookedUp.add(number);
        lookups.push(...rowLookups);
      }
    }

    const decision = registered.decision;
    const timeline = importTimeline(row);
    if (timeline.length > 0) {
      const events = importTimelineEvents(
        decision.id,
        timeline,
        timeline.map(() => uuidv7()),
        now,
      );
      for (const event of events) {
        const { id, decisionId, type, date, recordedAt, ...data } = event;
        newEvents.push({
          id,
          decisionId,
          type,
          date,
          recordedAt: new Date(recordedAt!),
          recordedBy: user.id,
          data,
        });
        eventAudits.push({
          userId: user.id,
          role: user.roles.map((r) => r.role).join(','),
          action: `handelse_${type}`,
          subjectType: 'beslut',
          subjectId: decisionId,
          namndId: namnd.id,
          details: { handelseId: id, datum: date, via: 'import' },
        });
      }
      outcome.events += events.length;
    }
    // By number: new to the nämnd when added now, added by an earlier row, or known only in
    // another nämnd (said as for a person never seen).
    const newPerson =
      row.person.typ !== 'saknas'
        ? (registered.person !== null &&
            (registered.person.created || !registered.person.entitled)) ||
          newPersonIds.has(decision.personId)
        : (linked?.newPerson ?? true);
    if (newPerson) newPersonIds.add(decision.personId);
    const result = { decisionId: decision.id, personId: decision.personId, newPerson };
    outcomes.set(line, result);
    if (!personOfKey.has(key)) personOfKey.set(key, { personId: decision.personId, newPerson });
    outcome.decisionIds.push(decision.id);
    outcome.accepted.push({
      row: line,
      beslutsid: row.beslutsid,
      insats: row.insats,
      insatsLabel: findInsats(row.insats)?.label ?? row.insats,
      verksamhetsomrade: row.verksamhetsomrade,
      beslutsdatum: row.beslutsdatum,
      handlaggare: { username: handlaggare.username, namn: handlaggare.displayName },
      enhet: enhet?.namn ?? null,
      person: newPerson ? 'ny' : 'befintlig',
      ersatter: row.ersatter,
      timeline: timeline.map((e) => ({ kind: e.field, date: e.date })),
    });
  }

  // A refused file is rolled back whole: its rows' events need not be written.
  if (outcome.refused.length === 0) {
    for (let from = 0; from < newEvents.length; from += EVENTS_PER_INSERT) {
      await insertEvents(db, newEvents.slice(from, from + EVENTS_PER_INSERT));
      await insertAudits(db, eventAudits.slice(from, from + EVENTS_PER_INSERT));
    }
  }

  outcome.newPersons = newPersonIds.size;
  const order = new Map(IMPORT_COLUMNS.map((c, i) => [columnName(c.field), i]));
  outcome.refused.sort(
    (a, b) => a.row - b.row || (order.get(a.field) ?? -1) - (order.get(b.field) ?? -1),
  );
  return outcome;
}

/** Events (and their audit rows) per INSERT: well within PostgreSQL's 65 535 parameters. */
const EVENTS_PER_INSERT = 1000;

type StoredStep = { type: CaseEvent['type']; date: IsoDate };

/** The stored events that start or end an episode, in the order they happened. */
function storedTimeline(
  events: readonly { id: string; type: string; date: string; recordedAt: string }[],
): StoredStep[] {
  return sortEvents(events).map((e) => ({ type: e.type as CaseEvent['type'], date: e.date }));
}

/** Whether the row's events are what evb holds, or the first of them (evb may know more). */
function isEarlierPartOf(row: readonly ImportTimelineEvent[], stored: readonly StoredStep[]) {
  return (
    row.length <= stored.length &&
    row.every((e, i) => e.type === stored[i]!.type && e.date === stored[i]!.date)
  );
}

/** What evb holds of a decision's state, in Swedish: "verkställt 20 augusti 2026, avbrutet 1 september 2026". */
function describeStored(stored: readonly StoredStep[]): string {
  if (stored.length === 0) return 'varken verkställt eller avslutat';
  let executed = false;
  return stored
    .map((step) => {
      if (step.type === 'verkstalld') {
        const label = executed ? 'verkställt igen' : 'verkställt';
        executed = true;
        return `${label} ${formatSwedishDate(step.date)}`;
      }
      return `${step.type === 'avbrott' ? 'avbrutet' : 'avslutat'} ${formatSwedishDate(step.date)}`;
    })
    .join(', ');
}

/** The column a refusal of the row's state is about: its first state column, else verkställd. */
function firstStateField(row: ImportRow): ImportField {
  return importTimeline(row)[0]?.field ?? 'verkstalld';
}

function fold(text: string): string {
  return text.trim().toLocaleLowerCase('sv').replace(/\s+/g, ' ');
}

function sameName(a: string, b: string): boolean {
  return fold(a) === fold(b);
}

/** What differs between a decision imported before and the row with its beslutsid, if anything. */
function differenceFrom(existing: ImportedDecision, row: ImportRow): string | null {
  if (existing.insats !== row.insats) {
    return `en annan insats (${findInsats(existing.insats)?.label ?? existing.insats})`;
  }
  if (existing.beslutsdatum !== row.beslutsdatum) {
    return `ett annat beslutsdatum (${formatSwedishDate(existing.beslutsdatum)})`;
  }
  const number = row.person.typ === 'saknas' ? null : row.person.personnummer;
  if (number !== null && existing.personPersonnummer !== number) return 'en annan person';
  return null;
}

/** The handläggare a row names, as the registration needs them; refused when they cannot be. */
function handlaggareOf(
  user: NamedUser | undefined,
  username: string,
  namnd: Namnd,
  refuse: (field: ImportField, message: string) => void,
): AuthUser | null {
  if (!user) {
    refuse('handlaggare', `Det finns ingen användare med användarnamnet ${username}`);
    return null;
  }
  if (!user.active) {
    refuse('handlaggare', `${user.displayName} (${username}) har inte längre tillgång till evb`);
    return null;
  }
  if (!user.roles.some((g) => g.role === 'handlaggare' && g.namndId === namnd.id)) {
    refuse('handlaggare', `${user.displayName} (${username}) är inte handläggare i ${namnd.namn}`);
    return null;
  }
  return { id: user.id, username: user.username, displayName: user.displayName, roles: user.roles };
}

function enhetNamed<T extends { namn: string }>(
  enheter: readonly T[],
  name: string,
  refuse: (field: ImportField, message: string) => void,
): T | null {
  const matches = enheter.filter((e) => sameName(e.namn, name));
  if (matches.length === 1) return matches[0]!;
  refuse(
    'bestalldTill',
    matches.length === 0
      ? `Det finns ingen enhet eller team som heter ${name} i nämnden`
      : `Flera enheter heter ${name}; byt namn på en av dem först`,
  );
  return null;
}

/** An LSS 9 § 8 ordered to Boendeteamet is carried out externally (domain: defaultOrderRecipient). */
function isExternal(insats: string, typ: EnhetTyp): boolean {
  return findInsats(insats)?.lssParagraph === 8 && typ === 'boendeteamet';
}

/**
 * The decision a row replaces: an earlier row of the file (which must have been taken), or one
 * imported before. A row with a number must be about the replaced decision's person.
 */
function replacedDecision(
  row: ImportRow,
  line: number,
  replacesLine: ReadonlyMap<number, number>,
  outcomes: ReadonlyMap<number, RowOutcome>,
  imported: ReadonlyMap<string, ImportedDecision>,
  refuse: (field: ImportField, message: string) => void,
): { decisionId: string; person: { personId: string; newPerson: boolean } } | null {
  if (!row.ersatter) return null;
  const earlierLine = replacesLine.get(line);
  if (earlierLine !== undefined) {
    const earlier = outcomes.get(earlierLine);
    if (!earlier || earlier === 'refused') {
      refuse('ersatter', `Beslutet som ersätts (rad ${earlierLine}) kan inte importeras`);
      return null;
    }
    return {
      decisionId: earlier.decisionId,
      person: { personId: earlier.personId, newPerson: earlier.newPerson },
    };
  }
  const before = imported.get(row.ersatter);
  if (!before) {
    refuse(
      'ersatter',
      `Beslutet som ersätts (beslutsid ${row.ersatter}) finns varken tidigare i filen eller bland nämndens importerade beslut`,
    );
    return null;
  }
  if (row.person.typ !== 'saknas' && before.personPersonnummer !== row.person.personnummer) {
    refuse('ersatter', 'Beslutet som ersätts gäller en annan person');
    return null;
  }
  return { decisionId: before.id, person: { personId: before.personId, newPerson: false } };
}

/** The column of a registration input's field, for its refusals. */
const FIELD_OF_PATH: Record<string, ImportField> = {
  namndId: 'namnd',
  'person.fornamn': 'fornamn',
  'person.efternamn': 'efternamn',
  'person.personnummer': 'personnummer',
  'person.personId': 'personnummer',
  'person.fodelsedatum': 'fodelsedatum',
  'person.kon': 'kon',
  'person.skyddadIdentitet': 'skyddadIdentitet',
  lagrum: 'lagrum',
  insats: 'insats',
  verksamhetsomrade: 'verksamhetsomrade',
  inriktning: 'inriktning',
  inriktningText: 'inriktningText',
  beslutsdatum: 'beslutsdatum',
  forhandsbesked: 'forhandsbesked',
  ersatterBeslutId: 'ersatter',
  'order.enhetId': 'bestalldTill',
  'order.extern': 'bestalldTill',
};

function fieldOfPath(path: string): ImportField | null {
  return FIELD_OF_PATH[path] ?? null;
}
