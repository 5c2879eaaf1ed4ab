import { createPublicKey, createSign, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { encrypt } from 'xml-encryption';

/*
 * A SAML 2.0 identity provider on loopback, for tests: real XML, signed with xml-crypto (the
 * library node-saml itself verifies with) by a key pair of its own (testing/saml/*.pem, made with
 * openssl for these tests only). It serves its metadata, takes the SP's AuthnRequest by redirect,
 * shows a sign-in page (a username: the test's "e-legitimation"), and posts a signed Response to the
 * SP's ACS from the browser, as a real IdP does. It answers the SP's LogoutRequest with a
 * LogoutResponse. `buildResponse` makes Responses with one thing wrong, for the refusal tests.
 */

const here = (name: string) => new URL(`./saml/${name}`, import.meta.url);
export const TEST_KEYS = {
  idp: {
    key: readFileSync(here('idp-key.pem'), 'utf8'),
    cert: readFileSync(here('idp-cert.pem'), 'utf8'),
  },
  other: {
    key: readFileSync(here('other-idp-key.pem'), 'utf8'),
    cert: readFileSync(here('other-idp-cert.pem'), 'utf8'),
  },
};
/** The SP's key pair of the tests (SAML_SP_PRIVATE_KEY, SAML_SP_CERTIFICATE). */
export const TEST_SP_KEY_FILES = {
  privateKey: here('sp-key.pem').pathname,
  certificate: here('sp-cert.pem').pathname,
};

/** Two-factor e-legitimation in Sambi's / the Swedish eID framework's terms (LoA 3). */
export const LOA3 = 'http://id.elegnamnden.se/loa/1.0/loa3';
export const PASSWORD_CONTEXT = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';
/** The attribute the tests link users by (uid), holding the evb username. */
export const UID = 'urn:oid:0.9.2342.19200300.100.1.1';

const xmlEscape = (value: string) => value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const instant = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export type ResponseOptions = {
  inResponseTo: string;
  acsUrl: string;
  audience: string;
  nameId: string;
  attributes?: Record<string, string>;
  /** The AuthnContextClassRef; LOA3 by default. */
  authnContext?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  recipient?: string;
  destination?: string;
  /** Who signs the assertion: the IdP's key (default), another key, or nobody. */
  signedBy?: 'idp' | 'other' | 'nobody';
  assertionId?: string;
  issuer?: string;
};

function sign(xml: string, keys: { key: string; cert: string }): string {
  const signer = new SignedXml({
    privateKey: keys.key,
    publicCert: keys.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signer.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
  });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: {
      reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']",
      action: 'after',
    },
  });
  return signer.getSignedXml();
}

/**
 * Metadata signed as a federation operator signs it: an enveloped signature over the element
 * `signed` (the root by default, which must carry an ID), first in the element `at` (the signed
 * one by default; another only to forge a wrapped document).
 */
export function signMetadata(
  xml: string,
  keys: { key: string; cert: string },
  { signed = '/*', at = signed }: { signed?: string; at?: string } = {},
): string {
  const signer = new SignedXml({
    privateKey: keys.key,
    publicCert: keys.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signer.addReference({
    xpath: signed,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
  });
  signer.computeSignature(xml, { prefix: 'ds', location: { reference: at, action: 'prepend' } });
  return signer.getSignedXml();
}

/**
 * The Response with its (signed) assertion encrypted to the SP's certificate, as the Swedish eID
 * framework's IdPs send it: an EncryptedAssertion (AES-256-GCM, the key wrapped with RSA-OAEP).
 */
export async function encryptAssertion(
  samlResponse: string,
  spCertificate: string,
): Promise<string> {
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)?.[0];
  if (!assertion) throw new Error('no assertion to encrypt');
  const encrypted = await new Promise<string>((resolve, reject) =>
    encrypt(
      assertion,
      {
        rsa_pub: createPublicKey(spCertificate).export({ type: 'spki', format: 'pem' }),
        pem: spCertificate,
        encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
        keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
  const replaced = xml.replace(
    assertion,
    `<saml:EncryptedAssertion>${encrypted}</saml:EncryptedAssertion>`,
  );
  return Buffer.from(replaced, 'utf8').toString('base64');
}

export type TestIdp = {
  origin: string;
  entityId: string;
  metadataUrl: string;
  metadataXml: string;
  /** A Response as base64, for the form field SAMLResponse. */
  buildResponse(options: ResponseOptions): string;
  /**
   * The SP's SLO address with a LogoutRequest from this IdP for the NameID (HTTP-Redirect binding),
   * signed with the IdP's key unless `signed` is false.
   */
  logoutRequestUrl(spSloUrl: string, nameId: string, signed?: boolean): string;
  /** The LogoutRequests the SP sent (their NameID), newest last. */
  logoutRequests: { nameId: string; sessionIndex: string | null }[];
  close(): Promise<void>;
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
      if (body.length > 100_000) req.destroy();
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
}

/**
 * Starts the IdP on 127.0.0.1. `spSloUrl` is where its LogoutResponses go; `attribute` is the
 * attribute the sign-in page puts the username in (UID by default), next to the NameID.
 */
export async function startTestIdp(
  options: { spSloUrl?: string; attribute?: string; authnContext?: string } = {},
): Promise<TestIdp> {
  const attribute = options.attribute ?? UID;
  const logoutRequests: TestIdp['logoutRequests'] = [];
  let origin = '';
  let entityId = '';

  const buildResponse = (o: ResponseOptions): string => {
    const now = new Date();
    const notBefore = o.notBefore ?? new Date(now.getTime() - 30_000);
    const notOnOrAfter = o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000);
    const assertionId = o.assertionId ?? `_a${randomUUID().replaceAll('-', '')}`;
    const issuer = xmlEscape(o.issuer ?? entityId);
    const attributes = Object.entries(o.attributes ?? {})
      .map(
        ([name, value]) =>
          `<saml:Attribute Name="${xmlEscape(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml:AttributeValue>${xmlEscape(value)}</saml:AttributeValue></saml:Attribute>`,
      )
      .join('');
    const assertion =
      `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${assertionId}" Version="2.0" IssueInstant="${instant(now)}">` +
      `<saml:Issuer>${issuer}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${xmlEscape(o.nameId)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${xmlEscape(o.inResponseTo)}" NotOnOrAfter="${instant(notOnOrAfter)}" Recipient="${xmlEscape(o.recipient ?? o.acsUrl)}"/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${instant(notBefore)}" NotOnOrAfter="${instant(notOnOrAfter)}"><saml:AudienceRestriction><saml:Audience>${xmlEscape(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${instant(now)}" SessionIndex="_s${randomUUID().replaceAll('-', '')}"><saml:AuthnContext><saml:AuthnContextClassRef>${xmlEscape(o.authnContext ?? LOA3)}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
      '</saml:Assertion>';
    let response =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomUUID().replaceAll('-', '')}" Version="2.0" IssueInstant="${instant(now)}" Destination="${xmlEscape(o.destination ?? o.acsUrl)}" InResponseTo="${xmlEscape(o.inResponseTo)}">` +
      `<saml:Issuer>${issuer}</saml:Issuer>` +
      '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
      `${assertion}</samlp:Response>`;
    const signedBy = o.signedBy ?? 'idp';
    if (signedBy !== 'nobody') {
      response = sign(response, signedBy === 'idp' ? TEST_KEYS.idp : TEST_KEYS.other);
    }
    return Buffer.from(response, 'utf8').toString('base64');
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    try {
      if (req.method === 'GET' && url.pathname === '/metadata') {
        res.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml' });
        res.end(metadataXml());
        return;
      }
      if (req.method === 'GET' && url.pathname === '/sso') {
        const xml = inflateRawSync(
          Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64'),
        );
        const request = new DOMParser().parseFromString(
          xml.toString('utf8'),
          'text/xml',
        ).documentElement;
        const id = request?.getAttribute('ID') ?? '';
        const acs = request?.getAttribute('AssertionConsumerServiceURL') ?? '';
        const audience =
          request?.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Issuer')[0]
            ?.textContent ?? '';
        const pending = Buffer.from(JSON.stringify({ id, acs, audience })).toString('base64url');
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(
          page(
            'Test-IdP',
            `<h1>Test-IdP: logga in</h1><form method="post" action="/sso/login">` +
              `<input type="hidden" name="pending" value="${pending}">` +
              '<label>Användarnamn <input name="username" autocomplete="off"></label>' +
              '<button type="submit">Logga in hos IdP</button></form>',
          ),
        );
        return;
      }
      if (req.method === 'POST' && url.pathname === '/sso/login') {
        const form = new URLSearchParams(await readBody(req));
        const pending = JSON.parse(
          Buffer.from(form.get('pending') ?? '', 'base64url').toString('utf8'),
        ) as { id: string; acs: string; audience: string };
        const username = form.get('username') ?? '';
        const samlResponse = buildResponse({
          inResponseTo: pending.id,
          acsUrl: pending.acs,
          audience: pending.audience,
          nameId: `idp-${username}`,
          attributes: { [attribute]: username },
          ...(options.authnContext ? { authnContext: options.authnContext } : {}),
        });
        // The browser carries the Response to the SP, as with any IdP (HTTP-POST binding).
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(
          page(
            'Skickar…',
            `<form method="post" action="${xmlEscape(pending.acs)}">` +
              `<input type="hidden" name="SAMLResponse" value="${samlResponse}">` +
              '<noscript><button type="submit">Fortsätt</button></noscript></form>' +
              '<script>document.forms[0].submit()</script>',
          ),
        );
        return;
      }
      if (req.method === 'GET' && url.pathname === '/slo') {
        const xml = inflateRawSync(
          Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64'),
        );
        const request = new DOMParser().parseFromString(
          xml.toString('utf8'),
          'text/xml',
        ).documentElement;
        const ns = 'urn:oasis:names:tc:SAML:2.0:assertion';
        const nsp = 'urn:oasis:names:tc:SAML:2.0:protocol';
        logoutRequests.push({
          nameId: request?.getElementsByTagNameNS(ns, 'NameID')[0]?.textContent ?? '',
          sessionIndex:
            request?.getElementsByTagNameNS(nsp, 'SessionIndex')[0]?.textContent ?? null,
        });
        const logoutResponse =
          `<samlp:LogoutResponse xmlns:samlp="${nsp}" xmlns:saml="${ns}" ID="_l${randomUUID().replaceAll('-', '')}" Version="2.0" IssueInstant="${instant(new Date())}" Destination="${xmlEscape(options.spSloUrl ?? '')}" InResponseTo="${xmlEscape(request?.getAttribute('ID') ?? '')}">` +
          `<saml:Issuer>${xmlEscape(entityId)}</saml:Issuer>` +
          `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`;
        const back = new URL(options.spSloUrl ?? '/');
        back.searchParams.set(
          'SAMLResponse',
          deflateRawSync(Buffer.from(logoutResponse)).toString('base64'),
        );
        res.writeHead(302, { Location: back.toString() });
        res.end();
        return;
      }
      res.writeHead(404);
      res.end();
    } catch {
      res.writeHead(400);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  entityId = `${origin}/idp`;

  function metadataXml(): string {
    const cert = TEST_KEYS.idp.cert.replace(/-----[^-]+-----|\s/g, '');
    return (
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ID="_metadata" entityID="${entityId}">` +
      '<md:IDPSSODescriptor ID="_idp" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="false">' +
      `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
      `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${origin}/slo"/>` +
      `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${origin}/sso"/>` +
      '</md:IDPSSODescriptor></md:EntityDescriptor>'
    );
  }

  const logoutRequestUrl = (spSloUrl: string, nameId: string, signed = true): string => {
    const request =
      `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_q${randomUUID().replaceAll('-', '')}" Version="2.0" IssueInstant="${instant(new Date())}" Destination="${xmlEscape(spSloUrl)}">` +
      `<saml:Issuer>${xmlEscape(entityId)}</saml:Issuer><saml:NameID>${xmlEscape(nameId)}</saml:NameID></samlp:LogoutRequest>`;
    const query = new URLSearchParams({
      SAMLRequest: deflateRawSync(Buffer.from(request)).toString('base64'),
      SigAlg: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    });
    // The redirect binding signs the query string itself, as it is sent.
    if (signed) {
      const signature = createSign('RSA-SHA256').update(query.toString()).sign(TEST_KEYS.idp.key);
      query.set('Signature', signature.toString('base64'));
    }
    return `${spSloUrl}?${query.toString()}`;
  };

  return {
    origin,
    entityId,
    logoutRequestUrl,
    metadataUrl: `${origin}/metadata`,
    metadataXml: metadataXml(),
    buildResponse,
    logoutRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
