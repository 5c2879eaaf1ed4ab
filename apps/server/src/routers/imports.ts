import { TRPCError } from '@trpc/server';
import { insertAudits } from '../data/audit';
import {
  ImportInput,
  type ImportOutcome,
  type ImportPreview,
  importFromCaseSystem,
} from '../services/case-system-import';
import { type PersonLookup, personLookupAudits } from '../services/decisions';
import {
  type FilingImportOutcome,
  type FilingImportPreview,
  importFilings,
} from '../services/filing-import';
import type { AuthUser, Context } from '../trpc/context';
import { roleProcedure, router } from '../trpc/init';

/**
 * Runs the import, and audits its look-ups of persons by personnummer whatever its outcome (a dry
 * run rolls back everything it wrote, its audit rows included).
 */
async function importAudited(
  ctx: Context & { user: AuthUser },
  input: ImportInput,
  mode: 'dryRun' | 'run',
): Promise<ImportOutcome> {
  const lookups: PersonLookup[] = [];
  try {
    return await importFromCaseSystem(
      ctx.db,
      ctx.user,
      input,
      mode,
      ctx.today(),
      ctx.clock.now(),
      lookups,
    );
  } finally {
    await insertAudits(ctx.db, personLookupAudits(ctx.user, input.namndId, lookups, 'import'));
  }
}

/** What the audit log keeps of an import: counts and rows, never a person's identity. */
function auditDetails(outcome: ImportOutcome) {
  return {
    rader: outcome.rows,
    godkanda: outcome.accepted.length,
    redanImporterade: outcome.alreadyImported.length,
    vagrade: outcome.refused.map((r) => ({ rad: r.row, kolumn: r.field })),
    nyaPersoner: outcome.newPersons,
    handelser: outcome.events,
  };
}

function preview(outcome: ImportOutcome): ImportPreview {
  const { decisionIds: _, events: __, ...rest } = outcome;
  return rest;
}

/**
 * Runs the filings import, and audits its look-ups of persons by personnummer whatever its
 * outcome (a dry run rolls back everything it wrote).
 */
async function filingsImportAudited(
  ctx: Context & { user: AuthUser },
  input: ImportInput,
  mode: 'dryRun' | 'run',
): Promise<FilingImportOutcome> {
  const lookups: PersonLookup[] = [];
  try {
    return await importFilings(ctx.db, ctx.user, input, mode, ctx.clock.now(), lookups);
  } finally {
    await insertAudits(
      ctx.db,
      personLookupAudits(ctx.user, input.namndId, lookups, 'inlamningsimport'),
    );
  }
}

/** What the audit log keeps of a filings import: counts only. */
function filingsAuditDetails(outcome: FilingImportOutcome) {
  return {
    rader: outcome.rows,
    registrerade: outcome.accepted.length,
    vagradeRader: new Set(outcome.refused.map((r) => r.row)).size,
  };
}

/** A refused run's 400: every refused row, by line and column. */
function refusedRun(
  refused: readonly { row: number; field: string; message: string }[],
  nothing: string,
): TRPCError {
  const rows = new Set(refused.map((r) => r.row)).size;
  return new TRPCError({
    code: 'BAD_REQUEST',
    message: [
      `${nothing}: ${rows === 1 ? '1 rad' : `${rows} rader`} kan inte importeras.`,
      ...refused.map((r) => `Rad ${r.row}${r.field ? `, ${r.field}` : ''}: ${r.message}`),
    ].join('\n'),
  });
}

const reporterProcedure = roleProcedure('rapportor', 'huvudrapportor');

export const importsRouter = router({
  /**
   * Tries an import of decisions and persons from the case system's CSV export without keeping
   * anything: { namndId, csv } (the file's text, at most 5 MB and 5 000 decisions). A handläggare
   * of the nämnd. Answers ImportPreview: the rows it would import (without identities), those
   * imported before (left as they are), and every row it would refuse with the column and why
   * (the row is the line in the file; the header is line 1). Audited.
   */
  dryRun: roleProcedure('handlaggare')
    .input(ImportInput)
    .mutation(async ({ ctx, input }): Promise<ImportPreview> => {
      const outcome = await importAudited(ctx, input, 'dryRun');
      await ctx.audit({
        action: 'import_provkord',
        subjectType: 'import',
        namndId: input.namndId,
        details: auditDetails(outcome),
      });
      return preview(outcome);
    }),

  /**
   * Imports the file ({ namndId, csv }, as dryRun) in one transaction, only when the dry run would
   * refuse nothing; otherwise nothing is imported and the answer is 400 with every refused row in
   * the message. A handläggare of the nämnd; each decision is the named handläggare's, with the
   * events its state columns give (recorded by the importer). Answers { imported,
   * alreadyImported, newPersons, decisionIds, events }. Each decision is audited as
   * `beslut_importerat`, each event as `handelse_<type>` (via import), and the import as a whole.
   */
  run: roleProcedure('handlaggare')
    .input(ImportInput)
    .mutation(async ({ ctx, input }) => {
      const outcome = await importAudited(ctx, input, 'run');
      const refused = outcome.refused.length > 0;
      await ctx.audit({
        action: refused ? 'import_vagrad' : 'import_genomford',
        subjectType: 'import',
        namndId: input.namndId,
        details: auditDetails(outcome),
      });
      if (refused) throw refusedRun(outcome.refused, 'Inget importerades');
      return {
        imported: outcome.accepted.length,
        alreadyImported: outcome.alreadyImported.length,
        newPersons: outcome.newPersons,
        decisionIds: outcome.decisionIds,
        events: outcome.events,
      };
    }),

  /**
   * Tries an import of the nämnd's earlier filings with IVO without keeping anything: { namndId,
   * csv } (at most 5 MB and 5 000 rows; the columns are the domain's FILING_IMPORT_COLUMNS). A
   * rapportör or huvudrapportör of the nämnd (else 403). Each row is matched to a decision they
   * report (person, beslutsdatum, insats), to its line in the quarter, and recorded as
   * reports.recordFiling records a filing afterwards, then rolled back. Answers
   * FilingImportPreview: the rows it would record (without identities) and every row it would
   * refuse with the column and why. Audited with counts.
   */
  filingsDryRun: reporterProcedure
    .input(ImportInput)
    .mutation(async ({ ctx, input }): Promise<FilingImportPreview> => {
      const outcome = await filingsImportAudited(ctx, input, 'dryRun');
      await ctx.audit({
        action: 'inlamningsimport_provkord',
        subjectType: 'import',
        namndId: input.namndId,
        details: filingsAuditDetails(outcome),
      });
      const { filingIds: _, ...preview } = outcome;
      return preview;
    }),

  /**
   * Records the file's filings ({ namndId, csv }, as filingsDryRun) in one transaction, only when
   * nothing is refused; otherwise nothing is recorded and the answer is 400 with every refused
   * row. A filing already recorded for its line and quarter is refused, so a second run of the
   * same file records nothing. Answers { recorded, filingIds }. Audited with counts.
   */
  filingsRun: reporterProcedure.input(ImportInput).mutation(async ({ ctx, input }) => {
    const outcome = await filingsImportAudited(ctx, input, 'run');
    const refused = outcome.refused.length > 0;
    await ctx.audit({
      action: refused ? 'inlamningsimport_vagrad' : 'inlamningsimport_genomford',
      subjectType: 'import',
      namndId: input.namndId,
      details: filingsAuditDetails(outcome),
    });
    if (refused) throw refusedRun(outcome.refused, 'Inget registrerades');
    return { recorded: outcome.accepted.length, filingIds: outcome.filingIds };
  }),
});
