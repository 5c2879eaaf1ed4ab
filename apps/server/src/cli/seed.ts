import { todayInStockholm } from '@evb/domain';
import { createDatabase, describeDatabase } from '../db/database';
import { EnvError, parseEnv } from '../env';
import {
  parseSeedArgs,
  runSeed,
  SEED_USAGE,
  type SeedOptions,
  SeedRefusedError,
  SeedUsageError,
} from '../seed/command';

/*
 * `seed`: fills the database with demo data (see SEED_USAGE). Uses the server's configuration
 * (DATABASE_URL, or the embedded database in DATA_DIR) unless --database-url is given.
 */

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

let options: SeedOptions;
try {
  options = parseSeedArgs(process.argv.slice(2));
} catch (error) {
  if (error instanceof SeedUsageError) fail(`${error.message}\n\n${SEED_USAGE}`, 2);
  throw error;
}
if (options.help) {
  console.log(SEED_USAGE);
  process.exit(0);
}

let config: ReturnType<typeof parseEnv>;
try {
  config = parseEnv({
    ...process.env,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
} catch (error) {
  if (error instanceof EnvError) {
    fail(
      error.message.replace(
        'DATABASE_URL:',
        options.databaseUrl ? '--database-url:' : 'DATABASE_URL:',
      ),
    );
  }
  throw error;
}

const where = describeDatabase(config.database);
console.log(`Database: ${where}`);
let database: Awaited<ReturnType<typeof createDatabase>>;
try {
  database = await createDatabase(config.database);
} catch (error) {
  fail(`Cannot open the database (${where}): ${(error as Error).message}`);
}
try {
  await runSeed(database, options, todayInStockholm(), (line) => console.log(line));
} catch (error) {
  await database.close();
  if (error instanceof SeedRefusedError) fail(error.message);
  throw error;
}
await database.close();
