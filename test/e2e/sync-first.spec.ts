import { expect, type Page, type Route, test } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { DEMO_PASSWORD, goOffline, goOnline } from './support/session';

/*
 * Issue 13: a device's first sync goes in pages, says how far it has come, survives a reload in
 * the middle of it (resuming from its cursor), and ends holding exactly what the server keeps for
 * the user; an older decision, which the device does not keep, is read online when opened and
 * found by the lists' search.
 */

/** Small pages, so that the demo handläggare's first sync takes several. */
const PAGE = 4;

type Pulled = {
  cursor: string;
  more: boolean;
  reset: boolean;
  scopeKey: string;
  progress: { done: number; total: number } | null;
  decisions: { id: string }[];
};

/** A tRPC query through the page's own session (not through the page, so no route touches it). */
async function query<T>(page: Page, path: string, input: unknown): Promise<T> {
  const url = `/api/trpc/${path}?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: input }))}`;
  const response = await page.request.get(url);
  expect(response.ok(), `${path}: ${response.status()}`).toBe(true);
  const body = (await response.json()) as [{ result: { data: T } }];
  return body[0].result.data;
}

/** The ids of the decisions a complete first sync gives the signed-in user, in one go. */
async function fullSyncIds(page: Page): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (;;) {
    const pulled: Pulled = await query<Pulled>(page, 'sync.pullPacked', { cursor, limit: 500 });
    ids.push(...pulled.decisions.map((d) => d.id));
    if (!pulled.more) return ids;
    cursor = pulled.cursor;
  }
}

/** The ids of the decisions in the device's store (IndexedDB `evb`). */
function deviceIds(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('evb');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('decisions').objectStore('decisions').getAllKeys();
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            open.result.close();
            resolve(get.result as string[]);
          };
        };
      }),
  );
}

/** Recorded on the test, and printed, so a run says what it covered. */
function note(annotation: { type: string; description: string }): void {
  test.info().annotations.push(annotation);
  console.log(`${annotation.type}: ${annotation.description}`);
}

type PullSeen = { cursor: string | null; limit: number; reset: boolean | null; aborted: boolean };

/**
 * Routes every API request: a batch holding sync.pullPacked (the PWA's pull) gets its `limit`
 * rewritten to PAGE, its answer recorded, and each such answer is held back a moment so the bar's
 * progress can be seen.
 * `abortNth` aborts that pull (counted from 1) as a lost connection would.
 */
async function routePulls(page: Page, abortNth: number): Promise<PullSeen[]> {
  const seen: PullSeen[] = [];
  await page.route('**/api/trpc/**', async (route: Route) => {
    const url = new URL(route.request().url());
    const paths = url.pathname.split('/api/trpc/')[1]?.split(',') ?? [];
    const at = paths.indexOf('sync.pullPacked');
    const raw = url.searchParams.get('input');
    if (at < 0 || !raw) return route.continue();
    const input = JSON.parse(raw) as Record<string, { cursor: string | null; limit?: number }>;
    const pull = input[String(at)]!;
    pull.limit = PAGE;
    url.searchParams.set('input', JSON.stringify(input));
    const entry: PullSeen = { cursor: pull.cursor, limit: PAGE, reset: null, aborted: false };
    seen.push(entry);
    if (seen.length === abortNth) {
      entry.aborted = true;
      return route.abort('internetdisconnected');
    }
    const response = await route.fetch({ url: url.toString() });
    const body = (await response.json()) as { result?: { data?: Pulled } }[];
    entry.reset = body[at]?.result?.data?.reset ?? null;
    await new Promise((r) => setTimeout(r, 250));
    return route.fulfill({ response, json: body });
  });
  return seen;
}

test('a first sync in pages shows its progress, resumes after a reload, and holds exactly the user’s decisions', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const seen = await routePulls(page, 4);

  // An empty device: a fresh context, signed in through the form.
  await page.goto('/');
  await page.getByLabel('Användarnamn').fill('handlaggare');
  await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();

  await expect(page.getByText(/Hämtar beslut: \d+ av \d+/)).toBeVisible({ timeout: 20_000 });
  // The fourth page is lost on the way.
  await expect.poll(() => seen.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
  expect(seen[3]!.aborted).toBe(true);
  expect(seen[0]).toMatchObject({ cursor: null, reset: true });
  const beforeReload = seen.length;
  const heldBefore = (await deviceIds(page)).length;
  expect(heldBefore).toBeGreaterThanOrEqual(3 * PAGE);

  await page.reload();
  // The next pull goes on from the last page written: it has a cursor and does not start over.
  await expect.poll(() => seen.length, { timeout: 30_000 }).toBeGreaterThan(beforeReload);
  await expect.poll(() => seen[beforeReload]!.reset, { timeout: 30_000 }).not.toBeNull();
  expect(seen[beforeReload]!.cursor).not.toBeNull();
  expect(seen[beforeReload]!.reset).toBe(false);
  await expect(page.getByText(/Senast synkad/)).toBeVisible({ timeout: 60_000 });
  await expect.poll(() => seen.at(-1)!.reset, { timeout: 30_000 }).not.toBeNull();
  // Several pages in all, and none of them after the reload started over.
  expect(seen.length).toBeGreaterThan(5);
  expect(seen.slice(1).every((p) => p.reset !== true)).toBe(true);

  await page.unroute('**/api/trpc/**');
  const expected = await fullSyncIds(page);
  expect(new Set(expected).size).toBe(expected.length);
  const held = await deviceIds(page);
  expect([...held].sort()).toEqual([...expected].sort());
  note({
    type: 'first sync',
    description: `${seen.length} pulls of ${PAGE} (one aborted), ${expected.length} decisions`,
  });

  // The list shows each of them once.
  await page.goto('/beslut');
  await page.getByLabel('Visa även verkställda och avslutade').check();
  const links = page.locator('.cards .card-title a');
  await expect(links).toHaveCount(expected.length);
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(new Set(hrefs).size).toBe(expected.length);
  expect(new Set(hrefs)).toEqual(new Set(expected.map((id) => `/beslut/${id}`)));
});

type Summary = {
  id: string;
  person: { fornamn: string; efternamn: string };
  handlaggare: { id: string };
  caseStatus: { waiting: boolean };
};

test('an older decision, not on the device, is found by the search, read online (offline: said plainly), and an event logged on it brings it back', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByLabel('Användarnamn').fill('handlaggare');
  await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByText(/Senast synkad/)).toBeVisible({ timeout: 60_000 });

  // Every decision the handläggare may see, and those of them the device does not keep.
  const me = await query<{ id: string }>(page, 'auth.me', undefined);
  const visible: Summary[] = [];
  for (let offset: number | null = 0; offset !== null; ) {
    const list: { items: Summary[]; nextOffset: number | null } = await query(
      page,
      'decisions.list',
      { sort: 'newest', limit: 200, offset },
    );
    visible.push(...list.items);
    offset = list.nextOffset;
  }
  const held = new Set(await deviceIds(page));
  const older = visible.filter(
    (d) => !held.has(d.id) && !d.caseStatus.waiting && d.handlaggare.id === me.id,
  );
  expect(
    older.length,
    'the demo has a decision of the handläggare settled before the window',
  ).toBeGreaterThan(0);
  const old = older[0]!;
  const name = `${old.person.fornamn} ${old.person.efternamn}`;
  // Settled, and last changed, more than the sync window (13 months) ago.
  const detail = await query<{ events: { date: string }[] }>(page, 'decisions.get', { id: old.id });
  const lastChange =
    detail.events
      .map((e) => e.date)
      .sort()
      .at(-1) ?? '';
  const windowStart = new Date();
  windowStart.setMonth(windowStart.getMonth() - 13);
  expect(lastChange < windowStart.toISOString().slice(0, 10)).toBe(true);
  note({
    type: 'older decision',
    description: `${old.id}, last event ${lastChange}; ${older.length} such of ${visible.length} visible, ${held.size} on the device`,
  });

  // The list's search reaches it, under Äldre beslut.
  await page.goto('/beslut');
  await page.getByLabel(/Sök på namn/).fill(old.person.efternamn);
  const section = page.getByRole('region', { name: 'Äldre beslut' });
  const link = section.locator(`a[href="/beslut/${old.id}"]`);
  await expect(link).toBeVisible({ timeout: 15_000 });
  await expect(link).toHaveText(name);
  await expectNoViolations(page, 'Mina beslut, with older decisions found');

  // Its page is read online, with its events and the forms the handläggare may use.
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible({ timeout: 15_000 });
  await expect(
    page.getByText('Beslutet är äldre än det som sparas på enheten och är hämtat från servern.'),
  ).toBeVisible();
  await expect(page.getByRole('region', { name: 'Händelser' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Registrera' })).toBeVisible();
  await expectNoViolations(page, 'an older decision read online');
  expect(held.has(old.id)).toBe(false);

  // Offline, another older decision's page says plainly that it is read when connected…
  const other = older[1] ?? old;
  const otherName = `${other.person.fornamn} ${other.person.efternamn}`;
  if (other !== old) {
    await goOffline(page.context());
    await expect(page.getByText('Offline', { exact: true })).toBeVisible();
    await navigate(page, `/beslut/${other.id}`);
    await expect(
      page.getByRole('heading', { level: 1, name: 'Beslutet hämtas när du är ansluten' }),
    ).toBeVisible();
    await expect(page.getByText(/Beslutet är äldre än det som sparas på enheten/)).toContainText(
      'läses från servern när du är ansluten',
    );
    await expectNoViolations(page, 'an older decision, offline');
    // …and reads it as soon as there is a connection again.
    await goOnline(page.context());
    await expect(page.getByRole('heading', { level: 1, name: otherName })).toBeVisible({
      timeout: 15_000,
    });
  }

  // An event logged on an older decision goes through the outbox and shows on its page.
  await navigate(page, `/beslut/${old.id}`);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible({ timeout: 15_000 });
  const text = `Anteckning på ett äldre beslut ${Date.now()}`;
  await page.getByRole('button', { name: 'Anteckning', exact: true }).click();
  await page.getByRole('textbox', { name: 'Anteckning' }).fill(text);
  await page.getByRole('button', { name: 'Spara anteckning' }).click();
  await expect(page.getByText('Allt är skickat')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('region', { name: 'Händelser' }).getByText(text)).toBeVisible();
  await expect(page.getByText('Väntar på att skickas', { exact: true })).toHaveCount(0);
  const stored = await query<{ events: { type: string; text?: string }[] }>(page, 'decisions.get', {
    id: old.id,
  });
  expect(stored.events.filter((e) => e.text === text)).toHaveLength(1);
  // Changed today, it is within the window again: the pull after the push brings it to the
  // device, and the page reads the device's copy from then on, with the note once.
  await expect.poll(async () => (await deviceIds(page)).includes(old.id)).toBe(true);
  await expect(page.getByText(/hämtat från servern/)).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Händelser' }).getByText(text)).toHaveCount(1);
});

/** Goes to `path` inside the app (no page load: works offline without the service worker). */
async function navigate(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}
