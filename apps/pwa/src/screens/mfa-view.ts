/*
 * What the two-step verification screens say, as plain functions (tested without a screen).
 */

/** A base32 secret in groups of four, for typing into an app by hand. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/** "App", "2 nycklar", "App och 1 nyckel" or "Av": which second factors a user has. */
export function describeFactors(mfa: { totp: boolean; passkeys: number }): string {
  const keys = mfa.passkeys === 1 ? '1 nyckel' : `${mfa.passkeys} nycklar`;
  if (mfa.totp && mfa.passkeys > 0) return `App och ${keys}`;
  if (mfa.totp) return 'App';
  if (mfa.passkeys > 0) return keys;
  return 'Av';
}

/** The text file of new recovery codes, with what they are for. */
export function recoveryCodesFile(username: string, codes: readonly string[], at: Date): string {
  const day = at.toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
  return [
    `Återställningskoder för evb, användare ${username}, skapade ${day}.`,
    'Varje kod fungerar en gång, i stället för nyckeln eller koden från appen.',
    'Förvara dem säkert. När du skapar nya koder slutar de här att gälla.',
    '',
    ...codes,
    '',
  ].join('\r\n');
}

/** Saves text as a file through the browser's download. */
export function downloadText(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
