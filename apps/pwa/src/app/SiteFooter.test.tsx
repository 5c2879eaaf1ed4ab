import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Tillganglighet } from '../screens/Tillganglighet';
import { isIos } from './install';

// The install state is the page's (module state): each test gets a fresh copy of the modules.
let SiteFooter: typeof import('./SiteFooter').SiteFooter;
beforeEach(async () => {
  vi.resetModules();
  ({ SiteFooter } = await import('./SiteFooter'));
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** What Chromium fires when evb may be installed, with the user's answer to its dialog. */
function offerInstall(outcome: 'accepted' | 'dismissed') {
  const prompt = vi.fn(async () => {});
  const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
    prompt,
    userChoice: Promise.resolve({ outcome }),
  });
  act(() => {
    window.dispatchEvent(event);
  });
  return { prompt, event };
}

describe('SiteFooter', () => {
  it('links the accessibility statement, and offers nothing to install when the browser does not', () => {
    render(<SiteFooter />);
    const nav = screen.getByRole('navigation', { name: 'Om evb' });
    expect(nav.querySelector('a')?.getAttribute('href')).toBe('/tillganglighet');
    expect(screen.getByRole('link', { name: 'Tillgänglighetsredogörelse' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Installera evb' })).toBeNull();
  });

  it('offers a button when the browser allows installing, says what it gives, and shows its dialog', async () => {
    render(<SiteFooter />);
    const { prompt, event } = offerInstall('accepted');
    // The browser's own mini-infobar is held back for the button.
    expect(event.defaultPrevented).toBe(true);
    expect(screen.getByRole('heading', { level: 2, name: 'Installera evb' })).toBeTruthy();
    expect(screen.getByText(/fungerar utan nätverk/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Installera evb' }));
    expect(await screen.findByText(/evb är installerad/)).toBeTruthy();
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('button', { name: 'Installera evb' })).toBeNull();
  });

  it('tells iPhone and iPad users how to install from Safari', () => {
    expect(isIos('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1', 0)).toBe(
      true,
    );
    expect(isIos('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15', 5)).toBe(true);
    expect(isIos('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15', 0)).toBe(false);
    expect(isIos('Mozilla/5.0 (Linux; Android 15) Chrome/131.0 Mobile', 5)).toBe(false);
    Object.defineProperty(navigator, 'userAgent', {
      value: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1',
      configurable: true,
    });
    try {
      render(<SiteFooter />);
      expect(screen.getByRole('heading', { name: 'Installera evb' })).toBeTruthy();
      expect(screen.getByText(/öppna evb i Safari, tryck på/).textContent).toContain(
        'Lägg till på hemskärmen',
      );
      expect(screen.queryByRole('button', { name: 'Installera evb' })).toBeNull();
    } finally {
      delete (navigator as { userAgent?: string }).userAgent;
    }
  });
});

describe('Tillganglighet', () => {
  it('states the conformance, the known gaps, how to report and Digg as the supervisory authority', () => {
    render(<Tillganglighet />);
    expect(
      screen.getByRole('heading', { level: 1, name: 'Tillgänglighetsredogörelse för evb' }),
    ).toBeTruthy();
    expect(screen.getByText(/evb är delvis förenlig med lagen om tillgänglighet/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Innehåll som inte är tillgängligt' })).toBeTruthy();
    expect(screen.getByText(/PDF-filerna som evb skapar/)).toBeTruthy();
    expect(
      screen.getByRole('heading', { name: 'Rapportera brister i evb:s tillgänglighet' }),
    ).toBeTruthy();
    expect(screen.getByText(/Myndigheten för digital förvaltning \(Digg\)/)).toBeTruthy();
    expect(
      screen
        .getByRole('link', { name: 'Anmäl bristande tillgänglighet till Digg' })
        .getAttribute('href'),
    ).toBe('https://www.digg.se/tdosanmalan');
  });
});
