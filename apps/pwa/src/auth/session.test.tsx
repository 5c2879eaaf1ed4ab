import 'fake-indexeddb/auto';
import type { CaseEvent } from '@evb/domain';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthStatus } from '../api/client';
import { type Me, ServicesContext } from '../app/context';
import {
  getMeta,
  type LocalDb,
  openLocalDb,
  recordSessionEnd,
  type SessionEnd,
  type StoredDecision,
  setMeta,
} from '../local/db';
import { draftKey, loadDraft, saveDraft } from '../local/drafts';
import type { SyncEngine } from '../sync/engine';
import { SignIn } from './SignIn';
import { loadSession, type Session, sessionEndedMessage } from './session';

const mocks = vi.hoisted(() => ({ status: vi.fn(), login: vi.fn(), logout: vi.fn() }));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    auth: {
      status: { query: mocks.status },
      login: { mutate: mocks.login },
      logout: { mutate: mocks.logout },
    },
  },
}));

const ULLA = {
  id: 'u1',
  username: 'utforare',
  displayName: 'Ulla Utförare',
  roles: [],
} as unknown as Me;
const HANS = {
  id: 'u2',
  username: 'handlaggare',
  displayName: 'Hans Handläggare',
  roles: [],
} as unknown as Me;

const status = (over: Partial<AuthStatus>): AuthStatus => ({
  user: null,
  sessionEnded: null,
  idleTimeoutMinutes: 30,
  sessionMaxHours: 12,
  signInMethods: { oidc: false, saml: false, localPasswords: true },
  mfaEnrolmentRequired: false,
  ...over,
});

let db: LocalDb;
let n = 0;

/** The device as Ulla left it: a mirrored decision, one unsent change and one draft. */
async function ullasDevice(): Promise<void> {
  await setMeta(db, 'me', ULLA);
  await setMeta(db, 'cursor', 12);
  await setMeta(db, 'scopeKey', 'k');
  await db.put('decisions', { id: 'b1' } as StoredDecision);
  const event = {
    id: 'e1',
    decisionId: 'b1',
    type: 'anteckning',
    date: '2026-11-20',
    text: 'Ringde',
  };
  await db.put('outbox', {
    id: 'm1',
    mutation: { id: 'm1', kind: 'event', event: event as CaseEvent },
    createdAt: '2026-11-20T09:00:00.000Z',
    rejected: null,
  });
  await saveDraft(db, 'anteckning', 'b1', { text: 'Halvskrivet' });
}

beforeEach(async () => {
  db = await openLocalDb(`session-test-${++n}`);
  for (const mock of Object.values(mocks)) mock.mockReset();
});

afterEach(() => {
  cleanup();
  db.close();
});

describe('loadSession', () => {
  it('idle: signed out with the reason and the previous user, everything kept', async () => {
    await ullasDevice();
    mocks.status.mockResolvedValue(status({ sessionEnded: 'idle', idleTimeoutMinutes: 20 }));
    const session = await loadSession(db);
    expect(session).toMatchObject({
      state: 'signed-out',
      previous: { id: 'u1' },
      ended: { reason: 'idle' },
    });
    expect(await db.count('decisions')).toBe(1);
    expect(await db.count('outbox')).toBe(1);
    expect(await getMeta(db, 'idleMinutes')).toBe(20);
  });

  it('revoked: the mirrored decisions are wiped, the outbox and drafts stay', async () => {
    await ullasDevice();
    mocks.status.mockResolvedValue(status({ sessionEnded: 'revoked' }));
    const session = await loadSession(db);
    expect(session).toMatchObject({ state: 'signed-out', ended: { reason: 'revoked' } });
    expect(await db.count('decisions')).toBe(0);
    expect(await getMeta(db, 'cursor')).toBeUndefined();
    expect(await db.count('outbox')).toBe(1);
    expect(await loadDraft(db, draftKey('anteckning', 'b1'))).toBeDefined();
  });

  it('offline after the server ended the session: still asks for a sign-in', async () => {
    await ullasDevice();
    await recordSessionEnd(db, 'absolute');
    mocks.status.mockRejectedValue(new TypeError('Failed to fetch'));
    expect(await loadSession(db)).toMatchObject({
      state: 'signed-out',
      previous: { id: 'u1' },
      ended: { reason: 'absolute' },
    });
  });

  it('offline with the session not known to have ended: opens for the previous user', async () => {
    await ullasDevice();
    mocks.status.mockRejectedValue(new TypeError('Failed to fetch'));
    expect(await loadSession(db)).toMatchObject({ state: 'signed-in', me: { id: 'u1' } });
  });

  it('someone else signed in at the server while the device holds Ulla’s work: nothing is adopted', async () => {
    await ullasDevice();
    mocks.status.mockResolvedValue(status({ user: HANS as AuthStatus['user'] }));
    const session = await loadSession(db);
    expect(session).toMatchObject({
      state: 'signed-out',
      previous: { id: 'u1' },
      other: { id: 'u2' },
    });
    expect(await db.count('outbox')).toBe(1);
    expect((await getMeta<Me>(db, 'me'))?.id).toBe('u1');
  });

  it('the same user still signed in: carries on, the ended mark gone', async () => {
    await ullasDevice();
    await recordSessionEnd(db, 'idle');
    mocks.status.mockResolvedValue(status({ user: ULLA as AuthStatus['user'] }));
    expect(await loadSession(db)).toMatchObject({ state: 'signed-in', me: { id: 'u1' } });
    expect(await getMeta(db, 'ended')).toBeUndefined();
    expect(await db.count('outbox')).toBe(1);
  });
});

describe('sessionEndedMessage', () => {
  it('says why in Swedish, with the server’s limits when known', () => {
    expect(sessionEndedMessage('idle', { idleMinutes: 30 })).toBe(
      'Du har varit inaktiv i 30 minuter och har loggats ut. Logga in igen för att fortsätta.',
    );
    expect(sessionEndedMessage('idle', { idleMinutes: 1 })).toContain('inaktiv i 1 minut ');
    expect(sessionEndedMessage('absolute', { maxHours: 12 })).toMatch(
      /^Din inloggning har gått ut efter 12 timmar/,
    );
    expect(sessionEndedMessage('absolute')).toMatch(/^Din inloggning har gått ut/);
    expect(sessionEndedMessage('revoked')).toMatch(/^Din behörighet har ändrats eller tagits bort/);
    expect(sessionEndedMessage(null)).toMatch(/^Du har loggats ut/);
  });
});

function renderSignIn(session: Extract<Session, { state: 'signed-out' }>) {
  const signedIn = vi.fn();
  const engine = { signedIn, refresh: vi.fn() } as unknown as SyncEngine;
  const onSignedIn = vi.fn();
  render(
    <ServicesContext.Provider value={{ db, engine }}>
      <SignIn
        previous={session.previous}
        ended={session.ended}
        other={session.other}
        onSignedIn={onSignedIn}
      />
    </ServicesContext.Provider>,
  );
  return { signedIn, onSignedIn };
}

const ended = (reason: SessionEnd['reason']): SessionEnd => ({
  reason,
  at: '2026-11-20T10:00:00Z',
});

describe('the sign-in screen after the session ended', () => {
  it('idle: says so with the server’s idle time, fills in the username, lists what is kept; signing in as the same user keeps it and starts the sync', async () => {
    await ullasDevice();
    await setMeta(db, 'idleMinutes', 30);
    const { signedIn, onSignedIn } = renderSignIn({
      state: 'signed-out',
      previous: ULLA,
      ended: ended('idle'),
    });
    expect(
      await screen.findByText(
        'Du har varit inaktiv i 30 minuter och har loggats ut. Logga in igen för att fortsätta.',
      ),
    ).toBeTruthy();
    expect(
      await screen.findByText(
        /Det du har skrivit finns kvar på enheten: 1 ändring som väntar på att skickas .* och 1 påbörjat formulär/,
      ),
    ).toBeTruthy();
    expect((screen.getByLabelText('Användarnamn') as HTMLInputElement).value).toBe('utforare');

    mocks.login.mockResolvedValue({ id: 'u1' });
    mocks.status.mockResolvedValue(status({ user: ULLA as AuthStatus['user'] }));
    fireEvent.change(screen.getByLabelText('Lösenord'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Logga in' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(signedIn).toHaveBeenCalledWith('u1');
    expect(await db.count('outbox')).toBe(1);
    expect(await loadDraft(db, draftKey('anteckning', 'b1'))).toBeDefined();
    expect(await getMeta(db, 'ended')).toBeUndefined();
  });

  it('says when the browser dropped the sign-in because evb was opened over plain http', async () => {
    const secure = Object.getOwnPropertyDescriptor(window, 'isSecureContext');
    Object.defineProperty(window, 'isSecureContext', { value: false, configurable: true });
    try {
      renderSignIn({ state: 'signed-out', previous: null, ended: null });
      mocks.login.mockResolvedValue({ id: 'u1' });
      mocks.status.mockResolvedValue(status({ user: null }));
      fireEvent.change(screen.getByLabelText('Användarnamn'), { target: { value: 'utforare' } });
      fireEvent.change(screen.getByLabelText('Lösenord'), { target: { value: 'x' } });
      fireEvent.click(screen.getByRole('button', { name: 'Logga in' }));
      expect(
        await screen.findByText(/webbläsaren sparade den inte, eftersom evb nås över http/),
      ).toBeTruthy();
    } finally {
      if (secure) Object.defineProperty(window, 'isSecureContext', secure);
      else Reflect.deleteProperty(window, 'isSecureContext');
    }
  });

  it('absolute: says the sign-in has run out', async () => {
    await setMeta(db, 'me', ULLA);
    await setMeta(db, 'maxHours', 12);
    renderSignIn({ state: 'signed-out', previous: ULLA, ended: ended('absolute') });
    expect(await screen.findByText(/^Din inloggning har gått ut efter 12 timmar/)).toBeTruthy();
  });

  it('revoked: another user signing in must first choose to throw Ulla’s work away; nothing is sent as them', async () => {
    await ullasDevice();
    const { signedIn, onSignedIn } = renderSignIn({
      state: 'signed-out',
      previous: ULLA,
      ended: ended('revoked'),
    });
    expect(await screen.findByText(/^Din behörighet har ändrats eller tagits bort/)).toBeTruthy();

    mocks.login.mockResolvedValue({ id: 'u2' });
    mocks.status.mockResolvedValue(status({ user: HANS as AuthStatus['user'] }));
    fireEvent.change(screen.getByLabelText('Användarnamn'), { target: { value: 'handlaggare' } });
    fireEvent.change(screen.getByLabelText('Lösenord'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Logga in' }));
    expect(
      await screen.findByText(/1 ändring och 1 påbörjat formulär från Ulla Utförare/),
    ).toBeTruthy();
    expect(signedIn).not.toHaveBeenCalled();
    expect(await db.count('outbox')).toBe(1);

    fireEvent.click(screen.getByRole('button', { name: 'Ta bort ändringarna och fortsätt' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(signedIn).toHaveBeenCalledWith('u2');
    expect(await db.count('outbox')).toBe(0);
    expect(await db.count('drafts')).toBe(0);
    expect((await getMeta<Me>(db, 'me'))?.id).toBe('u2');
  });
});
