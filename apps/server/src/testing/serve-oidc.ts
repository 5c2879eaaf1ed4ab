import { parseArgs } from 'node:util';
import { LOA2, LOA3, startTestIdp } from './oidc-idp';

/*
 * evb with OpenID Connect sign-in against a real provider (testing/oidc-idp.ts: oidc-provider),
 * both in this process: for the Playwright spec test/e2e/oidc.spec.ts. The provider starts first
 * on a port of its own; evb then starts as `pnpm start` does (src/main.ts) with the OIDC_*
 * variables pointing at it, so discovery runs at start-up as it would against a kommun's provider.
 * Users are linked by the `sub` claim, which the test provider makes the name typed on its page
 * (the demo usernames); two-factor LoA 3 is required, and passwords are off but for break-glass.
 *
 *   tsx src/testing/serve-oidc.ts --port 4100   (DATA_DIR and DATABASE_URL from the environment)
 */

const { values } = parseArgs({ options: { port: { type: 'string' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error('usage: tsx src/testing/serve-oidc.ts --port N');
  process.exit(2);
}
const origin = `http://127.0.0.1:${port}`;
const idp = await startTestIdp({
  redirectUri: `${origin}/api/auth/oidc/callback`,
  postLogoutRedirectUri: `${origin}/`,
  accounts: {
    handlaggare: { claims: {}, acr: LOA3 },
    'okand.person': { claims: {}, acr: LOA3 },
    // A known user whose sign-in was only one-factor.
    utforare: { claims: {}, acr: LOA2 },
  },
});
console.log(`Test OpenID provider at ${idp.issuer}`);

Object.assign(process.env, {
  PORT: String(port),
  PUBLIC_ORIGIN: origin,
  OIDC_ISSUER: idp.issuer,
  OIDC_CLIENT_ID: idp.clientId,
  OIDC_CLIENT_SECRET: idp.clientSecret,
  OIDC_USER_CLAIM: 'sub',
  OIDC_ACR_VALUES: LOA3,
  LOCAL_PASSWORDS: 'off',
});
await import('../main');
