import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useServices, useToday } from '../app/context';
import { byUrgency, type LocalCase, readCase, readCases } from './cases';
import { getMeta, type LocalDb } from './db';

/*
 * The screens read the phone's copy through TanStack Query (the cache is only a view of
 * IndexedDB); every change the sync engine makes invalidates the 'local' queries.
 */

export function useLocalInvalidation(): void {
  const { engine } = useServices();
  const client = useQueryClient();
  useEffect(
    () => engine.onDataChange(() => void client.invalidateQueries({ queryKey: ['local'] })),
    [engine, client],
  );
}

function useLocal<T>(key: unknown[], read: (db: LocalDb) => Promise<T>) {
  const { db } = useServices();
  return useQuery({
    queryKey: ['local', ...key],
    queryFn: () => read(db),
    networkMode: 'always',
    staleTime: Number.POSITIVE_INFINITY,
    // Each read is a fresh copy from IndexedDB: comparing it deeply with the last one (thousands of
    // decisions) costs the main thread more than re-rendering.
    structuralSharing: false,
  });
}

/** Every decision on the phone, the most urgent first. */
export function useCases() {
  const today = useToday();
  return useLocal(['cases', today], async (db) => (await readCases(db, today)).sort(byUrgency));
}

export function useCase(id: string) {
  const today = useToday();
  return useLocal(['case', id, today], (db): Promise<LocalCase | null> => readCase(db, id, today));
}

export type OrgOverview = {
  namnder: {
    id: string;
    namn: string;
    mayRegister: boolean;
    verksamhetsomraden: { code: string; label: string }[];
    enheter: { id: string; namn: string; typ: string }[];
  }[];
};

/** The organisation as last synced: names of units and nämnder, offline too. */
export function useOrg() {
  return useLocal(['org'], async (db) => (await getMeta<OrgOverview>(db, 'org')) ?? null);
}

export function enhetNamn(org: OrgOverview | null | undefined, id: string | null): string | null {
  if (!id || !org) return null;
  for (const n of org.namnder) {
    const e = n.enheter.find((x) => x.id === id);
    if (e) return e.namn;
  }
  return null;
}

/** The forms with a saved draft on a decision. */
export function useDraftForms(decisionId: string) {
  return useLocal(['drafts', decisionId], async (db) => {
    const all = await db.getAll('drafts');
    return new Set(all.filter((d) => d.decisionId === decisionId).map((d) => d.form));
  });
}

/** After a form saved or threw away its draft outside the sync engine. */
export function useRefreshDrafts(): () => void {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: ['local', 'drafts'] });
}
