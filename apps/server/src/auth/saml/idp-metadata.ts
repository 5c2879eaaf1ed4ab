import { X509Certificate } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';

/*
 * What evb needs from the identity provider's SAML metadata: its entity id, where to send the
 * browser (SingleSignOnService, HTTP-Redirect), where single logout goes (SingleLogoutService,
 * optional) and the certificates its signatures are checked with. A federation's aggregate (Sambi
 * publishes every member in one EntitiesDescriptor) is read too: the IdP is picked by entity id,
 * or is the only IdP in it.
 */

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

export type IdpMetadata = {
  entityId: string;
  ssoUrl: string;
  sloUrl: string | null;
  /** PEM certificates whose keys may sign the IdP's assertions. */
  certificates: string[];
};

export class MetadataError extends Error {}

function children(parent: Element, ns: string, name: string): Element[] {
  return Array.from(parent.getElementsByTagNameNS(ns, name));
}

function redirectLocation(descriptor: Element, name: string): string | null {
  const service = children(descriptor, MD, name).find(
    (e) => e.parentNode === descriptor && e.getAttribute('Binding') === REDIRECT,
  );
  const location = service?.getAttribute('Location') ?? null;
  if (location === null) return null;
  if (!URL.canParse(location) || !/^https?:$/.test(new URL(location).protocol)) {
    throw new MetadataError(`its ${name} Location is not an http(s) URL`);
  }
  return location;
}

function toPem(base64: string): string {
  const body = base64.replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Reads IdP metadata; throws a MetadataError saying what is missing or wrong. */
export function parseIdpMetadata(xml: string, wantedEntityId: string | null): IdpMetadata {
  let root: Element | null;
  try {
    // Malformed XML throws (a ParseError); warnings are not worth the log.
    root = new DOMParser({ onError: () => {} }).parseFromString(xml, 'text/xml').documentElement;
  } catch {
    throw new MetadataError('it is not well-formed XML');
  }
  if (!root || root.namespaceURI !== MD) {
    throw new MetadataError('it is not SAML 2.0 metadata (no md:EntityDescriptor)');
  }
  const entities =
    root.localName === 'EntityDescriptor' ? [root] : children(root, MD, 'EntityDescriptor');
  const idps = entities.filter((e) => children(e, MD, 'IDPSSODescriptor').length > 0);
  let entity: Element | undefined;
  if (wantedEntityId !== null) {
    entity = idps.find((e) => e.getAttribute('entityID') === wantedEntityId);
    if (!entity) throw new MetadataError(`it holds no IdP with entityID ${wantedEntityId}`);
  } else if (idps.length === 1) {
    entity = idps[0];
  } else {
    throw new MetadataError(
      idps.length === 0
        ? 'it holds no identity provider (IDPSSODescriptor)'
        : `it holds ${idps.length} identity providers: name one with SAML_IDP_ENTITY_ID`,
    );
  }
  if (!entity) throw new MetadataError('it holds no identity provider');
  const entityId = entity.getAttribute('entityID');
  if (!entityId) throw new MetadataError('its EntityDescriptor has no entityID');
  const descriptor = children(entity, MD, 'IDPSSODescriptor')[0] as Element;

  const ssoUrl = redirectLocation(descriptor, 'SingleSignOnService');
  if (!ssoUrl) {
    throw new MetadataError('the IdP has no SingleSignOnService with the HTTP-Redirect binding');
  }
  const sloUrl = redirectLocation(descriptor, 'SingleLogoutService');

  const certificates: string[] = [];
  for (const key of children(descriptor, MD, 'KeyDescriptor')) {
    const use = key.getAttribute('use');
    if (use && use !== 'signing') continue;
    for (const cert of children(key, DS, 'X509Certificate')) {
      const pem = toPem(cert.textContent ?? '');
      try {
        new X509Certificate(pem);
      } catch {
        throw new MetadataError('one of the IdP’s signing certificates cannot be read');
      }
      certificates.push(pem);
    }
  }
  if (certificates.length === 0) {
    throw new MetadataError('the IdP has no signing certificate (KeyDescriptor use="signing")');
  }
  return { entityId, ssoUrl, sloUrl, certificates };
}
