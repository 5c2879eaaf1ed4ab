import type { Db } from '../db/database';

export type AuditEntry = {
  userId: string | null;
  role: string | null;
  action: string;
  subjectType?: string | null;
  subjectId?: string | null;
  namndId?: string | null;
  details?: Record<string, unknown> | null;
};

export async function insertAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      userId: entry.userId,
      role: entry.role,
      action: entry.action,
      subjectType: entry.subjectType ?? null,
      subjectId: entry.subjectId ?? null,
      namndId: entry.namndId ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
    })
    .execute();
}
