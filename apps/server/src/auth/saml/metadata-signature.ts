import { DOMParser, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

/*
 * A federation's metadata (Sambi's, or any aggregate) is signed by the federation operator: the
 * signature is what makes the IdP's certificates in it trustworthy, wherever the file came from.
 * With SAML_IDP_METADATA_CERTIFICATE set, evb reads the metadata only through this check:
 *
 * - the root element carries an ID and exactly one ds:Signature as its own child;
 * - that signature has exactly one Reference, and it names the root: `#<the root's ID>` (or "",
 *   the whole document, whose element is the root), with at most the enveloped-signature and a
 *   canonicalisation transform;
 * - no other element in the document has that ID (xml-crypto refuses that too);
 * - xml-crypto verifies the digest and the signature with the configured certificate only (the
 *   KeyInfo in the file is ignored: anyone can put a certificate there);
 * - and what is returned is the canonical XML that xml-crypto verified, not the file: whatever
 *   else a wrapped document holds is never read. This is node-saml's way with assertions
 *   (getVerifiedXml), and xml-crypto's own advice (getSignedReferences).
 */

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const ALLOWED_TRANSFORMS = new Set([
  'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
]);

export class MetadataSignatureError extends Error {}

function elementsWithId(root: Element, id: string): number {
  let count = 0;
  const visit = (element: Element) => {
    for (const name of ['ID', 'Id', 'id']) if (element.getAttribute(name) === id) count++;
    for (const child of Array.from(element.childNodes)) {
      if (child.nodeType === child.ELEMENT_NODE) visit(child as Element);
    }
  };
  visit(root);
  return count;
}

/**
 * The metadata's root element as signed by `certificate` (PEM), canonicalised; throws a
 * MetadataSignatureError saying what is wrong.
 */
export function verifiedMetadataXml(xml: string, certificate: string): string {
  // As node-saml does before verifying: line ends as the signer's canonicalisation saw them.
  const text = xml.replace(/\r\n?/g, '\n');
  let root: Element | null;
  try {
    root = new DOMParser({ onError: () => {} }).parseFromString(text, 'text/xml').documentElement;
  } catch {
    throw new MetadataSignatureError('it is not well-formed XML');
  }
  if (!root) throw new MetadataSignatureError('it is not well-formed XML');
  const rootId = root.getAttribute('ID');
  const signatures = Array.from(root.childNodes).filter(
    (node): node is Element =>
      node.nodeType === node.ELEMENT_NODE &&
      (node as Element).namespaceURI === DS &&
      (node as Element).localName === 'Signature',
  );
  if (signatures.length === 0) throw new MetadataSignatureError('its root element is not signed');
  if (signatures.length > 1) {
    throw new MetadataSignatureError('its root element carries more than one signature');
  }
  if (!rootId) {
    throw new MetadataSignatureError('its root element has no ID for a signature to name');
  }
  if (elementsWithId(root, rootId) !== 1) {
    throw new MetadataSignatureError('the ID of its root element is not unique in it');
  }
  const signature = signatures[0] as Element;
  const transforms = Array.from(signature.getElementsByTagNameNS(DS, 'Transform')).map(
    (t) => t.getAttribute('Algorithm') ?? '',
  );
  if (transforms.length > 2 || !transforms.every((t) => ALLOWED_TRANSFORMS.has(t))) {
    throw new MetadataSignatureError('its signature has transforms other than a signature’s own');
  }

  // The configured certificate only: getCertFromKeyInfo is left as xml-crypto's default, which
  // takes nothing from the document's KeyInfo.
  const signed = new SignedXml({ publicCert: certificate });
  try {
    signed.loadSignature(signature.toString());
  } catch {
    throw new MetadataSignatureError('its signature cannot be read');
  }
  const references = signed.getReferences();
  const uri = references[0]?.uri ?? null;
  if (references.length !== 1 || (uri !== `#${rootId}` && uri !== '')) {
    throw new MetadataSignatureError('its signature is not over its root element');
  }
  let valid: boolean;
  try {
    valid = signed.checkSignature(text);
  } catch {
    valid = false;
  }
  const verified = signed.getSignedReferences();
  if (!valid || verified.length !== 1) {
    throw new MetadataSignatureError(
      'its signature does not verify with that certificate (signed by another key, or changed since it was signed)',
    );
  }
  return verified[0] as string;
}
