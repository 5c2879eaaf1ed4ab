// The smoke test's requests to a running evb (test/container/smoke.sh): health, a rapportör's
// sign-in and the quarter view, as the PWA makes them. Exits non-zero with the reason on failure.
//
//   node smoke-client.mjs http://127.0.0.1:PORT
const base = process.argv[2];
if (!base) throw new Error('usage: node smoke-client.mjs BASE_URL');

function check(condition, message) {
  if (!condition) {
    console.error(`smoke: ${message}`);
    process.exit(1);
  }
}

const health = await fetch(`${base}/api/health`);
check(health.ok, `/api/health answered ${health.status}`);

const login = await fetch(`${base}/api/trpc/auth.login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: base },
  body: JSON.stringify({ username: 'huvudrapportor', password: 'demo-evb-2026' }),
});
check(login.ok, `sign-in answered ${login.status}: ${await login.clone().text()}`);
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
check(cookie.startsWith('evb_session='), 'sign-in set no session cookie');

const me = await (await fetch(`${base}/api/trpc/auth.me`, { headers: { cookie } })).json();
const grant = me.result.data.roles.find((r) => r.role === 'huvudrapportor');
check(grant?.namndId, 'the demo huvudrapportör has no nämnd');

const input = encodeURIComponent(JSON.stringify({ namndId: grant.namndId }));
const quarter = await fetch(`${base}/api/trpc/quarter.lines?input=${input}`, {
  headers: { cookie },
});
check(quarter.ok, `quarter.lines answered ${quarter.status}: ${await quarter.clone().text()}`);
const { lines, counts } = (await quarter.json()).result.data;
check(Array.isArray(lines) && lines.length > 0, 'the demo quarter has no lines');

const page = await fetch(`${base}/`);
check(page.ok && (await page.text()).includes('id="root"'), 'the PWA is not served');
console.log(
  `smoke: ${base} signed in, quarter view with ${lines.length} lines (${JSON.stringify(counts)})`,
);
