import { IsoDateSchema } from '@evb/domain';
import { z } from 'zod';
import type { SnapshotPosition } from '../data/sync';

/*
 * The cursor a pull returns and the device sends back, opaque to it: where a first sync stands,
 * or the seq and window after which later pulls read changes.
 *
 * - `snapshot`: a first sync, sending the decisions the device keeps page by page, most urgent
 *   first. `seq` is the last change before it began: afterwards, pulls read the changes after it
 *   (a row written while the pages went out may come twice; the device stores by id). `total` and
 *   `done` count decisions, for the device to say how far it has come.
 * - `changes`: later pulls, after `seq`. `window` is the first day of the window the device keeps:
 *   when today's starts later, the decisions that settled in between are for it to forget.
 */
export type SyncCursor =
  | {
      phase: 'snapshot';
      seq: number;
      window: string;
      after: SnapshotPosition | null;
      total: number;
      done: number;
    }
  | { phase: 'changes'; seq: number; window: string };

const seqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const countSchema = z.number().int().min(0).max(100_000_000);

const CursorSchema = z.discriminatedUnion('phase', [
  z.object({
    phase: z.literal('snapshot'),
    seq: seqSchema,
    window: IsoDateSchema,
    after: z
      .object({
        urgency: z.number().int().min(-1_000_000).max(1_000_000),
        id: z.string().min(1).max(100),
      })
      .nullable(),
    total: countSchema,
    done: countSchema,
  }),
  z.object({ phase: z.literal('changes'), seq: seqSchema, window: IsoDateSchema }),
]);

const PREFIX = 'v2.';

export function encodeCursor(cursor: SyncCursor): string {
  return PREFIX + Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor in this text, or null when it is none this server gave (the device starts over). */
export function decodeCursor(text: string): SyncCursor | null {
  if (!text.startsWith(PREFIX)) return null;
  try {
    const parsed = CursorSchema.safeParse(
      JSON.parse(Buffer.from(text.slice(PREFIX.length), 'base64url').toString('utf8')),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
