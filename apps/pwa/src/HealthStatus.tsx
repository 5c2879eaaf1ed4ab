import { useEffect, useState } from 'react';
import { fetchHealth, type HealthState, healthText, healthTone } from './health';

const RECHECK_MS = 30_000;

/** Keeps the connection state up to date: on start, every 30 s, and when the network changes. */
export function useHealth(check: () => Promise<HealthState> = fetchHealth): HealthState {
  const [state, setState] = useState<HealthState>({ status: 'checking' });

  useEffect(() => {
    let active = true;
    const refresh = () => {
      check().then((next) => {
        if (active) setState(next);
      });
    };
    const goneOffline = () => setState({ status: 'offline' });
    refresh();
    const timer = setInterval(refresh, RECHECK_MS);
    window.addEventListener('online', refresh);
    window.addEventListener('offline', goneOffline);
    return () => {
      active = false;
      clearInterval(timer);
      window.removeEventListener('online', refresh);
      window.removeEventListener('offline', goneOffline);
    };
  }, [check]);

  return state;
}

export function HealthStatus({ check }: { check?: () => Promise<HealthState> }) {
  const state = useHealth(check);
  return (
    <p className="health" role="status" data-tone={healthTone(state)}>
      <span className="health-marker" aria-hidden="true" />
      {healthText(state)}
    </p>
  );
}
