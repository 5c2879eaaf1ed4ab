/**
 * Why the browser's passkey ceremony failed, in Swedish. The browser's own messages are English
 * and technical; the user needs to know whether to try again, pick another key or another way.
 */
export function webAuthnFailure(error: unknown, ceremony: 'sign-in' | 'register'): string {
  const name = error instanceof Error ? error.name : '';
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || name === 'InvalidStateError') {
    return 'Den här nyckeln är redan tillagd på ditt konto.';
  }
  if (name === 'NotAllowedError' || code === 'ERROR_CEREMONY_ABORTED' || name === 'AbortError') {
    return ceremony === 'sign-in'
      ? 'Nyckeln användes inte: det avbröts eller tog för lång tid. Försök igen, eller välj ett annat sätt.'
      : 'Nyckeln lades inte till: det avbröts eller tog för lång tid. Försök igen.';
  }
  if (
    name === 'SecurityError' ||
    code === 'ERROR_INVALID_DOMAIN' ||
    code === 'ERROR_INVALID_RP_ID'
  ) {
    return 'Nycklar fungerar bara när evb är öppnat med sin vanliga adress (https). Kontakta den som förvaltar evb.';
  }
  if (typeof window !== 'undefined' && !('PublicKeyCredential' in window)) {
    return 'Den här webbläsaren kan inte använda nycklar. Välj ett annat sätt eller en annan webbläsare.';
  }
  return ceremony === 'sign-in'
    ? 'Nyckeln kunde inte användas. Försök igen, eller välj ett annat sätt.'
    : 'Nyckeln kunde inte läggas till. Försök igen.';
}
