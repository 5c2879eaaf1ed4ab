import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useState } from 'react';
import { api, errorMessage } from '../api/client';

/*
 * Mitt konto's Push-notiser på den här enheten (issue 12): this browser subscribes to evb's Web
 * Push with the server's VAPID key, after the user allowed notifications, and the push channel is
 * turned on; off unsubscribes on both sides. Nothing is on by default. A push message holds counts
 * and kinds of task and a link, never a person (the service worker shows it: public/push-sw.js).
 */

export type PushState =
  | 'checking'
  /** The server has no VAPID keys. */
  | 'unconfigured'
  /** No service worker, Push API or Notifications here. */
  | 'unsupported'
  /** The user (or policy) blocked notifications for evb. */
  | 'blocked'
  | 'off'
  | 'on';

const STATE_TEXT: Record<PushState, string> = {
  checking: 'Kontrollerar push-notiser…',
  unconfigured:
    'Push-notiser är inte inställda på servern. Kontakta den som driftar evb om du vill ha dem.',
  unsupported: 'Den här webbläsaren kan inte ta emot push-notiser från evb.',
  blocked:
    'Notiser från evb är blockerade i webbläsaren. Tillåt notiser för evb i webbläsarens inställningar för webbplatsen och försök igen.',
  off: 'Push-notiser är avstängda på den här enheten.',
  on: 'Push-notiser är på: den här enheten får en notis varje arbetsdagsmorgon när du har uppgifter att göra.',
};

function pushSupported(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    'serviceWorker' in navigator &&
    typeof window !== 'undefined' &&
    'PushManager' in window &&
    'Notification' in window
  );
}

async function registration(): Promise<ServiceWorkerRegistration | null> {
  return (await navigator.serviceWorker.getRegistration()) ?? null;
}

/** A VAPID key in base64url as the bytes pushManager.subscribe wants. */
export function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function KontoPush({
  pushAvailable,
  pushEnabled,
}: {
  pushAvailable: boolean;
  pushEnabled: boolean;
}) {
  const id = useId();
  const client = useQueryClient();
  const [state, setState] = useState<PushState>('checking');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const check = useCallback(async () => {
    if (!pushAvailable) return setState('unconfigured');
    if (!pushSupported()) return setState('unsupported');
    if (Notification.permission === 'denied') return setState('blocked');
    const reg = await registration();
    if (!reg) return setState('unsupported');
    const subscription = await reg.pushManager.getSubscription();
    setState(subscription && pushEnabled ? 'on' : 'off');
  }, [pushAvailable, pushEnabled]);

  useEffect(() => {
    void check().catch(() => setState('unsupported'));
  }, [check]);

  async function turnOn() {
    setBusy(true);
    setError(null);
    try {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        setState(permission === 'denied' ? 'blocked' : 'off');
        return;
      }
      const { publicKey } = await api.reminders.pushConfig.query();
      const reg = await registration();
      if (!publicKey || !reg) {
        setState(publicKey ? 'unsupported' : 'unconfigured');
        return;
      }
      const subscription =
        (await reg.pushManager.getSubscription()) ??
        (await reg.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: applicationServerKey(publicKey),
        }));
      const json = subscription.toJSON();
      const endpoint = json.endpoint ?? subscription.endpoint;
      await api.reminders.pushSubscribe.mutate({
        endpoint,
        keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
      });
      await api.reminders.setPush.mutate({ enabled: true, endpoint });
      setState('on');
      await client.invalidateQueries({ queryKey: ['reminders'] });
    } catch (cause) {
      setError(`Push-notiser kunde inte slås på. ${errorMessage(cause)}`);
    } finally {
      setBusy(false);
    }
  }

  async function turnOff() {
    setBusy(true);
    setError(null);
    try {
      const subscription = await (await registration())?.pushManager.getSubscription();
      if (subscription) {
        await api.reminders.pushUnsubscribe.mutate({ endpoint: subscription.endpoint });
        await subscription.unsubscribe();
      }
      setState('off');
      await client.invalidateQueries({ queryKey: ['reminders'] });
    } catch (cause) {
      setError(`Push-notiser kunde inte stängas av. ${errorMessage(cause)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={`${id}-heading`} data-testid="push-section">
      <h3 id={`${id}-heading`}>Push-notiser på den här enheten</h3>
      <p>
        En notis på den här datorn eller telefonen varje arbetsdagsmorgon, med hur många uppgifter
        av varje slag du har och en länk till evb, utan personuppgifter. Varje enhet slås på för
        sig.
      </p>
      <p role="status" id={`${id}-state`}>
        {STATE_TEXT[state]}
      </p>
      {error && (
        <p className="notice notice-danger" role="alert">
          {error}
        </p>
      )}
      {(state === 'off' || state === 'on') && (
        <div className="actions">
          {state === 'off' ? (
            <button
              type="button"
              className="button-primary"
              disabled={busy}
              aria-describedby={`${id}-state`}
              onClick={() => void turnOn()}
            >
              {busy ? 'Slår på…' : 'Slå på push-notiser'}
            </button>
          ) : (
            <button
              type="button"
              disabled={busy}
              aria-describedby={`${id}-state`}
              onClick={() => void turnOff()}
            >
              {busy ? 'Stänger av…' : 'Stäng av push-notiser'}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
