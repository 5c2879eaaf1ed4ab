import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/*
 * Recovery codes: ten one-time codes `xxxxx-xxxxx` of base32 (a–z, 2–7), 50 random bits each —
 * too many to guess within the sign-in throttle, so a plain SHA-256 is enough to keep them (no
 * slow hash); they are compared in constant time.
 */

export const RECOVERY_CODE_COUNT = 10;

function newCode(): string {
  const bytes = new Uint8Array(7);
  crypto.getRandomValues(bytes);
  // 7 bytes are 56 bits; the first 10 base32 letters are 50 of them.
  const letters = encodeBase32LowerCaseNoPadding(bytes).slice(0, 10);
  return `${letters.slice(0, 5)}-${letters.slice(5)}`;
}

/** `ABCDE-fghij`, `abcde fghij`, `abcdefghij` → `abcdefghij`; null when it cannot be a code. */
export function normaliseRecoveryCode(code: string): string | null {
  const letters = code.toLowerCase().replace(/[\s-]+/g, '');
  return /^[a-z2-7]{10}$/.test(letters) ? letters : null;
}

export function hashRecoveryCode(code: string): string {
  const letters = normaliseRecoveryCode(code) ?? '';
  return encodeHexLowerCase(sha256(new TextEncoder().encode(letters)));
}

/** Ten new codes, and the hashes to keep. */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

/** Which of `hashes` the code is; each compared in constant time. */
export function matchRecoveryCode(hashes: readonly string[], code: string): string | null {
  if (!normaliseRecoveryCode(code)) return null;
  const given = new TextEncoder().encode(hashRecoveryCode(code));
  let found: string | null = null;
  for (const hash of hashes) {
    if (constantTimeEqual(new TextEncoder().encode(hash), given) && found === null) found = hash;
  }
  return found;
}
