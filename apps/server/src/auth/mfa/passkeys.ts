import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { z } from 'zod';

/*
 * Passkeys (WebAuthn) through @simplewebauthn/server. The relying party is this server: its id
 * the host of PUBLIC_ORIGIN (else of the request's own origin), and an answer must come from that
 * exact origin. User verification is preferred, not required: the password was the first factor.
 * Every string of a browser's answer is bounded before the library reads it.
 */

export type RelyingParty = { rpID: string; origin: string };

/** The relying party of an origin (`https://evb.kommun.se` → evb.kommun.se); null without one. */
export function relyingPartyOf(origin: string | null | undefined): RelyingParty | null {
  if (!origin || !URL.canParse(origin)) return null;
  const url = new URL(origin);
  return { rpID: url.hostname, origin: url.origin };
}

const TOO_LONG = 'Svaret från nyckeln är för långt.';
const b64 = (max: number) =>
  z
    .string({ error: 'Svaret från nyckeln kunde inte läsas.' })
    .max(max, { error: TOO_LONG })
    .regex(/^[A-Za-z0-9_-]*={0,2}$/, { error: 'Svaret från nyckeln kunde inte läsas.' });

const Transports = z
  .array(z.string().max(32, { error: TOO_LONG }))
  .max(10, { error: TOO_LONG })
  .optional();
const Attachment = z.enum(['platform', 'cross-platform']).optional();
const Extensions = z
  .object({ credProps: z.object({ rk: z.boolean().optional() }).optional() })
  .optional()
  .default({});

/** A credential id is at most 1023 bytes (WebAuthn), 1364 characters in base64url. */
const CredentialId = b64(1400);

/** What a registration and an authentication answer share: the credential and its extensions. */
const PublicKeyCredential = z.object({
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key'),
  authenticatorAttachment: Attachment,
  clientExtensionResults: Extensions,
});

export const RegistrationResponseSchema = PublicKeyCredential.extend({
  response: z.object({
    clientDataJSON: b64(4096),
    attestationObject: b64(16_384),
    authenticatorData: b64(8192).optional(),
    transports: Transports,
    publicKeyAlgorithm: z.number().int().min(-65_536).max(65_536).optional(),
    publicKey: b64(4096).optional(),
  }),
});

export const AuthenticationResponseSchema = PublicKeyCredential.extend({
  response: z.object({
    clientDataJSON: b64(4096),
    authenticatorData: b64(8192),
    signature: b64(1024),
    userHandle: b64(1024).optional(),
  }),
});

export type StoredPasskey = {
  id: string;
  publicKey: string;
  counter: number;
  transports: string | null;
};

function transportsOf(passkey: Pick<StoredPasskey, 'transports'>) {
  return passkey.transports ? passkey.transports.split(',') : undefined;
}

export function registrationOptions(
  rp: RelyingParty,
  user: { id: string; username: string; displayName: string },
  existing: readonly StoredPasskey[],
) {
  return generateRegistrationOptions({
    rpName: 'evb',
    rpID: rp.rpID,
    userName: user.username,
    userDisplayName: user.displayName,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: transportsOf(p) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
}

/** The verified credential to keep; null when the answer does not hold. */
export async function verifyRegistration(
  rp: RelyingParty,
  challenge: string,
  response: z.infer<typeof RegistrationResponseSchema>,
) {
  try {
    const result = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: false,
    });
    if (!result.verified) return null;
    const { credential } = result.registrationInfo;
    return {
      id: credential.id,
      publicKey: isoBase64URL.fromBuffer(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports?.length ? credential.transports.join(',') : null,
    };
  } catch {
    // The library throws on every way an answer can be wrong; all mean the same to the user.
    return null;
  }
}

export function authenticationOptions(rp: RelyingParty, passkeys: readonly StoredPasskey[]) {
  return generateAuthenticationOptions({
    rpID: rp.rpID,
    allowCredentials: passkeys.map((p) => ({ id: p.id, transports: transportsOf(p) })),
    userVerification: 'preferred',
  });
}

/** The challenge an answer signed (from its clientDataJSON); null when it cannot be read. */
export function challengeOf(response: { response: { clientDataJSON: string } }): string | null {
  try {
    const data = JSON.parse(
      new TextDecoder().decode(isoBase64URL.toBuffer(response.response.clientDataJSON)),
    ) as { challenge?: unknown };
    return typeof data.challenge === 'string' && data.challenge.length <= 1024
      ? data.challenge
      : null;
  } catch {
    return null;
  }
}

/** The authenticator's new signature counter; null when the answer does not hold. */
export async function verifyAuthentication(
  rp: RelyingParty,
  challenge: string,
  passkey: StoredPasskey,
  response: z.infer<typeof AuthenticationResponseSchema>,
): Promise<number | null> {
  try {
    const result = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: {
        id: passkey.id,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter: passkey.counter,
        transports: transportsOf(passkey),
      },
      requireUserVerification: false,
    });
    return result.verified ? result.authenticationInfo.newCounter : null;
  } catch {
    return null;
  }
}
