import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../env';
import { startTestIdp, TEST_SP_KEY_FILES, type TestIdp, UID } from '../../testing/saml-idp';
import { loadSamlConfig, parseSamlEnv } from './config';

/* The SAML_* variables at start-up: each wrong one named, and the IdP's metadata read for real. */

const ORIGIN = 'https://evb.kommun.se';
const BASE = {
  SAML_IDP_METADATA: '/etc/evb/idp-metadata.xml',
  SAML_SP_ENTITY_ID: 'https://evb.kommun.se/saml',
  SAML_USER_ATTRIBUTE: 'urn:oid:1.2.752.29.6.2.1',
};

function problemsOf(env: Record<string, string | undefined>, origin: string | null = ORIGIN) {
  try {
    parseSamlEnv(env, origin);
  } catch (error) {
    if (error instanceof EnvError) return error.problems.map((p) => p.variable);
    throw error;
  }
  return [];
}

async function loadProblems(env: Record<string, string>) {
  const settings = parseSamlEnv(env, ORIGIN);
  if (!settings) throw new Error('SAML should be on');
  try {
    await loadSamlConfig(settings);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseSamlEnv', () => {
  it('is off when no SAML_* variable is set (empty counts as unset)', () => {
    expect(parseSamlEnv({}, null)).toBeNull();
    expect(parseSamlEnv({ SAML_IDP_METADATA: '' }, null)).toBeNull();
  });

  it('reads the settings', () => {
    expect(
      parseSamlEnv(
        { ...BASE, SAML_AUTHN_CONTEXT: 'http://id.elegnamnden.se/loa/1.0/loa3' },
        ORIGIN,
      ),
    ).toEqual({
      idpMetadata: BASE.SAML_IDP_METADATA,
      idpMetadataCertificate: null,
      idpEntityId: null,
      spEntityId: BASE.SAML_SP_ENTITY_ID,
      userAttribute: BASE.SAML_USER_ATTRIBUTE,
      authnContext: 'http://id.elegnamnden.se/loa/1.0/loa3',
      spKeyFiles: null,
      publicOrigin: ORIGIN,
    });
  });

  it('names each missing or wrong variable', () => {
    expect(problemsOf({ SAML_IDP_METADATA: BASE.SAML_IDP_METADATA })).toEqual([
      'SAML_SP_ENTITY_ID',
      'SAML_USER_ATTRIBUTE',
    ]);
    expect(problemsOf({ ...BASE, SAML_IDP_METADATA: 'http://idp.kommun.se/metadata' })).toEqual([
      'SAML_IDP_METADATA',
    ]);
    expect(problemsOf({ ...BASE, SAML_SP_ENTITY_ID: 'evb' })).toEqual(['SAML_SP_ENTITY_ID']);
    expect(problemsOf({ ...BASE, SAML_USER_ATTRIBUTE: 'e post<script>' })).toEqual([
      'SAML_USER_ATTRIBUTE',
    ]);
    expect(problemsOf({ ...BASE, SAML_AUTHN_CONTEXT: 'loa3' })).toEqual(['SAML_AUTHN_CONTEXT']);
    expect(problemsOf({ ...BASE, SAML_SP_PRIVATE_KEY: '/etc/evb/sp-key.pem' })).toEqual([
      'SAML_SP_CERTIFICATE',
    ]);
    expect(problemsOf(BASE, null)).toEqual(['PUBLIC_ORIGIN']);
  });
});

describe('parseEnv (start-up)', () => {
  it('names a wrong SAML_* variable among the others, and passes SAML’s settings on', () => {
    expect(() =>
      parseEnv({ PUBLIC_ORIGIN: ORIGIN, SAML_IDP_METADATA: BASE.SAML_IDP_METADATA }),
    ).toThrow(/SAML_SP_ENTITY_ID: must be set/);
    expect(parseEnv({ PUBLIC_ORIGIN: ORIGIN, ...BASE }).auth.saml).toMatchObject({
      spEntityId: BASE.SAML_SP_ENTITY_ID,
    });
    expect(parseEnv({}).auth.saml).toBeNull();
  });

  it('lets LOCAL_PASSWORDS be off when SAML is the way in', () => {
    expect(parseEnv({ PUBLIC_ORIGIN: ORIGIN, ...BASE, LOCAL_PASSWORDS: 'off' }).auth).toMatchObject(
      {
        localPasswords: false,
      },
    );
  });
});

describe('loadSamlConfig', () => {
  let idp: TestIdp;
  let dir: string;
  beforeAll(async () => {
    idp = await startTestIdp();
    dir = mkdtempSync(path.join(tmpdir(), 'evb-saml-'));
  });
  afterAll(async () => {
    await idp?.close();
  });

  it('reads the IdP from metadata fetched from a URL, and the SP’s key pair', async () => {
    const settings = parseSamlEnv(
      {
        SAML_IDP_METADATA: idp.metadataUrl,
        SAML_SP_ENTITY_ID: `${ORIGIN}/saml`,
        SAML_USER_ATTRIBUTE: UID,
        SAML_SP_PRIVATE_KEY: TEST_SP_KEY_FILES.privateKey,
        SAML_SP_CERTIFICATE: TEST_SP_KEY_FILES.certificate,
      },
      ORIGIN,
    );
    const config = await loadSamlConfig(settings ?? (undefined as never));
    expect(config.idp).toMatchObject({
      entityId: idp.entityId,
      ssoUrl: `${idp.origin}/sso`,
      sloUrl: `${idp.origin}/slo`,
    });
    expect(config.idp.certificates).toHaveLength(1);
    expect(config.sp.acsUrl).toBe(`${ORIGIN}/api/auth/saml/acs`);
    expect(config.sp.privateKey).toContain('PRIVATE KEY');
  });

  it('picks the IdP out of a federation’s aggregate by SAML_IDP_ENTITY_ID', async () => {
    const inner = idp.metadataXml.replace(/^<md:EntityDescriptor[^>]*>/, (open) =>
      open.replace(/ xmlns:\w+="[^"]*"/g, ''),
    );
    const other = inner.replaceAll(idp.entityId, 'https://idp.annan.se/idp');
    const file = path.join(dir, 'aggregate.xml');
    writeFileSync(
      file,
      `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">${other}${inner}</md:EntitiesDescriptor>`,
    );
    expect(await loadProblems({ ...BASE, SAML_IDP_METADATA: file })).toEqual([
      { variable: 'SAML_IDP_METADATA', problem: expect.stringContaining('SAML_IDP_ENTITY_ID') },
    ]);
    const settings = parseSamlEnv(
      { ...BASE, SAML_IDP_METADATA: file, SAML_IDP_ENTITY_ID: idp.entityId },
      ORIGIN,
    );
    expect((await loadSamlConfig(settings ?? (undefined as never))).idp.entityId).toBe(
      idp.entityId,
    );
    expect(
      (
        await loadProblems({
          ...BASE,
          SAML_IDP_METADATA: file,
          SAML_IDP_ENTITY_ID: 'https://idp.saknas.se/idp',
        })
      ).map((p) => p.variable),
    ).toEqual(['SAML_IDP_ENTITY_ID']);
  });

  it('fails start-up naming SAML_IDP_METADATA when it cannot be read or used', async () => {
    const missing = await loadProblems({ ...BASE, SAML_IDP_METADATA: path.join(dir, 'nej.xml') });
    expect(missing).toEqual([
      { variable: 'SAML_IDP_METADATA', problem: expect.stringContaining('ENOENT') },
    ]);
    const notXml = path.join(dir, 'not.xml');
    writeFileSync(notXml, 'inte metadata');
    expect((await loadProblems({ ...BASE, SAML_IDP_METADATA: notXml }))[0]?.variable).toBe(
      'SAML_IDP_METADATA',
    );
    const noCert = path.join(dir, 'nocert.xml');
    writeFileSync(noCert, idp.metadataXml.replace(/<md:KeyDescriptor.*<\/md:KeyDescriptor>/, ''));
    expect(await loadProblems({ ...BASE, SAML_IDP_METADATA: noCert })).toEqual([
      { variable: 'SAML_IDP_METADATA', problem: expect.stringContaining('signing certificate') },
    ]);
    const unreachable = await loadProblems({
      ...BASE,
      SAML_IDP_METADATA: `${idp.origin}/saknas`,
    });
    expect(unreachable).toEqual([
      { variable: 'SAML_IDP_METADATA', problem: expect.stringContaining('404') },
    ]);
  });

  it('names the SP key file that is not a key', async () => {
    const file = path.join(dir, 'metadata.xml');
    writeFileSync(file, idp.metadataXml);
    expect(
      await loadProblems({
        ...BASE,
        SAML_IDP_METADATA: file,
        SAML_SP_PRIVATE_KEY: TEST_SP_KEY_FILES.certificate,
        SAML_SP_CERTIFICATE: TEST_SP_KEY_FILES.certificate,
      }),
    ).toEqual([{ variable: 'SAML_SP_PRIVATE_KEY', problem: expect.any(String) }]);
  });
});
