import { randomBytes } from 'node:crypto';
import { hashPassword } from '../auth/password';
import {
  insertDecisions,
  insertEvents,
  insertHandledMessages,
  insertOrganisation,
  insertPersons,
} from '../data/seed';
import type { Db } from '../db/database';
import type { SeedBatch } from './decisions';
import { DEMO_PASSWORD, type Organisation } from './organisation';

/**
 * Writes the organisation and its people: the demo users with DEMO_PASSWORD, everybody else with a
 * random password that is thrown away (they appear in the data but cannot sign in).
 */
export async function writeOrganisation(db: Db, org: Organisation): Promise<void> {
  const [demoHash, lockedHash] = await Promise.all([
    hashPassword(DEMO_PASSWORD),
    hashPassword(randomBytes(32).toString('base64url')),
  ]);
  await insertOrganisation(db, {
    ...org,
    users: org.users.map((u) => ({ ...u, passwordHash: u.demo ? demoHash : lockedHash })),
  });
}

/** Writes persons, decisions, events and handled messages, in the order their keys need. */
export async function writeBatch(db: Db, batch: SeedBatch): Promise<void> {
  await insertPersons(db, batch.persons);
  await insertDecisions(db, batch.decisions);
  await insertEvents(db, batch.events);
  await insertHandledMessages(db, batch.handledMessages);
}
