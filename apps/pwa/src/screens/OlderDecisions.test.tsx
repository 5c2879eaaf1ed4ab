import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServicesContext } from '../app/context';
import type { SyncEngine, SyncState } from '../sync/engine';
import { OlderDecisions } from './OlderDecisions';

/*
 * Issue 13: the lists' search reaches the older decisions the device does not keep, online.
 */

const mocks = vi.hoisted(() => ({ list: vi.fn() }));
vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: { decisions: { list: { query: mocks.list } } },
}));

const summary = (id: string, fornamn: string) => ({
  id,
  insatsLabel: 'Bostad med särskild service för vuxna',
  beslutsdatum: '2022-03-01',
  enhet: null,
  person: { fornamn, efternamn: 'Berg' },
  caseStatus: { waiting: false, state: 'avslutad', overThreeMonths: false, episode: null },
});

beforeEach(() => {
  mocks.list.mockReset().mockResolvedValue({
    items: [summary('on-device', 'Alva'), summary('older', 'Bo')],
    total: 2,
    nextOffset: null,
  });
});

afterEach(cleanup);

function renderSearch(search: string, online: boolean) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const sync = { online } as SyncState;
  const engine = { subscribe: () => () => {}, getState: () => sync } as unknown as SyncEngine;
  render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db: null as never, engine }}>
        <OlderDecisions search={search} onDevice={new Set(['on-device'])} />
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
}

describe('OlderDecisions', () => {
  it('online, lists the server’s matches that are not on the device, linking their pages', async () => {
    renderSearch('berg', true);
    const section = await screen.findByRole('region', { name: 'Äldre beslut' });
    const link = await within(section).findByRole('link', { name: 'Bo Berg' });
    expect(link.getAttribute('href')).toBe('/beslut/older');
    expect(within(section).queryByText('Alva Berg')).toBeNull();
    expect(mocks.list).toHaveBeenCalledTimes(1);
    expect(mocks.list).toHaveBeenCalledWith({ search: 'berg', sort: 'newest', limit: 50 });
  });

  it('offline, says older decisions are searched when connected', async () => {
    renderSearch('berg', false);
    expect(
      await screen.findByText(
        'Äldre beslut, som inte sparas på enheten, söks när du är ansluten till nätet.',
      ),
    ).toBeTruthy();
    expect(mocks.list).not.toHaveBeenCalled();
  });

  it('asks nothing for fewer than two characters', async () => {
    renderSearch('b', true);
    await new Promise((r) => setTimeout(r, 600));
    expect(screen.queryByRole('region', { name: 'Äldre beslut' })).toBeNull();
    expect(mocks.list).not.toHaveBeenCalled();
  });
});
