import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvError } from '../../env';
import { signMetadata, startTestIdp, TEST_KEYS, type TestIdp, UID } from '../../testing/saml-idp';
import { loadSamlConfig, parseSamlEnv } from './config';

/*
 * SAML_IDP_METADATA_CERTIFICATE: the IdP's metadata must carry a valid signature by that
 * certificate over its root element, as a federation's (Sambi's) does. The "other" key pair of
 * the tests plays the federation operator; the test IdP's own key signs assertions, as in a
 * federation, and a document signed by it is signed by the wrong key here.
 */

const ORIGIN = 'https://evb.kommun.se';
const FEDERATION = TEST_KEYS.other;
const BASE = {
  SAML_SP_ENTITY_ID: `${ORIGIN}/saml`,
  SAML_USER_ATTRIBUTE: UID,
};

let idp: TestIdp;
let dir: string;
let server: Server;
let served = '';
let servedAt = '';

beforeAll(async () => {
  idp = await startTestIdp();
  dir = mkdtempSync(path.join(tmpdir(), 'evb-saml-signed-'));
  server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml' });
    res.end(served);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servedAt = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`;
});

afterAll(async () => {
  await idp?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

let files = 0;
function file(text: string): string {
  const name = path.join(dir, `metadata-${files++}.xml`);
  writeFileSync(name, text);
  return name;
}

const federationCertFile = () => file(FEDERATION.cert);

/** Loads SAML with the metadata file and the certificate; the config, or the problems. */
async function load(metadata: string, certificate: string | null = FEDERATION.cert) {
  const settings = parseSamlEnv(
    {
      ...BASE,
      SAML_IDP_METADATA: metadata,
      ...(certificate !== null ? { SAML_IDP_METADATA_CERTIFICATE: certificate } : {}),
    },
    ORIGIN,
  );
  if (!settings) throw new Error('SAML should be on');
  try {
    return { config: await loadSamlConfig(settings), problems: [] };
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    return { config: null, problems: error.problems };
  }
}

async function refusedWith(metadata: string, reason: RegExp, certificate?: string) {
  const { config, problems } = await load(metadata, certificate);
  expect(config).toBeNull();
  expect(problems).toHaveLength(1);
  expect(problems[0]?.variable).toBe('SAML_IDP_METADATA');
  expect(problems[0]?.problem).toMatch(
    /the IdP's metadata from .* carries no valid signature by the certificate of SAML_IDP_METADATA_CERTIFICATE: /,
  );
  expect(problems[0]?.problem).toMatch(reason);
}

describe('signed metadata', () => {
  it('is read when signed by the certificate over its root: from a file, the certificate as text or a file', async () => {
    const signed = file(signMetadata(idp.metadataXml, FEDERATION));
    for (const certificate of [FEDERATION.cert, federationCertFile()]) {
      const { config, problems } = await load(signed, certificate);
      expect(problems).toEqual([]);
      expect(config?.idp).toMatchObject({
        entityId: idp.entityId,
        ssoUrl: `${idp.origin}/sso`,
        sloUrl: `${idp.origin}/slo`,
      });
      // The IdP's own signing certificate, from the signed document.
      expect(config?.idp.certificates).toEqual([
        expect.stringContaining(TEST_KEYS.idp.cert.replace(/-----[^-]+-----|\s/g, '').slice(0, 64)),
      ]);
    }
  });

  it('is read when fetched over plain http, which the signature makes safe', async () => {
    served = signMetadata(idp.metadataXml, FEDERATION);
    const { config } = await load(servedAt);
    expect(config?.idp.entityId).toBe(idp.entityId);
  });

  it('takes the certificate as one line with \\n, as some deployment tools write PEM', async () => {
    const signed = file(signMetadata(idp.metadataXml, FEDERATION));
    const { config } = await load(signed, FEDERATION.cert.trim().replaceAll('\n', '\\n'));
    expect(config?.idp.entityId).toBe(idp.entityId);
  });

  it('is read from a federation’s signed aggregate, the IdP picked by SAML_IDP_ENTITY_ID', async () => {
    const entity = (id: string, entityId: string) =>
      idp.metadataXml
        .replace(/ xmlns:\w+="[^"]*"/g, '')
        .replace('ID="_metadata"', `ID="${id}"`)
        .replace('ID="_idp"', '')
        .replaceAll(idp.entityId, entityId);
    const aggregate = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ID="_sambi" Name="https://md.sambi.se">${entity('_e1', 'https://idp.annan.se/idp')}${entity('_e2', idp.entityId)}</md:EntitiesDescriptor>`;
    const settings = parseSamlEnv(
      {
        ...BASE,
        SAML_IDP_METADATA: file(signMetadata(aggregate, FEDERATION)),
        SAML_IDP_METADATA_CERTIFICATE: FEDERATION.cert,
        SAML_IDP_ENTITY_ID: idp.entityId,
      },
      ORIGIN,
    );
    expect((await loadSamlConfig(settings ?? (undefined as never))).idp.entityId).toBe(
      idp.entityId,
    );
  });
});

describe('metadata refused at start-up when SAML_IDP_METADATA_CERTIFICATE is set', () => {
  it('unsigned', async () => {
    await refusedWith(file(idp.metadataXml), /its root element is not signed/);
  });

  it('changed after it was signed (another SSO address)', async () => {
    const tampered = signMetadata(idp.metadataXml, FEDERATION).replace(
      `Location="${idp.origin}/sso"`,
      'Location="https://angripare.example/sso"',
    );
    expect(tampered).toContain('angripare');
    await refusedWith(file(tampered), /does not verify with that certificate/);
  });

  it('changed after it was signed (another signing certificate for the IdP)', async () => {
    const swapped = signMetadata(idp.metadataXml, FEDERATION).replace(
      TEST_KEYS.idp.cert.replace(/-----[^-]+-----|\s/g, ''),
      TEST_KEYS.other.cert.replace(/-----[^-]+-----|\s/g, ''),
    );
    await refusedWith(file(swapped), /does not verify with that certificate/);
  });

  it('signed by another key than the certificate’s (whatever KeyInfo it carries)', async () => {
    // Signed by the IdP's key, its certificate in the signature's KeyInfo: still not the federation.
    await refusedWith(
      file(signMetadata(idp.metadataXml, TEST_KEYS.idp)),
      /does not verify with that certificate/,
    );
  });

  it('a signature over another element than the root (wrapping)', async () => {
    // A valid signature, at the root, over the IDPSSODescriptor only: the entityID beside it is
    // not signed and could be anything.
    const partial = signMetadata(idp.metadataXml, FEDERATION, {
      signed: "//*[@ID='_idp']",
      at: '/*',
    });
    await refusedWith(file(partial), /its signature is not over its root element/);
  });

  it('a signed document hidden inside a forged one under the same ID (wrapping)', async () => {
    const genuine = signMetadata(idp.metadataXml, FEDERATION);
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(genuine)?.[0] ?? '';
    expect(signature).not.toBe('');
    // The forged root keeps the genuine signature and ID; the genuine document rides along in
    // an Extensions element, so that a verifier that looks the ID up loosely finds it.
    const forged = idp.metadataXml
      .replace(`Location="${idp.origin}/sso"`, 'Location="https://angripare.example/sso"')
      .replace(
        /(<md:EntityDescriptor[^>]*>)/,
        `$1${signature}<md:Extensions>${genuine.replace(/ xmlns:\w+="[^"]*"/g, '').replace('<md:EntityDescriptor', '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"')}</md:Extensions>`,
      );
    await refusedWith(file(forged), /the ID of its root element is not unique/);
  });

  it('a signed document wrapped in an unsigned aggregate', async () => {
    const genuine = signMetadata(idp.metadataXml, FEDERATION).replace(
      /^<md:EntityDescriptor xmlns:md="[^"]*"/,
      '<md:EntityDescriptor',
    );
    const wrapped = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ID="_wrap">${genuine}</md:EntitiesDescriptor>`;
    await refusedWith(file(wrapped), /its root element is not signed/);
  });

  it('a signed root without an ID', async () => {
    const signed = signMetadata(idp.metadataXml, FEDERATION).replace(' ID="_metadata"', '');
    await refusedWith(file(signed), /its root element has no ID/);
  });
});

describe('SAML_IDP_METADATA_CERTIFICATE and SAML_IDP_METADATA at start-up', () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      parseSamlEnv({ ...BASE, ...env }, ORIGIN);
      return [];
    } catch (error) {
      if (!(error instanceof EnvError)) throw error;
      return error.problems.map((p) => p.variable);
    }
  };

  it('PEM text that is no certificate is named at once', () => {
    expect(
      problemsOf({
        SAML_IDP_METADATA: '/etc/evb/sambi.xml',
        SAML_IDP_METADATA_CERTIFICATE:
          '-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----',
      }),
    ).toEqual(['SAML_IDP_METADATA_CERTIFICATE']);
  });

  it('a certificate file that cannot be read, or is no certificate, is named when it is read', async () => {
    const signed = file(signMetadata(idp.metadataXml, FEDERATION));
    for (const certificate of [path.join(dir, 'saknas.pem'), file('inte ett certifikat')]) {
      const { problems } = await load(signed, certificate);
      expect(problems.map((p) => p.variable)).toEqual(['SAML_IDP_METADATA_CERTIFICATE']);
    }
  });

  it('metadata over plain http from another host only with the certificate', () => {
    const url = 'http://md.federation.example/sambi.xml';
    expect(problemsOf({ SAML_IDP_METADATA: url })).toEqual(['SAML_IDP_METADATA']);
    expect(
      problemsOf({ SAML_IDP_METADATA: url, SAML_IDP_METADATA_CERTIFICATE: FEDERATION.cert }),
    ).toEqual([]);
    // Loopback (a test IdP), a file and https need no certificate.
    expect(problemsOf({ SAML_IDP_METADATA: 'http://127.0.0.1:9/metadata' })).toEqual([]);
    expect(problemsOf({ SAML_IDP_METADATA: 'https://md.federation.example/sambi.xml' })).toEqual(
      [],
    );
    expect(problemsOf({ SAML_IDP_METADATA: '/etc/evb/idp.xml' })).toEqual([]);
  });
});
