import { createContext, useContext, useSyncExternalStore } from 'react';
import type { RouterOutputs } from '../api/client';
import type { LocalDb } from '../local/db';
import type { SyncEngine, SyncState } from '../sync/engine';

export type Me = NonNullable<RouterOutputs['auth']['me']>;
export type Role = Me['roles'][number]['role'];

export type AppServices = { db: LocalDb; engine: SyncEngine };

export const ServicesContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside <ServicesContext>');
  return services;
}

export function useSyncState(): SyncState {
  const { engine } = useServices();
  return useSyncExternalStore(engine.subscribe, engine.getState);
}

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside a signed-in screen');
  return me;
}

export function hasRole(me: Me, ...roles: Role[]): boolean {
  return me.roles.some((g) => roles.includes(g.role));
}

/** 01:00 UTC on the last Sunday of a month (0-based) of a year: when Sweden changes its clocks. */
function lastSundayAt1Utc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
}

/**
 * The date in Sweden at `now`, without Intl: summer time (UTC+2) from the last Sunday of March to
 * the last Sunday of October, at 01:00 UTC both (the EU's rule since 1996), UTC+1 otherwise. The
 * same as the domain's todayInStockholm (tested hour by hour), but the first screen needs no time
 * zone data: loading it holds a phone's main thread for a long moment.
 */
export function swedishDate(now: Date = new Date()): string {
  return swedishClock(now).slice(0, 10);
}

/** The date and time in Sweden at `at`, as "2026-12-07T19:05" (see {@link swedishDate}). */
export function swedishClock(at: Date): string {
  const t = at.getTime();
  const year = at.getUTCFullYear();
  const summer = t >= lastSundayAt1Utc(year, 2) && t < lastSundayAt1Utc(year, 9);
  return new Date(t + (summer ? 2 : 1) * 3_600_000).toISOString().slice(0, 16);
}

let today: { minute: number; date: string } | null = null;

/**
 * Today in Sweden: every deadline is counted in Swedish days. Worked out once a minute, not on
 * every render of every card (a list renders it dozens of times).
 */
export function useToday(): string {
  const minute = Math.floor(Date.now() / 60_000);
  if (today?.minute !== minute) today = { minute, date: swedishDate() };
  return today.date;
}
