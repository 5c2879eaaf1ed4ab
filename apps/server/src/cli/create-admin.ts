import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { MIN_PASSWORD_LENGTH } from '../auth/password';
import { createDatabase, type Database, describeDatabase } from '../db/database';
import { type Config, EnvError, parseEnv } from '../env';
import {
  AdministratorRefusedError,
  checkPassword,
  createAdministrator,
  parseIdentity,
  refuseTakenUsername,
} from '../services/administrator';

/*
 * `create-admin`: creates an administrator, such as the first one of a real deployment, where
 * nobody can sign in yet to create users (see USAGE). Uses the server's configuration: DATABASE_URL,
 * or the embedded database in DATA_DIR, migrated first. Exit codes: 0 created, 1 refused or
 * failed, 2 a wrong command line.
 */

const PASSWORD_VARIABLE = 'EVB_ADMIN_PASSWORD';

const USAGE = `Användning: create-admin --username NAMN --name "För- och efternamn"

Skapar en administratör (rollen admin), till exempel den första i en ny installation där
inga demoanvändare finns. Databasen är serverns: DATABASE_URL, annars den inbäddade databasen
i DATA_DIR (stoppa servern först: den inbäddade databasen kan bara öppnas av ett program i
taget). Databasen migreras först.

Lösenordet läses från miljövariabeln ${PASSWORD_VARIABLE}. Är den inte satt frågar kommandot
efter lösenordet två gånger i terminalen, utan att visa det. Det ska ha minst
${MIN_PASSWORD_LENGTH} tecken.

  --username NAMN   användarnamnet: a–z, 0–9, punkt, bindestreck och understreck
  --name NAMN       administratörens namn, som det visas i appen
  --help            visa den här texten`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

function readArgs(): { username: string; displayName: string } {
  let values: { username?: string; name?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        username: { type: 'string' },
        name: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.username === undefined) fail(`Ange --username.\n\n${USAGE}`, 2);
  if (values.name === undefined) fail(`Ange --name.\n\n${USAGE}`, 2);
  return { username: values.username, displayName: values.name };
}

function readConfig(): Config {
  try {
    return parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) fail(error.message);
    throw error;
  }
}

/**
 * Asks for one line on the terminal without showing what is typed: readline reads the keys in
 * raw mode and echoes them to an output that discards everything.
 */
function askHidden(prompt: string): Promise<string> {
  process.stdout.write(prompt);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  return new Promise((resolve) => {
    // Ctrl-C, and Ctrl-D on an empty line, end the command; an answer resolves.
    let ending: (() => void) | null = () => fail('Inget lösenord angavs; inget konto skapades.');
    rl.on('SIGINT', () => {
      ending = () => fail('Avbrutet; inget konto skapades.', 130);
      rl.close();
    });
    rl.on('close', () => {
      process.stdout.write('\n');
      ending?.();
    });
    rl.question('', (answer) => {
      ending = null;
      rl.close();
      resolve(answer);
    });
  });
}

/** From EVB_ADMIN_PASSWORD (an empty value counts as unset), else asked twice on the terminal. */
async function readPassword(): Promise<string> {
  const fromEnv = process.env[PASSWORD_VARIABLE];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new AdministratorRefusedError(
      `Inget lösenord: sätt ${PASSWORD_VARIABLE}, eller kör kommandot i en terminal så frågar det efter lösenordet.`,
    );
  }
  const password = await askHidden('Lösenord: ');
  checkPassword(password);
  if ((await askHidden('Samma lösenord igen: ')) !== password) {
    throw new AdministratorRefusedError('Lösenorden är inte lika; inget konto skapades.');
  }
  return password;
}

/** The administrator's username and name as the app stores them, or the reason they are refused. */
function checkedIdentity(): { username: string; displayName: string } {
  try {
    return parseIdentity(readArgs());
  } catch (error) {
    if (error instanceof AdministratorRefusedError) fail(error.message);
    throw error;
  }
}

async function create(database: Database, identity: { username: string; displayName: string }) {
  // Before asking for a password: nobody should type one twice to hear the name is taken.
  await refuseTakenUsername(database.db, identity.username);
  const password = await readPassword();
  return createAdministrator(database.db, { ...identity, password }, 'create-admin');
}

const identity = checkedIdentity();
const config = readConfig();
const where = describeDatabase(config.database);
console.log(`Databas: ${where}`);
let database: Database;
try {
  database = await createDatabase(config.database);
} catch (error) {
  fail(`Kan inte öppna databasen (${where}): ${(error as Error).message}`);
}
try {
  const created = await create(database, identity);
  console.log(
    `Administratören ${created.username} (${created.displayName}) är skapad och kan logga in.`,
  );
} catch (error) {
  await database.close();
  if (error instanceof AdministratorRefusedError) fail(error.message);
  throw error;
}
await database.close();
