import { type ParseArgsConfig, parseArgs } from 'node:util';
import { createDatabase, type Database, describeDatabase } from '../db/database';
import { type Config, EnvError, parseEnv } from '../env';

/*
 * What the server's commands (audit-verify, audit-prune, reminders) share: their options read
 * strictly with a Swedish usage text, the server's environment checked as the server checks it,
 * and the server's database opened, each failure said plainly with an exit code.
 */

/** Says what is wrong on stderr and ends the command: 1 for a failure, 2 for a wrong call. */
export function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : string;
};

/** The command's options (no positionals); `--help` prints `usage` and ends the command. */
export function commandOptions<O extends Options>(options: O, usage: string): Values<O> {
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: { ...options, help: { type: 'boolean' } },
    }) as { values: Values<O> & { help?: boolean } };
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    return values;
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usage}`, 2);
  }
}

/** The server's configuration from the environment; a wrong variable ends the command, named. */
export function commandConfig(): Config {
  try {
    return parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) fail(error.message);
    throw error;
  }
}

/** The server's database (DATABASE_URL, else the embedded one in DATA_DIR). */
export function openCommandDatabase(config: Config): Promise<Database> {
  return createDatabase(config.database).catch((error: Error) =>
    fail(`Kan inte öppna databasen (${describeDatabase(config.database)}): ${error.message}`),
  );
}
