import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EnvError, type EnvProblem } from '../../env';
import { type IdpMetadata, MetadataError, parseIdpMetadata } from './idp-metadata';
import { MetadataSignatureError, verifiedMetadataXml } from './metadata-signature';

/*
 * The SAML service provider's configuration, from environment variables. `parseSamlEnv` checks
 * their form at start-up, before anything is read; `loadSamlConfig` then reads the IdP's metadata
 * (a file, or fetched) and the SP's key pair. Either throws an EnvError naming the variable.
 *
 * SAML is on when SAML_IDP_METADATA, SAML_SP_ENTITY_ID and SAML_USER_ATTRIBUTE are set; any
 * SAML_* variable without them is an error rather than silently ignored.
 *
 * SAML_IDP_METADATA_CERTIFICATE (a PEM file or PEM text): the metadata must then carry a valid
 * signature by it over its root element (auth/saml/metadata-signature.ts), as a federation's
 * does, and may be fetched over plain http from anywhere, the signature being what is trusted.
 * Without it the metadata's source is what is trusted: a file, or https (http only on loopback).
 */

export const SAML_VARIABLES = [
  'SAML_IDP_METADATA',
  'SAML_IDP_METADATA_CERTIFICATE',
  'SAML_IDP_ENTITY_ID',
  'SAML_SP_ENTITY_ID',
  'SAML_USER_ATTRIBUTE',
  'SAML_AUTHN_CONTEXT',
  'SAML_SP_PRIVATE_KEY',
  'SAML_SP_CERTIFICATE',
] as const;

/** The value of SAML_USER_ATTRIBUTE that takes the Subject's NameID instead of an attribute. */
export const NAME_ID = 'NameID';

export type SamlSettings = {
  /**
   * A file path or an https:// URL (http:// only on loopback, for tests, unless the metadata's
   * signature is checked).
   */
  idpMetadata: string;
  /** The certificate the metadata must be signed by: PEM text, or a PEM file's path; null: none. */
  idpMetadataCertificate: string | null;
  /** Which IdP of an aggregate (a federation's metadata); null: the only one in it. */
  idpEntityId: string | null;
  spEntityId: string;
  /** An attribute's Name, or NameID. */
  userAttribute: string;
  /** The AuthnContextClassRef every sign-in must carry; null: any. */
  authnContext: string | null;
  /** Files of the SP's key pair (PEM), for signed AuthnRequests and SLO; null: unsigned. */
  spKeyFiles: { privateKey: string; certificate: string } | null;
  /** PUBLIC_ORIGIN: the ACS and metadata URLs are made from it. */
  publicOrigin: string;
};

export type SamlConfig = {
  idp: IdpMetadata;
  sp: {
    entityId: string;
    acsUrl: string;
    sloUrl: string;
    privateKey: string | null;
    certificate: string | null;
  };
  userAttribute: string;
  authnContext: string | null;
};

const URI = /^(?:https?:\/\/[^\s]+|urn:[a-z0-9][a-z0-9-]{0,31}:[^\s]+)$/i;
const ATTRIBUTE_NAME = /^[A-Za-z0-9:._/#-]{1,256}$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether the metadata value is a URL (else it is a file path). */
export function isMetadataUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/**
 * Reads the SAML_* variables (empty counts as unset); null when SAML is off. `publicOrigin` is
 * PUBLIC_ORIGIN as env.ts read it: SAML needs it.
 */
export function parseSamlEnv(
  env: Record<string, string | undefined>,
  publicOrigin: string | null,
): SamlSettings | null {
  const value = (name: (typeof SAML_VARIABLES)[number]) =>
    env[name] === '' || env[name] === undefined ? null : (env[name] as string).trim();
  const set = SAML_VARIABLES.filter((name) => value(name) !== null);
  if (set.length === 0) return null;

  const problems: EnvProblem[] = [];
  const required = ['SAML_IDP_METADATA', 'SAML_SP_ENTITY_ID', 'SAML_USER_ATTRIBUTE'] as const;
  for (const name of required) {
    if (value(name) === null) {
      problems.push({
        variable: name,
        problem: `must be set when ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'}: SAML sign-in needs SAML_IDP_METADATA, SAML_SP_ENTITY_ID and SAML_USER_ATTRIBUTE`,
      });
    }
  }
  const metadata = value('SAML_IDP_METADATA');
  const metadataCertificate = pemTextOrPath(value('SAML_IDP_METADATA_CERTIFICATE'));
  if (metadata !== null && isMetadataUrl(metadata)) {
    const url = URL.canParse(metadata) ? new URL(metadata) : null;
    const trusted =
      url !== null &&
      (url.protocol === 'https:' ||
        (url.protocol === 'http:' && (LOOPBACK.has(url.hostname) || metadataCertificate !== null)));
    if (!trusted) {
      problems.push({
        variable: 'SAML_IDP_METADATA',
        problem: `must be the IdP's metadata as a file path or an https:// URL (plain http:// only on loopback, or with SAML_IDP_METADATA_CERTIFICATE set so that its signature is checked), got ${JSON.stringify(metadata)}`,
      });
    }
  }
  if (metadataCertificate !== null && isPemText(metadataCertificate)) {
    try {
      new X509Certificate(metadataCertificate);
    } catch {
      problems.push({
        variable: 'SAML_IDP_METADATA_CERTIFICATE',
        problem:
          'must be the certificate the IdP’s metadata is signed by (for Sambi, the federation’s metadata signing certificate), as PEM text or the path of a PEM file; the PEM text given is no certificate',
      });
    }
  }
  for (const name of ['SAML_SP_ENTITY_ID', 'SAML_IDP_ENTITY_ID', 'SAML_AUTHN_CONTEXT'] as const) {
    const v = value(name);
    if (v !== null && (v.length > 1024 || !URI.test(v))) {
      problems.push({
        variable: name,
        problem: `must be a URI (https://… or urn:…), got ${JSON.stringify(v.slice(0, 200))}`,
      });
    }
  }
  const attribute = value('SAML_USER_ATTRIBUTE');
  if (attribute !== null && !ATTRIBUTE_NAME.test(attribute)) {
    problems.push({
      variable: 'SAML_USER_ATTRIBUTE',
      problem: `must be NameID or the Name of a SAML attribute (such as urn:oid:1.2.752.29.6.2.1 for the HSA-id), got ${JSON.stringify(attribute.slice(0, 200))}`,
    });
  }
  const privateKey = value('SAML_SP_PRIVATE_KEY');
  const certificate = value('SAML_SP_CERTIFICATE');
  if ((privateKey === null) !== (certificate === null)) {
    problems.push({
      variable: privateKey === null ? 'SAML_SP_PRIVATE_KEY' : 'SAML_SP_CERTIFICATE',
      problem:
        'must be set with the other: the SP’s key pair is SAML_SP_PRIVATE_KEY and SAML_SP_CERTIFICATE (files, PEM), both or neither',
    });
  }
  if (publicOrigin === null) {
    problems.push({
      variable: 'PUBLIC_ORIGIN',
      problem:
        'must be set when SAML is: the addresses registered with the IdP (ACS, metadata) are made from it',
    });
  }
  if (problems.length > 0) throw new EnvError(problems);
  return {
    idpMetadata: metadata as string,
    idpMetadataCertificate: metadataCertificate,
    idpEntityId: value('SAML_IDP_ENTITY_ID'),
    spEntityId: value('SAML_SP_ENTITY_ID') as string,
    userAttribute: attribute as string,
    authnContext: value('SAML_AUTHN_CONTEXT'),
    spKeyFiles: privateKey !== null && certificate !== null ? { privateKey, certificate } : null,
    publicOrigin: publicOrigin as string,
  };
}

function isPemText(value: string): boolean {
  return value.includes('-----BEGIN');
}

/**
 * The variable's value as PEM text (a one-line value's `\n` read as line ends, as deployment
 * tools that take no multi-line values write it) or as the file path it is; null when unset.
 */
function pemTextOrPath(value: string | null): string | null {
  if (value === null || !isPemText(value) || value.includes('\n')) return value;
  return value.replaceAll('\\n', '\n');
}

const MAX_METADATA_BYTES = 10 * 1024 * 1024;

async function readMetadataText(source: string): Promise<string> {
  if (!isMetadataUrl(source)) return readFile(source, 'utf8');
  const response = await fetch(source, { signal: AbortSignal.timeout(15_000) });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_METADATA_BYTES) throw new Error('it is larger than 10 MB');
  return text;
}

function fail(variable: string, problem: string): never {
  throw new EnvError([{ variable, problem }]);
}

async function readPem(variable: string, file: string, kind: 'key' | 'certificate') {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    fail(variable, `cannot read the file ${file}: ${(error as NodeJS.ErrnoException).code}`);
  }
  try {
    if (kind === 'key') createPrivateKey(text);
    else new X509Certificate(text);
  } catch {
    fail(
      variable,
      `the file ${file} holds no PEM ${kind === 'key' ? 'private key' : 'certificate'}`,
    );
  }
  return text;
}

/** Reads the IdP's metadata and the SP's keys; an EnvError names what cannot be read. */
export async function loadSamlConfig(settings: SamlSettings): Promise<SamlConfig> {
  let text: string;
  try {
    text = await readMetadataText(settings.idpMetadata);
  } catch (error) {
    fail(
      'SAML_IDP_METADATA',
      `cannot read the IdP's metadata from ${settings.idpMetadata}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const signer = settings.idpMetadataCertificate;
  if (signer !== null) {
    const certificate = isPemText(signer)
      ? signer
      : await readPem('SAML_IDP_METADATA_CERTIFICATE', signer, 'certificate');
    try {
      // From here on only what the federation signed is read.
      text = verifiedMetadataXml(text, certificate);
    } catch (error) {
      if (!(error instanceof MetadataSignatureError)) throw error;
      fail(
        'SAML_IDP_METADATA',
        `the IdP's metadata from ${settings.idpMetadata} carries no valid signature by the certificate of SAML_IDP_METADATA_CERTIFICATE: ${error.message}`,
      );
    }
  }
  let idp: IdpMetadata;
  try {
    idp = parseIdpMetadata(text, settings.idpEntityId);
  } catch (error) {
    if (!(error instanceof MetadataError)) throw error;
    fail(
      error.message.includes('entityID') && settings.idpEntityId !== null
        ? 'SAML_IDP_ENTITY_ID'
        : 'SAML_IDP_METADATA',
      `the IdP's metadata from ${settings.idpMetadata} is not usable: ${error.message}`,
    );
  }
  const keys = settings.spKeyFiles;
  return {
    idp,
    sp: {
      entityId: settings.spEntityId,
      acsUrl: `${settings.publicOrigin}/api/auth/saml/acs`,
      sloUrl: `${settings.publicOrigin}/api/auth/saml/slo`,
      privateKey: keys ? await readPem('SAML_SP_PRIVATE_KEY', keys.privateKey, 'key') : null,
      certificate: keys
        ? await readPem('SAML_SP_CERTIFICATE', keys.certificate, 'certificate')
        : null,
    },
    userAttribute: settings.userAttribute,
    authnContext: settings.authnContext,
  };
}
