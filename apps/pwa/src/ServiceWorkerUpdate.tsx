import { useRegisterSW } from 'virtual:pwa-register/react';
import { UpdatePrompt } from './UpdatePrompt';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Registers the service worker. A new version does not take over by itself (that could reload
 * the page under someone's typing): it waits until the user chooses "Uppdatera".
 */
export function ServiceWorkerUpdate() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisteredSW(_url, registration) {
      // A tab that stays open all day still hears about new versions.
      if (registration) setInterval(() => registration.update(), HOUR_MS);
    },
  });
  if (!needRefresh) return null;
  return (
    <UpdatePrompt
      onUpdate={() => updateServiceWorker(true)}
      onLater={() => setNeedRefresh(false)}
    />
  );
}
