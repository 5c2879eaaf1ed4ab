import { todayInStockholm } from '@evb/domain';
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

let today: { minute: number; date: string } | null = null;

/**
 * Today in Sweden: every deadline is counted in Swedish days. Worked out once a minute, not on
 * every render of every card (a list renders it dozens of times).
 */
export function useToday(): string {
  const minute = Math.floor(Date.now() / 60_000);
  if (today?.minute !== minute) today = { minute, date: todayInStockholm() };
  return today.date;
}
