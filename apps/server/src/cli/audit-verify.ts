/*
 * `audit-verify`: walks the audit log's hash chain from its anchor (migration 0014) and prints how
 * many links it checked, the newest link (to note down and compare with a later run: a cut-off
 * tail shows only that way) and the first broken row. Exit code 0 when intact, 1 when broken, 2 on
 * wrong use. Prints ids and counts only. DATABASE_URL, else the embedded database in DATA_DIR
 * (stop the server first then).
 */
import { type ChainBreak, verifyAuditChain } from '../data/audit-chain';
import { commandConfig, commandOptions, openCommandDatabase } from './command-line';

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

commandOptions({}, USAGE);

const config = commandConfig();

const database = await openCommandDatabase(config);
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
