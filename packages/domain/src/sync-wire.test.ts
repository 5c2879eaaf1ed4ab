import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseEvent } from './schemas';
import { packEvents, packId, type SyncedEvent, unpackEvents, unpackId } from './sync-wire';

const sara = { id: '7ff80c72-a22f-4d2b-afd7-074712ec488d', namn: 'Sara Nyström' };
const hugo = { id: '4db54bc4-391f-4cc9-98ce-8f7d471fba9a', namn: 'Hugo Haddad' };
const b1 = 'f982af3e-8f92-4af2-942d-0cf17217c9e7';
const b2 = '22db32ba-df62-4a02-8801-d09444500ac7';

function synced(event: CaseEvent, recordedBy = sara): SyncedEvent {
  return { ...event, recordedBy };
}

const events: SyncedEvent[] = [
  synced({
    id: '6819ad1d-6ec1-4d6a-a5da-8f3cacfbefa2',
    decisionId: b1,
    type: 'erbjudande',
    date: '2026-05-02',
    recordedAt: '2026-05-02T07:31:12.004Z',
  } as CaseEvent),
  synced(
    {
      id: '0a550b4d-e4a6-4f03-8c94-ad4235233f2b',
      decisionId: b2,
      type: 'anteckning',
      date: '2026-06-02',
      recordedAt: '2026-06-02T06:00:00.000Z',
      text: 'Ringt den enskilde.',
    } as CaseEvent,
    hugo,
  ),
  synced({
    id: 'b3db6871-2268-4e82-9098-dd677413c0c0',
    decisionId: b1,
    type: 'makulering',
    date: '2026-05-03',
    recordedAt: '2026-05-03T08:00:00.000Z',
    // A voided event's id inside an event's fields stays as it is.
    makulerarId: '6819ad1d-6ec1-4d6a-a5da-8f3cacfbefa2',
    text: 'Fel beslut',
  } as CaseEvent),
];

describe('packed sync events', () => {
  it('come back exactly as they went, grouped by decision', () => {
    const unpacked = unpackEvents(packEvents(events));
    expect(unpacked).toEqual([events[0], events[2], events[1]]);
  });

  it('name each author once and each decision once', () => {
    const packed = packEvents(events);
    expect(packed.users).toEqual([sara, hugo]);
    expect(Object.keys(packed.events)).toEqual([b1, b2]);
    const sent = JSON.stringify(packed);
    expect(sent.split(b1)).toHaveLength(2);
    expect(sent.split('Sara Nyström')).toHaveLength(2);
    // The voided event's id in the makulering's fields is not packed.
    expect(sent).toContain('"makulerarId":"6819ad1d-6ec1-4d6a-a5da-8f3cacfbefa2"');
  });

  it('survive JSON, as they travel', () => {
    const packed = JSON.parse(JSON.stringify(packEvents(events)));
    expect(unpackEvents(packed)).toEqual([events[0], events[2], events[1]]);
  });

  it('refuse an event whose author is not on the page', () => {
    const packed = packEvents(events);
    packed.users.pop();
    expect(() => unpackEvents(packed)).toThrow(/names no user/);
  });
});

describe('packed ids', () => {
  it('pack a UUID to 22 characters and back', () => {
    fc.assert(
      fc.property(fc.uuid(), (uuid) => {
        const packed = packId(uuid);
        expect(packed).toMatch(/^[A-Za-z0-9_-]{22}$/);
        // The same as a general encoder's (Node's, as an independent check).
        expect(packed).toBe(Buffer.from(uuid.replaceAll('-', ''), 'hex').toString('base64url'));
        expect(unpackId(packed)).toBe(uuid);
      }),
    );
  });

  it('keep any other id as it is, even one that looks packed', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100 }), (id) => {
        expect(unpackId(packId(id))).toBe(id);
      }),
    );
    for (const id of [
      'e0001',
      'ABCDEFGHIJKLMNOPQRSTUV',
      '6819AD1D-6EC1-4D6A-A5DA-8F3CACFBEFA2',
      '~x',
    ]) {
      expect(unpackId(packId(id))).toBe(id);
    }
  });

  it('refuse a packed id of the wrong length', () => {
    expect(() => unpackId('abc')).toThrow();
    expect(() => unpackId('aBcDeFgHiJkLmNoPqRsTu=')).toThrow();
    // Bits beyond the 128th set: no UUID packs to it.
    expect(() => unpackId('AAAAAAAAAAAAAAAAAAAAAB')).toThrow();
  });
});
