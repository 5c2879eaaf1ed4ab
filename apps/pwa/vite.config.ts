import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// @evb/domain is pure (its package says "no I/O"): a module of it whose exports a chunk does not
// use is left out, so the first screen does not build the zod schemas of forms it does not show.
const treeshake = {
  moduleSideEffects: (id: string) => !/[\\/]packages[\\/]domain[\\/]src[\\/]/.test(id),
};

// `vite dev` sends /api to the server, which listens on PORT (3000 unless set).
const apiTarget = `http://localhost:${process.env.PORT || '3000'}`;

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      // A new version waits until the user chooses to update: reloading on its own could
      // throw away what someone is typing.
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg', 'apple-touch-icon.png'],
      manifest: {
        name: 'evb – ej verkställda beslut',
        short_name: 'evb',
        description:
          'Uppföljning och kvartalsrapportering till IVO av beslut enligt SoL och LSS som inte har verkställts inom tre månader.',
        lang: 'sv',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#1a4480',
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: '/icons/icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/index.html',
        // The API is never answered from the cache.
        navigateFallbackDenylist: [/^\/api(\/|$)/],
        cleanupOutdatedCaches: true,
        // On a first visit the new worker takes the open page at once, so the screens that load on
        // demand come from its cache when the network goes (an update still waits for the user).
        clientsClaim: true,
        // Web Push's push and notificationclick handlers (public/push-sw.js), beside Workbox's
        // precache and routing, which stay as generated.
        importScripts: ['/push-sw.js'],
      },
    }),
  ],
  build: { rollupOptions: { treeshake } },
  // The sync worker (src/sync/pull-worker.ts) is bundled on its own, the same way.
  worker: { format: 'es', rollupOptions: { treeshake } },
  server: {
    proxy: { '/api': apiTarget },
  },
  preview: {
    proxy: { '/api': apiTarget },
  },
});
