import {
  decodeBase64urlIgnorePadding,
  decodeHex,
  encodeBase64urlNoPadding,
  encodeHexLowerCase,
} from '@oslojs/encoding';
import type { CaseEvent } from './schemas';

/*
 * How a sync page carries events over the wire (sync.pullPacked), shared by the server that packs
 * and the device that unpacks, so the two cannot drift apart.
 *
 * A first sync sends tens of thousands of events. As plain JSON each repeats its decision's id and
 * who logged it (id and name), and its own id as 36 hex characters. Packed, the events are grouped
 * under their decision's id, who logged them is an index into the page's `users`, and an event's
 * UUID is its 16 bytes in base64url (22 characters: packId). On the benchmark's data that is 40 % fewer
 * bytes before compression and 20 % fewer after it; what is left is mostly the ids themselves,
 * which are random and do not compress.
 */

/** Who logged an event, as a device shows it and decides who may void it. */
export type EventAuthor = { id: string; namn: string };

/** A synced event as the device keeps it. */
export type SyncedEvent = CaseEvent & { recordedBy: EventAuthor };

/** An event on the wire: without its decision's id (its group says it), `by` indexes `users`. */
export type PackedEvent = Omit<CaseEvent, 'id' | 'decisionId'> & { id: string; by: number };

export type PackedEvents = {
  /** Who logged the page's events, each once. */
  users: EventAuthor[];
  /** The page's events by their decision's id, in the order they were given. */
  events: Record<string, PackedEvent[]>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Marks an id sent as it is: not a base64url character, so never the start of a packed UUID. */
const AS_IS = '~';

/**
 * An event id for the wire: a UUID as the devices make them (lower case, with dashes) as its 16
 * bytes in base64url, 22 characters; any other id (an import's, a test's) as it is, marked.
 */
export function packId(id: string): string {
  return UUID.test(id) ? encodeBase64urlNoPadding(decodeHex(id.replaceAll('-', ''))) : AS_IS + id;
}

/** The id that packId packed. */
export function unpackId(packed: string): string {
  if (packed.startsWith(AS_IS)) return packed.slice(AS_IS.length);
  const bytes = decodeBase64urlIgnorePadding(packed);
  if (bytes.length !== 16) throw new Error('not a packed id');
  const hex = encodeHexLowerCase(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function packEvents(events: readonly SyncedEvent[]): PackedEvents {
  const users: EventAuthor[] = [];
  const userIndex = new Map<string, number>();
  const byDecision = new Map<string, PackedEvent[]>();
  for (const event of events) {
    const { id, decisionId, recordedBy, ...fields } = event;
    let by = userIndex.get(recordedBy.id);
    if (by === undefined) {
      by = users.length;
      users.push({ id: recordedBy.id, namn: recordedBy.namn });
      userIndex.set(recordedBy.id, by);
    }
    const group = byDecision.get(decisionId) ?? [];
    if (group.length === 0) byDecision.set(decisionId, group);
    group.push({ ...fields, id: packId(id), by } as PackedEvent);
  }
  return { users, events: Object.fromEntries(byDecision) };
}

/** The events that packEvents packed, grouped by decision in the order of the groups. */
export function unpackEvents({ users, events }: PackedEvents): SyncedEvent[] {
  const unpacked: SyncedEvent[] = [];
  for (const [decisionId, group] of Object.entries(events)) {
    for (const { id, by, ...fields } of group) {
      const recordedBy = users[by];
      if (!recordedBy) throw new Error(`event ${id} names no user of the page`);
      unpacked.push({ ...fields, id: unpackId(id), decisionId, recordedBy } as SyncedEvent);
    }
  }
  return unpacked;
}
