import { type IsoDate, todayInStockholm } from '@evb/domain';
import { readSessionCookie, sessionCookie, validateSessionToken } from '../auth/sessions';
import { type AuditEntry, insertAudit } from '../data/audit';
import { rolesOfUser } from '../data/users';
import type { Database, Db } from '../db/database';
import type { Role } from '../db/schema';

export type RoleGrant = {
  id: string;
  role: Role;
  namndId: string | null;
  verksamhetsomrade: string | null;
  enhetId: string | null;
};

export type AuthUser = {
  id: string;
  username: string;
  displayName: string;
  roles: RoleGrant[];
};

/** What the server lets a test replace: the clock and the wait after a failed sign-in. */
export type ServerClock = {
  now(): Date;
  sleep(ms: number): Promise<void>;
};

export const systemClock: ServerClock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type Context = {
  db: Db;
  databaseKind: Database['kind'];
  user: AuthUser | null;
  sessionId: string | null;
  clock: ServerClock;
  /** Today's date in Europe/Stockholm. */
  today(): IsoDate;
  /** Adds a Set-Cookie header to the response. */
  setCookie(value: string): void;
  /** Records who did what, in the caller's name. */
  audit(entry: Omit<AuditEntry, 'userId' | 'role'> & { role?: string | null }): Promise<void>;
};

export async function createContext(opts: {
  database: Database;
  req: Request;
  resHeaders: Headers;
  clock: ServerClock;
}): Promise<Context> {
  const { database, req, resHeaders, clock } = opts;
  const db = database.db;
  const setCookie = (value: string) => resHeaders.append('Set-Cookie', value);
  let user: AuthUser | null = null;
  let sessionId: string | null = null;
  const token = readSessionCookie(req.headers.get('cookie'));
  if (token) {
    const session = await validateSessionToken(db, token, clock.now());
    if (session) {
      sessionId = session.sessionId;
      user = { ...session.user, roles: await rolesOfUser(db, session.user.id) };
      if (session.renewed) setCookie(sessionCookie(token, session.expiresAt));
    }
  }
  return {
    db,
    databaseKind: database.kind,
    user,
    sessionId,
    clock,
    today: () => todayInStockholm(clock.now()),
    setCookie,
    audit: (entry) =>
      insertAudit(db, {
        ...entry,
        userId: user?.id ?? null,
        role: entry.role ?? user?.roles.map((r) => r.role).join(',') ?? null,
      }),
  };
}
