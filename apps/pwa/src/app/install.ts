import { useEffect, useState } from 'react';

/*
 * Installing evb as an app. Chromium-based browsers fire `beforeinstallprompt` when the app may be
 * installed: it is kept (its default mini-infobar prevented) so that a button of ours can show the
 * browser's own install dialog when the user asks. iOS has no such event: Safari installs from its
 * Share menu, so the user is told how. An app already running installed offers nothing.
 */

/** The event Chromium fires; not in TypeScript's DOM types. */
export type BeforeInstallPromptEvent = Event & {
  prompt: () => Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
};

let offered: BeforeInstallPromptEvent | null = null;
let installedNow = false;
const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};

if (typeof window !== 'undefined') {
  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    offered = event as BeforeInstallPromptEvent;
    notify();
  });
  window.addEventListener('appinstalled', () => {
    offered = null;
    installedNow = true;
    notify();
  });
}

/** True when the page runs as the installed app (its own window, not a browser tab). */
export function runsInstalled(): boolean {
  if (typeof window === 'undefined') return false;
  const standalone = (navigator as Navigator & { standalone?: boolean }).standalone === true;
  return standalone || window.matchMedia?.('(display-mode: standalone)').matches === true;
}

/** iPhone, iPod and iPad (an iPad says it is a Mac, but has a touch screen). */
export function isIos(userAgent: string, maxTouchPoints: number): boolean {
  return /iPhone|iPad|iPod/.test(userAgent) || (/Macintosh/.test(userAgent) && maxTouchPoints > 1);
}

export type InstallOffer =
  /** The browser lets evb be installed: a button shows its dialog. */
  | { kind: 'button'; install: () => Promise<void> }
  /** iOS: installed through Safari's Share menu. */
  | { kind: 'ios' }
  /** Installed just now, from this page. */
  | { kind: 'installed' }
  /** Nothing to offer: already installed, or the browser does not say it can. */
  | { kind: 'none' };

/** What the page can offer about installing evb, kept up to date as the browser says more. */
export function useInstallOffer(): InstallOffer {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const listener = () => setVersion((v) => v + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  if (installedNow) return { kind: 'installed' };
  if (runsInstalled()) return { kind: 'none' };
  if (offered) {
    const event = offered;
    return {
      kind: 'button',
      install: async () => {
        await event.prompt();
        const { outcome } = await event.userChoice;
        // The event can be used once; Chromium fires a new one if the user declined.
        offered = null;
        if (outcome === 'accepted') installedNow = true;
        notify();
      },
    };
  }
  if (isIos(navigator.userAgent, navigator.maxTouchPoints ?? 0)) return { kind: 'ios' };
  return { kind: 'none' };
}
