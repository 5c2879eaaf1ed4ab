import { z } from 'zod';

/*
 * The rules of a user account's fields — username, name, contact details, a new password — as the
 * server enforces them (users.create, users.update, resetPassword, changeOwnPassword, the
 * reporters' contact details) and as the forms state them before anything is typed. One source,
 * so the hint beside a field is the rule the server applies.
 */

export const USERNAME_MIN_LENGTH = 2;
export const USERNAME_MAX_LENGTH = 50;
export const DISPLAY_NAME_MAX_LENGTH = 200;
export const EMAIL_MAX_LENGTH = 200;
export const TELEFON_MAX_LENGTH = 40;
/** The shortest new password accepted. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
/** The longest external id (an HSA-id is 31 characters, an e-mail address at most 254). */
export const EXTERNAL_ID_MAX_LENGTH = 256;

/** The rules in words, for the hint beside each field. */
export const ACCOUNT_FIELD_RULES = {
  username: `${USERNAME_MIN_LENGTH}–${USERNAME_MAX_LENGTH} tecken: a–z, 0–9, punkt, bindestreck och understreck. Stora bokstäver blir små.`,
  displayName: `För- och efternamn, högst ${DISPLAY_NAME_MAX_LENGTH} tecken.`,
  email: `En e-postadress som namn@kommun.se, högst ${EMAIL_MAX_LENGTH} tecken.`,
  telefon: `Siffror, mellanslag, parenteser och bindestreck, gärna med + först; 5–${TELEFON_MAX_LENGTH} tecken.`,
  externalId: `Värdet som kommunens inloggningstjänst skickar för användaren: HSA-id, anställningsnummer, UPN eller e-postadress, högst ${EXTERNAL_ID_MAX_LENGTH} tecken utan mellanslag. Stora och små bokstäver räknas som samma. Lämna tomt för att använda användarnamnet.`,
  password: `Minst ${PASSWORD_MIN_LENGTH} och högst ${PASSWORD_MAX_LENGTH} tecken. Ett långt lösenord av flera ord är lättare att minnas och svårare att gissa.`,
} as const;

/** Swedish rules for a new password; null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `Lösenordet måste ha minst ${PASSWORD_MIN_LENGTH} tecken`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `Lösenordet får ha högst ${PASSWORD_MAX_LENGTH} tecken`;
  }
  return null;
}

/** An empty text field means "none". */
const blankToNull = (value: unknown) => (typeof value === 'string' ? value.trim() || null : value);

export const EmailSchema = z.preprocess(
  blankToNull,
  z
    .email({ error: 'Ange en giltig e-postadress' })
    .max(EMAIL_MAX_LENGTH, { error: `E-postadressen får ha högst ${EMAIL_MAX_LENGTH} tecken` })
    .nullable(),
);

export const TelefonSchema = z.preprocess(
  blankToNull,
  z
    .string({ error: 'Ange ett telefonnummer' })
    .max(TELEFON_MAX_LENGTH, {
      error: 'Ange ett giltigt telefonnummer (siffror, mellanslag, + och -)',
    })
    .regex(/^\+?[0-9][0-9 ()-]{4,39}$/, {
      error: 'Ange ett giltigt telefonnummer (siffror, mellanslag, + och -)',
    })
    .nullable(),
);

export const DisplayNameSchema = z
  .string({ error: 'Ange namn' })
  .trim()
  .min(1, { error: 'Ange namn' })
  .max(DISPLAY_NAME_MAX_LENGTH, { error: `Namnet får ha högst ${DISPLAY_NAME_MAX_LENGTH} tecken` });

export const UsernameSchema = z
  .string({ error: 'Ange användarnamn' })
  .trim()
  .toLowerCase()
  .min(USERNAME_MIN_LENGTH, { error: `Användarnamnet ska ha minst ${USERNAME_MIN_LENGTH} tecken` })
  .max(USERNAME_MAX_LENGTH, { error: `Användarnamnet får ha högst ${USERNAME_MAX_LENGTH} tecken` })
  .regex(/^[a-z0-9._-]+$/, {
    error: 'Användarnamnet får bara innehålla a–z, 0–9, punkt, bindestreck och understreck',
  });

/**
 * The value of the identity provider's claim or attribute that signs the user in instead of the
 * username (issue 14); blank is none.
 */
export const ExternalIdSchema = z.preprocess(
  blankToNull,
  z
    .string({ error: 'Ange ett externt id' })
    .max(EXTERNAL_ID_MAX_LENGTH, {
      error: `Det externa id:t får ha högst ${EXTERNAL_ID_MAX_LENGTH} tecken`,
    })
    .regex(/^[^\s\p{C}]+$/u, {
      error: 'Det externa id:t får inte innehålla mellanslag eller kontrolltecken',
    })
    .nullable(),
);

export const NewPasswordSchema = z
  .string({ error: 'Ange lösenord' })
  .max(PASSWORD_MAX_LENGTH, { error: `Lösenordet får ha högst ${PASSWORD_MAX_LENGTH} tecken` })
  .superRefine((password, ctx) => {
    if (password.length > PASSWORD_MAX_LENGTH) return;
    const problem = passwordProblem(password);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * Every problem of the values at once, by field (the first message of each), as a form shows them
 * beside its fields. `schemas` names the fields checked; the others are left alone.
 */
export function accountFieldProblems(
  schemas: Readonly<Record<string, z.ZodType>>,
  values: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [field, schema] of Object.entries(schemas)) {
    const result = schema.safeParse(values[field]);
    if (!result.success) problems[field] = result.error.issues[0]?.message ?? 'Fältet är fel';
  }
  return problems;
}
