/** What the start page knows about its connection to the server. */
export type HealthState =
  | { status: 'checking' }
  | { status: 'connected'; database: 'pglite' | 'postgresql' }
  | { status: 'database-unavailable' }
  | { status: 'server-unreachable' }
  | { status: 'offline' };

/** Asks the server `GET /api/health` and tells what the answer means. Never rejects. */
export async function fetchHealth(
  fetchImpl: typeof fetch = fetch,
  isOnline: () => boolean = () => navigator.onLine,
): Promise<HealthState> {
  if (!isOnline()) return { status: 'offline' };
  let body: unknown;
  try {
    const response = await fetchImpl('/api/health', { cache: 'no-store' });
    body = await response.json();
  } catch {
    return isOnline() ? { status: 'server-unreachable' } : { status: 'offline' };
  }
  if (!isHealth(body)) return { status: 'server-unreachable' };
  return body.ok
    ? { status: 'connected', database: body.database }
    : { status: 'database-unavailable' };
}

function isHealth(value: unknown): value is { ok: boolean; database: 'pglite' | 'postgresql' } {
  if (typeof value !== 'object' || value === null) return false;
  const { ok, database } = value as Record<string, unknown>;
  return typeof ok === 'boolean' && (database === 'pglite' || database === 'postgresql');
}

/** The Swedish sentence the start page shows for a state. */
export function healthText(state: HealthState): string {
  switch (state.status) {
    case 'checking':
      return 'Kontrollerar anslutningen till servern …';
    case 'connected':
      return state.database === 'pglite'
        ? 'Ansluten – inbyggd databas (PGlite)'
        : 'Ansluten – PostgreSQL';
    case 'database-unavailable':
      return 'Servern svarar, men databasen går inte att nå just nu.';
    case 'server-unreachable':
      return 'Ingen kontakt med servern just nu. evb försöker igen om en stund.';
    case 'offline':
      return 'Du är offline. evb ansluter till servern igen när nätverket är tillbaka.';
  }
}

/** Whether a state is good news, for the colour of its marker. */
export function healthTone(state: HealthState): 'ok' | 'pending' | 'problem' {
  if (state.status === 'connected') return 'ok';
  if (state.status === 'checking') return 'pending';
  return 'problem';
}
