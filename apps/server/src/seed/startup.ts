import type { IsoDate } from '@evb/domain';
import { verifyPassword } from '../auth/password';
import {
  activeUsersNamed,
  grantsWithNames,
  inSeedTransaction,
  isDatabaseEmpty,
} from '../data/seed';
import type { Db } from '../db/database';
import type { Role } from '../db/schema';
import { generateDemoData } from './demo';
import { DEMO_KOMMUN, DEMO_PASSWORD, DEMO_USERNAMES } from './organisation';
import { writeBatch, writeOrganisation } from './write';

export type DemoSeedResult = { decisions: number; events: number; persons: number };

/**
 * Seeds the demo kommun when the database is empty, and only then: the check is repeated inside
 * the writing transaction, under the change-sequence lock, so two servers starting at once on one
 * PostgreSQL database cannot both seed. Returns what was written, or null when nothing was.
 */
export async function seedDemoIfEmpty(db: Db, today: IsoDate): Promise<DemoSeedResult | null> {
  if (!(await isDatabaseEmpty(db))) return null;
  const demo = generateDemoData(today);
  let written = false;
  await inSeedTransaction(db, async (trx) => {
    if (!(await isDatabaseEmpty(trx))) return;
    await writeOrganisation(trx, demo.org);
    await writeBatch(trx, demo.batch);
    written = true;
  });
  if (!written) return null;
  return {
    decisions: demo.batch.decisions.length,
    events: demo.batch.events.length,
    persons: demo.batch.persons.length,
  };
}

export type DemoUser = {
  username: string;
  displayName: string;
  grants: { role: Role; scope: string | null }[];
};

/**
 * The demo users that can still sign in with the demo password: active, and with the password
 * unchanged. A user who was removed, deactivated or given a new password is not shown.
 */
export async function presentDemoUsers(db: Db): Promise<DemoUser[]> {
  const users = await activeUsersNamed(db, DEMO_USERNAMES);
  const verified = new Map<string, boolean>();
  const present = [];
  for (const user of users) {
    // The seed gives every demo user the same hash, so this is usually one verification.
    let ok = verified.get(user.passwordHash);
    if (ok === undefined) {
      ok = await verifyPassword(user.passwordHash, DEMO_PASSWORD);
      verified.set(user.passwordHash, ok);
    }
    if (ok) present.push(user);
  }
  const grants = await grantsWithNames(
    db,
    present.map((u) => u.id),
  );
  return present
    .sort((a, b) => DEMO_USERNAMES.indexOf(a.username) - DEMO_USERNAMES.indexOf(b.username))
    .map((u) => ({
      username: u.username,
      displayName: u.displayName,
      grants: grants
        .filter((g) => g.userId === u.id)
        .map((g) => ({
          role: g.role,
          scope:
            [g.enhetNamn ?? g.namndNamn, g.verksamhetsomrade].filter(Boolean).join(', ') || null,
        })),
    }));
}

const ROLE_LABELS: Record<Role, string> = {
  utforare: 'utförare',
  matchare: 'matchare',
  handlaggare: 'handläggare',
  rapportor: 'rapportör',
  huvudrapportor: 'huvudrapportör',
  loggranskare: 'loggranskare',
  admin: 'administratör',
};

/** The start-up lines that tell how to sign in as the demo users; none when there are none. */
export function demoUserLines(users: readonly DemoUser[]): string[] {
  if (users.length === 0) return [];
  const width = Math.max(...users.map((u) => u.username.length)) + 2;
  return [
    `Demo users (${DEMO_KOMMUN}), password "${DEMO_PASSWORD}":`,
    ...users.map((u) => {
      const roles = u.grants
        .map((g) => (g.scope ? `${ROLE_LABELS[g.role]} (${g.scope})` : ROLE_LABELS[g.role]))
        .join('; ');
      return `  ${u.username.padEnd(width)}${u.displayName}: ${roles}`;
    }),
  ];
}
