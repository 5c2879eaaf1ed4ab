import { describe, expect, it } from 'vitest';
import { isKeptOnDevice, settledOn, syncWindowStart } from './sync-window';
import { decision, ev } from './testing/fixtures';

describe('the sync window', () => {
  it('starts the configured number of months before today, clamped at a month end', () => {
    expect(syncWindowStart('2026-12-07', 13)).toBe('2025-11-07');
    expect(syncWindowStart('2026-03-31', 1)).toBe('2026-02-28');
  });

  it('keeps a waiting decision from any year, and a settled one only from the window on', () => {
    const start = syncWindowStart('2026-12-07', 13);
    expect(isKeptOnDevice(null, start)).toBe(true);
    expect(isKeptOnDevice('2025-11-07', start)).toBe(true);
    expect(isKeptOnDevice('2025-11-06', start)).toBe(false);
  });
});

describe('settledOn', () => {
  it('is null while the decision waits, also again after an avbrott', () => {
    expect(settledOn(decision('2019-03-01'), [])).toBeNull();
    const events = [
      ev({ type: 'verkstalld', date: '2019-05-01' }),
      ev({ type: 'avbrott', date: '2020-01-10', text: 'Flyttade' }),
    ];
    expect(settledOn(decision('2019-03-01'), events)).toBeNull();
  });

  it('is the last event date once executed, a later note included', () => {
    const events = [
      ev({ type: 'verkstalld', date: '2025-05-01' }),
      ev({ type: 'anteckning', date: '2025-09-12', text: 'Uppföljning' }),
    ];
    expect(settledOn(decision('2025-03-01'), events)).toBe('2025-09-12');
  });

  it('waits again when the execution is voided', () => {
    const executed = ev({ type: 'verkstalld', date: '2025-05-01' });
    const voided = ev({
      type: 'makulering',
      date: '2025-05-02',
      makulerarId: executed.id,
      text: 'Fel beslut',
    });
    expect(settledOn(decision('2025-03-01'), [executed, voided])).toBeNull();
  });
});
