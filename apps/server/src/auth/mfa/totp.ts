import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';

/*
 * TOTP (RFC 6238) as every authenticator app does it: SHA-1, 30-second steps, 6 digits. A code of
 * the step before or after now is accepted too (a phone's clock a little off), and the step
 * accepted is returned, so that the caller remembers it and a code is never accepted twice.
 * The steps are counted from the server's clock (ctx.clock), not Date.now(), so tests can fix it.
 */

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now whose code is accepted. */
const WINDOW = 1;

/** A new TOTP key: 20 random bytes (160 bits, as RFC 4226 recommends), in base32. */
export function newTotpSecret(): string {
  const key = new Uint8Array(20);
  crypto.getRandomValues(key);
  return encodeBase32UpperCaseNoPadding(key);
}

/** otpauth://totp/evb:<username>?secret=…&issuer=evb, for the app's QR code. */
export function totpUri(username: string, secret: string): string {
  return createTOTPKeyURI(
    'evb',
    username,
    decodeBase32IgnorePadding(secret),
    TOTP_PERIOD_SECONDS,
    TOTP_DIGITS,
  );
}

export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / (TOTP_PERIOD_SECONDS * 1000));
}

/** The code for a step (tests, and the software authenticator they play). */
export function totpCode(secret: string, step: number): string {
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), TOTP_DIGITS);
}

/** "123 456" → "123456"; null when it is not six digits then. */
export function normaliseTotpCode(code: string): string | null {
  const digits = code.replace(/\s+/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * The step whose code `code` is, within one step of `now`, later than `after` (the last step
 * accepted); null when none. Every step in the window is compared, in constant time each.
 */
export function matchTotpStep(
  secret: string,
  code: string,
  now: Date,
  after: number | null = null,
): number | null {
  const given = normaliseTotpCode(code);
  if (!given) return null;
  const current = totpStep(now);
  let found: number | null = null;
  for (let step = current - WINDOW; step <= current + WINDOW; step++) {
    const expected = new TextEncoder().encode(totpCode(secret, step));
    if (constantTimeEqual(expected, new TextEncoder().encode(given)) && found === null) {
      found = step;
    }
  }
  if (found === null || (after !== null && found <= after)) return null;
  return found;
}
