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
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL_VALUE = new Map([...BASE64URL].map((c, i) => [c, i]));
const HEX = '0123456789abcdef';
/** The value of a lower-case hex digit's character code ('0'–'9' are 48–57, 'a'–'f' 97–102). */
const nibble = (code: number) => (code <= 57 ? code - 48 : code - 87);

/*
 * By hand rather than through a general encoder: a first sync packs a hundred thousand ids, and
 * this is a tenth of the time (the property tests check it against the UUIDs themselves).
 */

/**
 * An event id for the wire: a UUID as the devices make them (lower case, with dashes) as its 16
 * bytes in base64url, 22 characters; any other id (an import's, a test's) as it is, marked.
 */
export function packId(id: string): string {
  if (!UUID.test(id)) return AS_IS + id;
  const bytes = new Array<number>(16);
  for (let i = 0, at = 0; i < 16; i++, at += 2) {
    if (at === 8 || at === 13 || at === 18 || at === 23) at++; // a dash
    bytes[i] = (nibble(id.charCodeAt(at)) << 4) | nibble(id.charCodeAt(at + 1));
  }
  let packed = '';
  // Five groups of three bytes make 20 characters; the last byte makes two more.
  for (let i = 0; i < 15; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    packed +=
      BASE64URL[n >> 18]! +
      BASE64URL[(n >> 12) & 63]! +
      BASE64URL[(n >> 6) & 63]! +
      BASE64URL[n & 63]!;
  }
  const last = bytes[15]!;
  return packed + BASE64URL[last >> 2]! + BASE64URL[(last & 3) << 4]!;
}

/** The id that packId packed. */
export function unpackId(packed: string): string {
  if (packed.startsWith(AS_IS)) return packed.slice(AS_IS.length);
  if (packed.length !== 22) throw new Error('not a packed id');
  const values = [...packed].map((c) => {
    const value = BASE64URL_VALUE.get(c);
    if (value === undefined) throw new Error('not a packed id');
    return value;
  });
  let hex = '';
  const byte = (b: number) => HEX[b >> 4]! + HEX[b & 15]!;
  for (let i = 0; i < 20; i += 4) {
    const n = (values[i]! << 18) | (values[i + 1]! << 12) | (values[i + 2]! << 6) | values[i + 3]!;
    hex += byte(n >> 16) + byte((n >> 8) & 255) + byte(n & 255);
  }
  if ((values[21]! & 15) !== 0) throw new Error('not a packed id');
  hex += byte((values[20]! << 2) | (values[21]! >> 4));
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
