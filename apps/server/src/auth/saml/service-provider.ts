import { inflateRawSync } from 'node:zlib';
import { type Profile, SAML, SamlStatusError, ValidateInResponseTo } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import { claimSamlAssertion, deleteExpiredSamlAssertions } from '../../data/saml';
import type { Db } from '../../db/database';
import type { RefusalReason, SignInRefusalCode } from '../external-identity';
import { NAME_ID, type SamlConfig } from './config';
import { databaseRequestStore, MAX_PENDING_SAML_REQUESTS } from './request-store';

/*
 * evb as a SAML 2.0 service provider, on @node-saml/node-saml. node-saml checks the signature
 * (the assertion's own, with the IdP's certificates from its metadata: wantAssertionsSigned), the
 * audience, the Conditions' and SubjectConfirmationData's NotBefore/NotOnOrAfter, and
 * InResponseTo against the requests evb sent (saml_request). What it leaves to its caller is
 * checked here, on the signed assertion it returns: the issuer, the bearer confirmation's
 * Recipient (our ACS), the Response's Destination, the browser that asked (InResponseTo equals the
 * request id its cookie holds), the level of assurance (AuthnContextClassRef) and replay (each
 * assertion id accepted once, saml_assertion).
 */

/** How long the IdP may take to answer an AuthnRequest (the user signs in with e-legitimation). */
export const REQUEST_VALID_MS = 10 * 60 * 1000;
/** The clock difference tolerated between the IdP and evb. */
export const CLOCK_SKEW_MS = 60 * 1000;

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const SHA256 = 'sha256';

export type SamlSubject = {
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
};

export type SamlCheck =
  | { ok: true; identity: unknown; subject: SamlSubject }
  | { ok: false; code: SignInRefusalCode; reason: RefusalReason };

type XmlJs = { $?: Record<string, string>; _?: string; [child: string]: unknown };

function first(node: XmlJs | undefined, child: string): XmlJs | undefined {
  const value = node?.[child];
  return Array.isArray(value) ? (value[0] as XmlJs) : undefined;
}

function all(node: XmlJs | undefined, child: string): XmlJs[] {
  const value = node?.[child];
  return Array.isArray(value) ? (value as XmlJs[]) : [];
}

const refusal = (code: SignInRefusalCode, reason: RefusalReason): SamlCheck => ({
  ok: false,
  code,
  reason,
});

/** A node-saml error as a refusal: which check failed, never its text (it quotes the IdP). */
function refusalOf(error: unknown): SamlCheck {
  if (error instanceof SamlStatusError) {
    if (error.xmlStatus.includes('NoAuthnContext')) return refusal('niva', 'nivå');
    if (/AuthnFailed|RequestDenied/.test(error.xmlStatus)) return refusal('avbruten', 'avbruten');
    return refusal('misslyckades', 'ogiltig');
  }
  const message = error instanceof Error ? error.message : '';
  if (/signature/i.test(message)) return refusal('misslyckades', 'signatur');
  if (/InResponseTo/i.test(message)) return refusal('misslyckades', 'tillstånd');
  return refusal('misslyckades', 'ogiltig');
}

/** The ID of the AuthnRequest (or LogoutRequest) a redirect URL carries. */
export function requestIdOfRedirect(url: string): string | null {
  const message = new URL(url).searchParams.get('SAMLRequest');
  if (!message) return null;
  const xml = inflateRawSync(Buffer.from(message, 'base64')).toString('utf8');
  return (
    new DOMParser().parseFromString(xml, 'text/xml').documentElement?.getAttribute('ID') ?? null
  );
}

export type ServiceProvider = ReturnType<typeof createServiceProvider>;

export function createServiceProvider(
  db: Db,
  config: SamlConfig,
  maxPending = MAX_PENDING_SAML_REQUESTS,
) {
  const { idp, sp } = config;
  const saml = new SAML({
    entryPoint: idp.ssoUrl,
    ...(idp.sloUrl ? { logoutUrl: idp.sloUrl } : {}),
    logoutCallbackUrl: sp.sloUrl,
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    audience: sp.entityId,
    idpCert: idp.certificates,
    idpIssuer: idp.entityId,
    // Sambi's profile: the assertion is signed; the Response around it may or may not be.
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: REQUEST_VALID_MS,
    cacheProvider: databaseRequestStore(db, REQUEST_VALID_MS, maxPending),
    // Whatever NameID the IdP gives by its agreement with the federation.
    identifierFormat: null,
    ...(config.authnContext
      ? { authnContext: [config.authnContext], racComparison: 'exact' as const }
      : { disableRequestedAuthnContext: true }),
    // With the SP's key pair: requests signed, and encrypted assertions (the Swedish eID
    // framework's IdPs encrypt them to the SP's certificate) decrypted before they are checked.
    ...(sp.privateKey && sp.certificate
      ? {
          privateKey: sp.privateKey,
          publicCert: sp.certificate,
          signatureAlgorithm: SHA256,
          decryptionPvk: sp.privateKey,
        }
      : {}),
    digestAlgorithm: SHA256,
  });

  /** What node-saml leaves to its caller, on the assertion it verified. */
  function checkAssertion(profile: Profile, expectedRequestId: string): SamlCheck | Date {
    const assertion = (profile.getAssertion?.() as { Assertion?: XmlJs } | undefined)?.Assertion;
    if (!assertion) return refusal('misslyckades', 'ogiltig');
    if (profile.issuer !== idp.entityId) return refusal('misslyckades', 'signatur');

    // The Response's Destination, when the IdP names one (it is outside the signed assertion
    // unless the whole Response was signed, so it only adds to the Recipient check below).
    const responseXml = profile.getSamlResponseXml?.();
    if (responseXml) {
      const response = new DOMParser().parseFromString(responseXml, 'text/xml').documentElement;
      const destination = response?.getAttribute('Destination');
      if (destination && destination !== sp.acsUrl) return refusal('misslyckades', 'ogiltig');
    }

    // A bearer confirmation for our ACS, answering this browser's request, not yet expired.
    const now = Date.now();
    const confirmation = all(first(assertion, 'Subject'), 'SubjectConfirmation')
      .filter((c) => c.$?.Method === BEARER)
      .map((c) => first(c, 'SubjectConfirmationData')?.$)
      .find(
        (data) =>
          data?.Recipient === sp.acsUrl &&
          data.InResponseTo === expectedRequestId &&
          data.NotOnOrAfter !== undefined &&
          Date.parse(data.NotOnOrAfter) + CLOCK_SKEW_MS > now,
      );
    if (!confirmation?.NotOnOrAfter) return refusal('misslyckades', 'ogiltig');

    if (config.authnContext) {
      const classRef = first(
        first(first(assertion, 'AuthnStatement'), 'AuthnContext'),
        'AuthnContextClassRef',
      )?._;
      if (classRef?.trim() !== config.authnContext) return refusal('niva', 'nivå');
    }
    return new Date(Date.parse(confirmation.NotOnOrAfter) + CLOCK_SKEW_MS);
  }

  return {
    config,

    /** The IdP's address with a new AuthnRequest (HTTP-Redirect), and the request's id. */
    async loginRedirect(): Promise<{ url: string; requestId: string }> {
      const url = await saml.getAuthorizeUrlAsync('', undefined, {});
      const requestId = requestIdOfRedirect(url);
      if (!requestId) throw new Error('node-saml made an AuthnRequest without an ID');
      return { url, requestId };
    },

    /** The SP's metadata for the federation. */
    metadata(): string {
      return saml.generateServiceProviderMetadata(sp.certificate, sp.certificate);
    },

    /**
     * Checks a Response posted to the ACS. `requestId` is the AuthnRequest id the browser's
     * cookie holds (null: the browser did not start a sign-in, or too long ago).
     */
    async checkResponse(samlResponse: string, requestId: string | null): Promise<SamlCheck> {
      let profile: Profile | null;
      try {
        ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse }));
      } catch (error) {
        return refusalOf(error);
      }
      if (!profile) return refusal('misslyckades', 'ogiltig');
      if (requestId === null || profile.inResponseTo !== requestId) {
        return refusal('misslyckades', 'tillstånd');
      }
      const expiresAt = checkAssertion(profile, requestId);
      if (!(expiresAt instanceof Date)) return expiresAt;

      const assertion = profile.getAssertion?.() as { Assertion?: XmlJs } | undefined;
      const assertionId = assertion?.Assertion?.$?.ID;
      if (!assertionId || assertionId.length > 256) return refusal('misslyckades', 'ogiltig');
      await deleteExpiredSamlAssertions(db, new Date());
      if (!(await claimSamlAssertion(db, assertionId, expiresAt))) {
        return refusal('misslyckades', 'ogiltig');
      }

      const identity =
        config.userAttribute === NAME_ID
          ? profile.nameID
          : (profile.attributes as Record<string, unknown> | undefined)?.[config.userAttribute];
      return {
        ok: true,
        identity,
        subject: {
          nameId: profile.nameID,
          nameIdFormat: profile.nameIDFormat ?? null,
          sessionIndex: profile.sessionIndex ?? null,
        },
      };
    },

    /** Whether single logout at the IdP is possible: its SLO address and our key to sign with. */
    get canLogOutAtIdp(): boolean {
      return idp.sloUrl !== null && sp.privateKey !== null;
    },

    /** The IdP's SLO address with a signed LogoutRequest for the subject. */
    async logoutRedirect(subject: SamlSubject): Promise<string> {
      return saml.getLogoutUrlAsync(
        {
          issuer: idp.entityId,
          nameID: subject.nameId,
          nameIDFormat:
            subject.nameIdFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
          ...(subject.sessionIndex ? { sessionIndex: subject.sessionIndex } : {}),
        },
        '',
        {},
      );
    },

    /**
     * A message the IdP sent to the SLO address, by redirect (query) or POST (form). A
     * LogoutRequest must be signed; its subject is returned to be signed out. A LogoutResponse
     * answers ours: nothing is left to do.
     */
    async checkLogoutMessage(
      message:
        | { query: Record<string, string>; originalQuery: string }
        | { form: Record<string, string> },
    ): Promise<
      | { kind: 'request'; subject: SamlSubject; profile: Profile }
      | { kind: 'response' }
      | { kind: 'refused' }
    > {
      try {
        if ('query' in message) {
          const isRequest = message.query.SAMLRequest !== undefined;
          if (isRequest && !message.query.Signature) return { kind: 'refused' };
          const { profile } = await saml.validateRedirectAsync(
            message.query,
            message.originalQuery,
          );
          if (!isRequest) return { kind: 'response' };
          if (!profile) return { kind: 'refused' };
          return { kind: 'request', subject: subjectOf(profile), profile };
        }
        if (message.form.SAMLRequest) {
          const { profile } = await saml.validatePostRequestAsync(message.form);
          if (!profile) return { kind: 'refused' };
          return { kind: 'request', subject: subjectOf(profile), profile };
        }
        const { loggedOut } = await saml.validatePostResponseAsync(message.form);
        return loggedOut ? { kind: 'response' } : { kind: 'refused' };
      } catch {
        return { kind: 'refused' };
      }
    },

    /** Our LogoutResponse to the IdP's LogoutRequest, by redirect. */
    async logoutResponseRedirect(profile: Profile): Promise<string> {
      return saml.getLogoutResponseUrlAsync(profile, '', {}, true);
    },
  };
}

function subjectOf(profile: Profile): SamlSubject {
  return {
    nameId: profile.nameID,
    nameIdFormat: profile.nameIDFormat ?? null,
    sessionIndex: profile.sessionIndex ?? null,
  };
}
