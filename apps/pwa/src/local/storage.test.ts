import { describe, expect, it, vi } from 'vitest';
import { PERSISTENCE_TEXT, persistence, requestPersistence } from './storage';

const storage = (persisted: boolean, grant: boolean) => ({
  persisted: vi.fn(async () => persisted),
  persist: vi.fn(async () => grant),
});

describe('persistent storage', () => {
  it('asks only when not yet persistent, and reports what the browser decided', async () => {
    const already = storage(true, false);
    expect(await requestPersistence(already)).toBe('granted');
    expect(already.persist).not.toHaveBeenCalled();

    const grants = storage(false, true);
    expect(await requestPersistence(grants)).toBe('granted');
    expect(grants.persist).toHaveBeenCalledOnce();

    expect(await requestPersistence(storage(false, false))).toBe('not-granted');
    expect(await requestPersistence(null)).toBe('unsupported');
  });

  it('reads the state without asking', async () => {
    const s = storage(false, true);
    expect(await persistence(s)).toBe('not-granted');
    expect(s.persist).not.toHaveBeenCalled();
    expect(await persistence(null)).toBe('unsupported');
  });

  it('tells the user what it means, in Swedish', () => {
    expect(PERSISTENCE_TEXT.granted.meaning).toMatch(
      /^Lagringen är beständig: utkast och osända ändringar raderas inte av webbläsaren/,
    );
    expect(PERSISTENCE_TEXT['not-granted'].meaning).toMatch(/^Beständig lagring är inte beviljad/);
  });
});
