import { parseArgs } from 'node:util';
import { startTestIdp, TEST_SP_KEY_FILES, UID } from './saml-idp';

/*
 * evb with SAML sign-in against the test IdP (testing/saml-idp.ts), both in this process: for the
 * Playwright spec test/e2e/saml.spec.ts. The IdP starts first on a port of its own; evb then starts
 * as `pnpm start` does (src/main.ts) with the SAML_* variables pointing at it, so start-up reads
 * the IdP's metadata over HTTP as it would a kommun's. The users are linked by the uid attribute,
 * which holds the evb username; the two-factor level LoA 3 is required.
 *
 *   tsx src/testing/serve-saml.ts --port 4100   (DATA_DIR and DATABASE_URL from the environment)
 */

const { values } = parseArgs({ options: { port: { type: 'string' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error('usage: tsx src/testing/serve-saml.ts --port N');
  process.exit(2);
}
const origin = `http://127.0.0.1:${port}`;
const idp = await startTestIdp({ spSloUrl: `${origin}/api/auth/saml/slo` });
console.log(`Test IdP at ${idp.origin} (metadata ${idp.metadataUrl})`);

Object.assign(process.env, {
  PORT: String(port),
  PUBLIC_ORIGIN: origin,
  SAML_IDP_METADATA: idp.metadataUrl,
  SAML_SP_ENTITY_ID: `${origin}/saml`,
  SAML_USER_ATTRIBUTE: UID,
  SAML_AUTHN_CONTEXT: 'http://id.elegnamnden.se/loa/1.0/loa3',
  SAML_SP_PRIVATE_KEY: TEST_SP_KEY_FILES.privateKey,
  SAML_SP_CERTIFICATE: TEST_SP_KEY_FILES.certificate,
});
await import('../main');
