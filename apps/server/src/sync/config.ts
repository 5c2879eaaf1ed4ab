import { DEFAULT_SYNC_WINDOW_MONTHS } from '@evb/domain';

/** How sync behaves (env.ts reads it from SYNC_WINDOW_MONTHS). */
export type SyncConfig = {
  /** How many months a device keeps a decision after it settled (executed or closed). */
  windowMonths: number;
};

export const DEFAULT_SYNC_CONFIG: SyncConfig = { windowMonths: DEFAULT_SYNC_WINDOW_MONTHS };
