import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applicationServerKey, KontoPush } from './KontoPush';

const mocks = vi.hoisted(() => ({
  pushConfig: vi.fn(),
  pushSubscribe: vi.fn(),
  pushUnsubscribe: vi.fn(),
  setPush: vi.fn(),
}));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    reminders: {
      pushConfig: { query: mocks.pushConfig },
      pushSubscribe: { mutate: mocks.pushSubscribe },
      pushUnsubscribe: { mutate: mocks.pushUnsubscribe },
      setPush: { mutate: mocks.setPush },
    },
  },
}));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  Reflect.deleteProperty(navigator, 'serviceWorker');
});

const ENDPOINT = 'https://push.example/abc';

/** A browser with the Push API: a registration whose pushManager subscribes. */
function stubBrowser(permission: NotificationPermission) {
  let current: { endpoint: string; toJSON(): unknown; unsubscribe(): Promise<boolean> } | null =
    null;
  const subscribe = vi.fn(async () => {
    current = {
      endpoint: ENDPOINT,
      toJSON: () => ({
        endpoint: ENDPOINT,
        keys: { p256dh: 'p'.repeat(87), auth: 'a'.repeat(22) },
      }),
      unsubscribe: vi.fn(async () => {
        current = null;
        return true;
      }),
    };
    return current;
  });
  const registration = {
    pushManager: { getSubscription: async () => current, subscribe },
  };
  Object.defineProperty(navigator, 'serviceWorker', {
    configurable: true,
    value: { getRegistration: async () => registration },
  });
  vi.stubGlobal('PushManager', class {});
  vi.stubGlobal(
    'Notification',
    Object.assign(class {}, { permission, requestPermission: vi.fn(async () => 'granted') }),
  );
  return { subscribe };
}

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

  it('says notifications are blocked by the browser', async () => {
    stubBrowser('denied');
    renderPush({ pushAvailable: true, pushEnabled: false });
    expect(await screen.findByText(/blockerade i webbläsaren/)).toBeTruthy();
  });

  it('subscribes this device and turns push on, then off on both sides', async () => {
    const { subscribe } = stubBrowser('default');
    mocks.pushConfig.mockResolvedValue({ publicKey: 'AQID' });
    mocks.pushSubscribe.mockResolvedValue({ ok: true });
    mocks.setPush.mockResolvedValue({ ok: true });
    mocks.pushUnsubscribe.mockResolvedValue({ removed: true, devices: 0 });
    renderPush({ pushAvailable: true, pushEnabled: false });
    expect(await screen.findByText('Push-notiser är avstängda på den här enheten.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Slå på push-notiser' }));
    expect(await screen.findByText(/^Push-notiser är på/)).toBeTruthy();
    expect(subscribe).toHaveBeenCalledWith({
      userVisibleOnly: true,
      applicationServerKey: new Uint8Array([1, 2, 3]),
    });
    expect(mocks.pushSubscribe).toHaveBeenCalledWith({
      endpoint: ENDPOINT,
      keys: { p256dh: 'p'.repeat(87), auth: 'a'.repeat(22) },
    });
    expect(mocks.setPush).toHaveBeenCalledWith({ enabled: true, endpoint: ENDPOINT });

    fireEvent.click(screen.getByRole('button', { name: 'Stäng av push-notiser' }));
    expect(await screen.findByText('Push-notiser är avstängda på den här enheten.')).toBeTruthy();
    expect(mocks.pushUnsubscribe).toHaveBeenCalledWith({ endpoint: ENDPOINT });
  });

  it('turns a base64url VAPID key into its bytes', () => {
    expect([...applicationServerKey('AQID_-8')]).toEqual([1, 2, 3, 255, 239]);
  });
});
