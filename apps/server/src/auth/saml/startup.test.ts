import { describe, expect, it } from 'vitest';
import { runScript } from '../../testing/processes';
import { TEST_SP_KEY_FILES } from '../../testing/saml-idp';

/*
 * The server as `pnpm start` runs it, with SAML configured wrongly: it stops before listening,
 * naming the variable, whether the mistake is in the form (parseEnv) or in what the variable
 * points at (the metadata file, the key file: read at start-up).
 */

const SAML = {
  PUBLIC_ORIGIN: 'https://evb.kommun.se',
  SAML_SP_ENTITY_ID: 'https://evb.kommun.se/saml',
  SAML_USER_ATTRIBUTE: 'urn:oid:1.2.752.29.6.2.1',
};

describe('start-up with SAML configured wrongly', () => {
  it.each([
    [
      { ...SAML, SAML_IDP_METADATA: '/nonexistent/idp-metadata.xml' },
      /SAML_IDP_METADATA: cannot read the IdP's metadata from \/nonexistent\/idp-metadata.xml: ENOENT/,
    ],
    [
      { ...SAML, SAML_IDP_METADATA: 'http://idp.kommun.se/metadata' },
      /SAML_IDP_METADATA: must be the IdP's metadata as a file path or an https:\/\/ URL/,
    ],
    [
      { SAML_IDP_METADATA: '/etc/evb/idp.xml', PUBLIC_ORIGIN: SAML.PUBLIC_ORIGIN },
      /SAML_SP_ENTITY_ID: must be set/,
    ],
    [
      {
        ...SAML,
        SAML_IDP_METADATA: TEST_SP_KEY_FILES.certificate,
      },
      /SAML_IDP_METADATA: the IdP's metadata from .* is not usable: it is not well-formed XML/,
    ],
    [
      {
        ...SAML,
        SAML_IDP_METADATA: '/etc/evb/sambi.xml',
        SAML_IDP_METADATA_CERTIFICATE:
          '-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----',
      },
      /SAML_IDP_METADATA_CERTIFICATE: must be the certificate the IdP’s metadata is signed by/,
    ],
    [
      {
        ...SAML,
        SAML_IDP_METADATA: TEST_SP_KEY_FILES.certificate,
        SAML_IDP_METADATA_CERTIFICATE: TEST_SP_KEY_FILES.certificate,
      },
      /SAML_IDP_METADATA: the IdP's metadata from .* carries no valid signature by the certificate of SAML_IDP_METADATA_CERTIFICATE/,
    ],
  ])('%j stops the server with a message naming the variable', async (env, message) => {
    const run = runScript('src/main.ts', [], env);
    expect(await run.exit).toBe(1);
    expect(run.output()).toMatch(/Invalid environment configuration/);
    expect(run.output()).toMatch(message);
    expect(run.output()).not.toContain('evb is running');
  });
});
