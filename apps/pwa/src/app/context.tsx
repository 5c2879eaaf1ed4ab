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

/** Today in Sweden: every deadline is counted in Swedish days. */
export function useToday(): string {
  return todayInStockholm();
}
