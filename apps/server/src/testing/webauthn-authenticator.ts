import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

/*
 * A software WebAuthn authenticator for tests: one ES256 key pair (node:crypto), 'none'
 * attestation, the attestation object CBOR-encoded, authenticator data with the RP id's hash, the
 * flags UP|UV (and AT when registering), a signature counter and the credential's data — what a
 * platform authenticator answers, so that @simplewebauthn/server verifies the real thing. Each
 * part can be made wrong on purpose (another origin, RP id or challenge).
 */

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

function sha256(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

function uint32(n: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, n);
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const b64 = (bytes: Uint8Array) => isoBase64URL.fromBuffer(new Uint8Array(bytes));

export type Tampering = { origin?: string; rpId?: string; challenge?: string };

export class SoftwareAuthenticator {
  readonly credentialId: Uint8Array = new Uint8Array(randomBytes(16));
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  /** The signature counter; goes up with each assertion. */
  signCount = 0;

  constructor(readonly origin: string) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  get id(): string {
    return b64(this.credentialId);
  }

  private cosePublicKey(): Uint8Array {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, isoBase64URL.toBuffer(jwk.x ?? '')],
        [-3, isoBase64URL.toBuffer(jwk.y ?? '')],
      ]),
    );
  }

  private clientData(type: string, challenge: string, origin: string): Uint8Array {
    return new TextEncoder().encode(
      JSON.stringify({ type, challenge, origin, crossOrigin: false }),
    );
  }

  /** navigator.credentials.create's answer to the options. */
  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    tamper: Tampering = {},
  ): RegistrationResponseJSON {
    const rpId = tamper.rpId ?? options.rp.id ?? '';
    const credentialData = concat(
      new Uint8Array(16), // AAGUID: none
      new Uint8Array([this.credentialId.length >> 8, this.credentialId.length & 0xff]),
      this.credentialId,
      this.cosePublicKey(),
    );
    const authData = concat(
      sha256(rpId),
      new Uint8Array([UP | UV | AT]),
      uint32(this.signCount),
      credentialData,
    );
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', authData],
      ]),
    );
    const clientDataJSON = this.clientData(
      'webauthn.create',
      tamper.challenge ?? options.challenge,
      tamper.origin ?? this.origin,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64(clientDataJSON),
        attestationObject: b64(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /** navigator.credentials.get's answer to the options; the counter goes up by one. */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    tamper: Tampering = {},
  ): AuthenticationResponseJSON {
    const rpId = tamper.rpId ?? options.rpId ?? '';
    this.signCount += 1;
    const authData = concat(sha256(rpId), new Uint8Array([UP | UV]), uint32(this.signCount));
    const clientDataJSON = this.clientData(
      'webauthn.get',
      tamper.challenge ?? options.challenge,
      tamper.origin ?? this.origin,
    );
    const signature = sign('sha256', concat(authData, sha256(clientDataJSON)), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64(clientDataJSON),
        authenticatorData: b64(authData),
        signature: b64(new Uint8Array(signature)),
      },
    };
  }
}
