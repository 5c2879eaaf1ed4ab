import type { FormDraft, LocalDb } from './db';

/** The key of a form's draft: one per form and decision ("ny" for a form without a decision). */
export function draftKey(form: string, decisionId: string | null): string {
  return `${form}:${decisionId ?? 'ny'}`;
}

export async function loadDraft(db: LocalDb, key: string): Promise<FormDraft | undefined> {
  return db.get('drafts', key);
}

/** Saved on every edit, so a reload, a closed app or a restarted phone loses nothing. */
export async function saveDraft(
  db: LocalDb,
  form: string,
  decisionId: string | null,
  data: Record<string, unknown>,
): Promise<void> {
  await db.put('drafts', {
    key: draftKey(form, decisionId),
    form,
    decisionId,
    data,
    updatedAt: new Date().toISOString(),
  });
}

export async function deleteDraft(db: LocalDb, key: string): Promise<void> {
  await db.delete('drafts', key);
}

export async function listDrafts(db: LocalDb): Promise<FormDraft[]> {
  return db.getAll('drafts');
}
