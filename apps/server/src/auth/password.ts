import { hash, verify } from '@node-rs/argon2';

// argon2id (the library's default algorithm) with OWASP's minimum: 19 MiB, 2 iterations.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so both cases take as long. */
export const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$UvXk9dRHAnD5JWBhl2G+GQ$5d8BriYlHJQVsCDr2S3267RUsaeeeCK1OSYKTMDUsOk';

/** The shortest new password accepted. */
export const MIN_PASSWORD_LENGTH = 10;

/** Swedish rules for a new password; null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Lösenordet måste ha minst ${MIN_PASSWORD_LENGTH} tecken`;
  }
  if (password.length > 200) return 'Lösenordet får ha högst 200 tecken';
  return null;
}
