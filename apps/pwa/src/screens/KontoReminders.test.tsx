import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { TRPCClientError } from '@trpc/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KontoReminders } from './KontoReminders';

const mocks = vi.hoisted(() => ({
  get: vi.fn(),
  set: vi.fn(),
  create: vi.fn(),
  revoke: vi.fn(),
}));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    reminders: {
      get: { query: mocks.get },
      set: { mutate: mocks.set },
      createCalendarFeed: { mutate: mocks.create },
      revokeCalendarFeed: { mutate: mocks.revoke },
    },
  },
}));

vi.mock('./admin-form', () => ({ OnlineOnlyNotice: () => null }));

const PREFS = {
  kinds: ['uppfoljning', 'meddelande'],
  emailDigest: false,
  horizonDays: 7,
  horizon: { min: 0, max: 60 },
  hasEmail: true,
  emailAvailable: true,
  calendarCreatedAt: null,
  dueNow: [
    {
      kind: 'uppfoljning',
      count: 3,
      overdue: 1,
      text: '3 uppföljningssamtal att göra',
      path: '/uppfoljningar',
    },
  ],
};

beforeEach(() => {
  mocks.get.mockReset().mockResolvedValue(PREFS);
  mocks.set.mockReset().mockResolvedValue({ ok: true });
  mocks.create.mockReset();
  mocks.revoke.mockReset().mockResolvedValue({ revoked: true });
});

afterEach(cleanup);

function renderSection() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <KontoReminders />
    </QueryClientProvider>,
  );
}

describe('KontoReminders', () => {
  it('sends nothing by default, and saves the choice of e-mail and days', async () => {
    renderSection();
    const box = (await screen.findByLabelText(/påminnelse med e-post/)) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(
      screen.getByRole('link', { name: '3 uppföljningssamtal att göra' }).getAttribute('href'),
    ).toBe('/uppfoljningar');
    // One late: "försenad", in the singular.
    expect(
      screen.getByRole('link', { name: '3 uppföljningssamtal att göra' }).parentElement
        ?.textContent,
    ).toBe('3 uppföljningssamtal att göra, varav 1 försenad');
    fireEvent.click(box);
    fireEvent.change(screen.getByLabelText('Uppgifter som ska göras inom (dagar)'), {
      target: { value: '14' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Spara påminnelser' }));
    await waitFor(() =>
      expect(mocks.set).toHaveBeenCalledWith({ emailDigest: true, horizonDays: 14 }),
    );
    expect(await screen.findByText('Påminnelserna är sparade.')).toBeTruthy();
  });

  it('refuses a horizon out of bounds before sending', async () => {
    renderSection();
    const days = await screen.findByLabelText('Uppgifter som ska göras inom (dagar)');
    fireEvent.change(days, { target: { value: '61' } });
    expect(screen.getByText('Ange från 0 till 60 dagar')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Spara påminnelser' }));
    expect(mocks.set).not.toHaveBeenCalled();
  });

  it('explains why e-mail cannot be chosen without an address or an SMTP server', async () => {
    mocks.get.mockResolvedValue({ ...PREFS, hasEmail: false });
    renderSection();
    const box = (await screen.findByLabelText(/påminnelse med e-post/)) as HTMLInputElement;
    expect(box.disabled).toBe(true);
    expect(screen.getByText(/Du har ingen e-postadress i evb/)).toBeTruthy();
    cleanup();
    mocks.get.mockResolvedValue({ ...PREFS, emailAvailable: false });
    renderSection();
    expect(await screen.findByText(/ingen e-postserver är inställd/)).toBeTruthy();
  });

  it('shows the server’s refusal', async () => {
    mocks.set.mockRejectedValue(
      new TRPCClientError('Högst 60 dagar', {
        result: { error: { data: { httpStatus: 400 } } },
      } as never),
    );
    renderSection();
    fireEvent.click(await screen.findByRole('button', { name: 'Spara påminnelser' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Påminnelserna är inte sparade.',
    );
  });

  it('shows the calendar link once, and revokes it', async () => {
    mocks.create.mockResolvedValue({
      path: '/api/calendar/abc.ics',
      url: 'https://evb.kommun.se/api/calendar/abc.ics',
    });
    renderSection();
    fireEvent.click(await screen.findByRole('button', { name: 'Skapa kalenderlänk' }));
    const link = (await screen.findByLabelText('Din kalenderlänk')) as HTMLInputElement;
    expect(link.value).toBe('https://evb.kommun.se/api/calendar/abc.ics');
    expect(screen.getByText(/Prenumerera från webben/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Återkalla kalenderlänken' }));
    expect(await screen.findByText(/återkallad och fungerar inte längre/)).toBeTruthy();
    expect(screen.queryByLabelText('Din kalenderlänk')).toBeNull();
  });

  it('says when the role has no reminders', async () => {
    mocks.get.mockResolvedValue({ ...PREFS, kinds: [], dueNow: [] });
    renderSection();
    expect(await screen.findByText('Det finns inga påminnelser för din roll.')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
