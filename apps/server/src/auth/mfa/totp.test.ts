import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import { matchTotpStep, normaliseTotpCode, totpCode, totpStep, totpUri } from './totp';

/*
 * TOTP as authenticator apps compute it: RFC 6238's own test vectors (SHA-1, the ASCII key
 * "12345678901234567890"; the RFC's 8-digit codes end in the 6 digits an app shows).
 */

const RFC_SECRET = encodeBase32UpperCaseNoPadding(new TextEncoder().encode('12345678901234567890'));

describe('TOTP', () => {
  it('gives RFC 6238’s codes', () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
    ];
    for (const [seconds, code] of vectors) {
      expect(totpCode(RFC_SECRET, totpStep(new Date(seconds * 1000)))).toBe(code.slice(2));
    }
  });

  it('accepts the step before and after now, not two away, nor a step already used', () => {
    const now = new Date(1234567890 * 1000);
    const step = totpStep(now);
    expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, step - 1), now)).toBe(step - 1);
    expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, step + 1), now)).toBe(step + 1);
    expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, step - 2), now)).toBeNull();
    expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, step), now, step)).toBeNull();
    expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, step), now, step - 1)).toBe(step);
  });

  it('reads six digits with spaces, nothing else', () => {
    expect(normaliseTotpCode(' 123 456 ')).toBe('123456');
    expect(normaliseTotpCode('12345')).toBeNull();
    expect(normaliseTotpCode('１２３４５６')).toBeNull();
  });

  it('makes the URI an app reads', () => {
    const uri = new URL(totpUri('anna', RFC_SECRET));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/evb:anna');
    expect(uri.searchParams.get('secret')).toBe(RFC_SECRET);
    expect(uri.searchParams.get('issuer')).toBe('evb');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });
});
