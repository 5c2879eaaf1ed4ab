import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import {
  countSamlRequestsSince,
  deleteSamlRequest,
  deleteSamlRequestsBefore,
  findSamlRequest,
  insertSamlRequest,
} from '../../data/saml';
import type { Db } from '../../db/database';

/*
 * node-saml's store of the request ids it sent (it checks a Response's InResponseTo against it),
 * kept in the database (saml_request, migration 0016) instead of the process's memory: with two
 * evb servers the answer may reach the other one, and a restart must not refuse sign-ins under way.
 * node-saml stores the request's IssueInstant as the value; the row's time is that instant.
 */
/** How many sign-ins may be under way at once: anyone may start one without being signed in. */
export const MAX_PENDING_SAML_REQUESTS = 10_000;

/** Too many sign-ins under way: a flood of GET /login must not fill the database. */
export class TooManyPendingRequests extends Error {}

export function databaseRequestStore(
  db: Db,
  validMs: number,
  maxPending = MAX_PENDING_SAML_REQUESTS,
): CacheProvider {
  return {
    async saveAsync(key: string, value: string): Promise<CacheItem | null> {
      const createdAt = new Date(value);
      const at = Number.isNaN(createdAt.getTime()) ? new Date() : createdAt;
      // Requests never answered (the user closed the tab) go when the next one is sent.
      await deleteSamlRequestsBefore(db, new Date(at.getTime() - validMs));
      if ((await countSamlRequestsSince(db, new Date(at.getTime() - validMs))) >= maxPending) {
        throw new TooManyPendingRequests();
      }
      await insertSamlRequest(db, key, at);
      return { value: at.toISOString(), createdAt: at.getTime() };
    },
    async getAsync(key: string): Promise<string | null> {
      if (key.length > 128) return null;
      const at = await findSamlRequest(db, key, new Date(Date.now() - validMs));
      return at ? at.toISOString() : null;
    },
    async removeAsync(key: string | null): Promise<string | null> {
      if (key === null || key.length > 128) return null;
      const at = await deleteSamlRequest(db, key);
      return at ? at.toISOString() : null;
    },
  };
}
