import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applicationServerKey, KontoPush } from './KontoPush';

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: { reminders: {} },
}));

afterEach(cleanup);

function renderPush(props: { pushAvailable: boolean; pushEnabled: boolean }) {
  const client = new QueryClient();
  return render(
    <QueryClientProvider client={client}>
      <KontoPush {...props} />
    </QueryClientProvider>,
  );
}

describe('KontoPush', () => {
  it('says push is not set up on the server, with no button', async () => {
    renderPush({ pushAvailable: false, pushEnabled: false });
    expect(await screen.findByText(/inte inställda på servern/)).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('says this browser cannot take push when it has no Push API', async () => {
    renderPush({ pushAvailable: true, pushEnabled: true });
    expect(await screen.findByText(/kan inte ta emot push-notiser/)).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('turns a base64url VAPID key into its bytes', () => {
    expect([...applicationServerKey('AQID_-8')]).toEqual([1, 2, 3, 255, 239]);
  });
});
