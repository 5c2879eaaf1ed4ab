// Web Push in the service worker (issue 12), loaded by the generated worker with importScripts
// (vite.config.ts: workbox.importScripts); the precache and routing stay Workbox's. A push holds
// { title, body, url } — counts and kinds of task and a path in evb, never a person (the server's
// reminder-push.ts) — and is shown as a notification; a click focuses an open evb window, or
// opens the path. Only paths of this origin are opened.

/** The path to open, when the payload's url is one of this origin's; '/' otherwise. */
function evbPath(url) {
  try {
    const target = new URL(typeof url === 'string' ? url : '/', self.location.origin);
    if (target.origin !== self.location.origin) return '/';
    return `${target.pathname}${target.search}${target.hash}`;
  } catch {
    return '/';
  }
}

self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = {};
  }
  const title = typeof message.title === 'string' && message.title ? message.title : 'evb';
  const body =
    typeof message.body === 'string' && message.body
      ? message.body
      : 'Du har uppgifter att göra i evb.';
  event.waitUntil(
    self.registration.showNotification(title, {
      body,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      lang: 'sv',
      tag: 'evb-paminnelse',
      data: { url: evbPath(message.url) },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const path = evbPath(event.notification.data?.url);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) {
        await open.focus();
        if ('navigate' in open && new URL(open.url).pathname !== path) {
          await open.navigate(path).catch(() => {});
        }
        return;
      }
      await self.clients.openWindow(path);
    })(),
  );
});
