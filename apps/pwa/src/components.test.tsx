import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HealthStatus } from './HealthStatus';
import type { HealthState } from './health';
import { UpdatePrompt } from './UpdatePrompt';

afterEach(cleanup);

describe('HealthStatus', () => {
  it('shows that it is checking, then what the server said', async () => {
    let answer: (state: HealthState) => void = () => {};
    const check = () =>
      new Promise<HealthState>((resolve) => {
        answer = resolve;
      });
    render(<HealthStatus check={check} />);
    const status = screen.getByRole('status');
    expect(status.textContent).toBe('Kontrollerar anslutningen till servern …');
    await act(async () => answer({ status: 'connected', database: 'pglite' }));
    expect(status.textContent).toBe('Ansluten – inbyggd databas (PGlite)');
    expect(status.dataset.tone).toBe('ok');
  });

  it('says so at once when the browser goes offline', async () => {
    const check = async (): Promise<HealthState> => ({
      status: 'connected',
      database: 'postgresql',
    });
    render(<HealthStatus check={check} />);
    expect(await screen.findByText('Ansluten – PostgreSQL')).toBeTruthy();
    act(() => {
      window.dispatchEvent(new Event('offline'));
    });
    expect(screen.getByRole('status').textContent).toBe(
      'Du är offline. evb ansluter till servern igen när nätverket är tillbaka.',
    );
  });

  it('checks again when the browser comes back online', async () => {
    const check = vi
      .fn<() => Promise<HealthState>>()
      .mockResolvedValueOnce({ status: 'server-unreachable' })
      .mockResolvedValue({ status: 'connected', database: 'pglite' });
    render(<HealthStatus check={check} />);
    expect(await screen.findByText(/Ingen kontakt med servern/)).toBeTruthy();
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    expect(screen.getByRole('status').textContent).toBe('Ansluten – inbyggd databas (PGlite)');
    expect(check).toHaveBeenCalledTimes(2);
  });
});

describe('UpdatePrompt', () => {
  it('asks in Swedish and updates only when the user chooses to', () => {
    const onUpdate = vi.fn();
    const onLater = vi.fn();
    render(<UpdatePrompt onUpdate={onUpdate} onLater={onLater} />);
    expect(screen.getByText('En ny version finns.')).toBeTruthy();
    expect(onUpdate).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Uppdatera' }));
    expect(onUpdate).toHaveBeenCalledOnce();
    fireEvent.click(screen.getByRole('button', { name: 'Senare' }));
    expect(onLater).toHaveBeenCalledOnce();
  });
});
