/*
 * `audit-verify`: walks the audit log's hash chain from its anchor (migration 0014) and prints how
 * many links it checked, the newest link (to note down and compare with a later run: a cut-off
 * tail shows only that way) and the first broken row. Exit code 0 when intact, 1 when broken, 2 on
 * wrong use. Prints ids and counts only. DATABASE_URL, else the embedded database in DATA_DIR
 * (stop the server first then).
 */
import { parseArgs } from 'node:util';
import { type ChainBreak, verifyAuditChain } from '../data/audit-chain';
import { createDatabase, describeDatabase } from '../db/database';
import { EnvError, parseEnv } from '../env';

const USAGE = `Användning: audit-verify

Kontrollerar granskningsloggens hashkedja: att ingen loggpost har ändrats eller tagits bort
sedan den skrevs. Skriver ut hur många poster som kontrollerats, den senaste länkens hash
(anteckna den och jämför vid nästa körning) och id för den första posten där kedjan bryts.
Avslutas med kod 1 om kedjan är bruten.

Databasen är serverns: DATABASE_URL, annars den inbäddade databasen i DATA_DIR
(stoppa servern först).

  --help   visa den här texten`;

const REASONS: Record<ChainBreak['reason'], string> = {
  changed: 'posten eller dess länk har ändrats',
  missing: 'posten har tagits bort',
  gap: 'länkar före den här saknas',
  link: 'länken pekar inte på föregående länk',
  unchained: 'posten saknar länk (skriven förbi kedjan)',
};

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

let values: { help?: boolean };
try {
  ({ values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    allowPositionals: false,
    options: { help: { type: 'boolean' } },
  }));
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`, 2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

let config: ReturnType<typeof parseEnv>;
try {
  config = parseEnv(process.env);
} catch (error) {
  if (error instanceof EnvError) fail(error.message);
  throw error;
}

const database = await createDatabase(config.database).catch((error: Error) =>
  fail(`Kan inte öppna databasen (${describeDatabase(config.database)}): ${error.message}`),
);
try {
  const report = await verifyAuditChain(database.db);
  const from = report.anchorSeq > 0 ? ` från länk ${report.anchorSeq + 1} (äldre är gallrade)` : '';
  console.log(`Kontrollerade länkar${from}: ${report.checked}.`);
  if (report.head) console.log(`Senaste länk: ${report.head.seq}, hash ${report.head.hash}.`);
  if (report.broken) {
    const { auditId, seq, reason } = report.broken;
    const where = [
      auditId !== null ? `loggpost ${auditId}` : null,
      seq !== null ? `länk ${seq}` : null,
    ].filter(Boolean);
    console.log(`Kedjan är bruten vid ${where.join(', ')}: ${REASONS[reason]}.`);
    process.exitCode = 1;
  } else {
    console.log('Kedjan är hel.');
    process.exitCode = 0;
  }
} finally {
  await database.close();
}
