import { z } from 'zod';
import { hashPassword, passwordProblem } from '../auth/password';
import { insertAudit } from '../data/audit';
import { insertUser, replaceUserRoles, usernameTaken } from '../data/users';
import type { Db } from '../db/database';
import { DisplayNameSchema, UsernameSchema } from '../routers/users';
import { grantRowsFor } from './role-grants';

/*
 * An administrator created from the command line (`create-admin`): the first account of a real
 * deployment, where no demo users exist and nobody can yet sign in to create one. The same rules
 * as an administrator creating a user in the app (username, name, password), and the same rows.
 */

/** Why the administrator was not created, in Swedish, for the person at the terminal. */
export class AdministratorRefusedError extends Error {}

export type NewAdministrator = { username: string; displayName: string; password: string };

/** Who the audit log names for a change made by the system itself rather than a signed-in user. */
export const SYSTEM_ROLE = 'system';

const IdentitySchema = z.object({ username: UsernameSchema, displayName: DisplayNameSchema });

/**
 * The username (trimmed, lower case, as sign-in looks it up) and name, checked like the app checks
 * them; throws an {@link AdministratorRefusedError} naming what is wrong.
 */
export function parseIdentity(input: { username: string; displayName: string }) {
  const parsed = IdentitySchema.safeParse(input);
  if (!parsed.success) {
    throw new AdministratorRefusedError(parsed.error.issues.map((i) => i.message).join('; '));
  }
  return parsed.data;
}

/** Throws when the password is one the app would not accept (too short or too long). */
export function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new AdministratorRefusedError(`${problem}.`);
}

const taken = (username: string) =>
  new AdministratorRefusedError(`Användarnamnet ${username} används redan; välj ett annat.`);

/** Throws when someone already has the (parsed) username, active or not. */
export async function refuseTakenUsername(db: Db, username: string): Promise<void> {
  if (await usernameTaken(db, username)) throw taken(username);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === '23505';
}

/**
 * Creates an active user with the admin role and records it in the audit log as done by the
 * system (`via` tells how). Refuses, with an {@link AdministratorRefusedError}, a username that is
 * taken or invalid, an empty name and a password the app would not accept.
 */
export async function createAdministrator(
  db: Db,
  input: NewAdministrator,
  via: string,
): Promise<{ id: string; username: string; displayName: string }> {
  const { username, displayName } = parseIdentity(input);
  checkPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  const id = crypto.randomUUID();
  try {
    await db.transaction().execute(async (trx) => {
      await refuseTakenUsername(trx, username);
      const grants = await grantRowsFor(trx, [{ role: 'admin' }]);
      await insertUser(trx, {
        id,
        username,
        displayName,
        email: null,
        telefon: null,
        passwordHash,
      });
      await replaceUserRoles(trx, id, grants);
      await insertAudit(trx, {
        userId: null,
        role: SYSTEM_ROLE,
        action: 'anvandare_skapad',
        subjectType: 'anvandare',
        subjectId: id,
        details: { username, roller: grants.map(({ id: _id, ...g }) => g), via },
      });
    });
  } catch (error) {
    // Someone created the same username between the check and the insert.
    if (isUniqueViolation(error)) throw taken(username);
    throw error;
  }
  return { id, username, displayName };
}
