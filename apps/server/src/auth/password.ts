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

// The rules of a new password are the domain's, which the forms state beside the field.
export { PASSWORD_MIN_LENGTH as MIN_PASSWORD_LENGTH, passwordProblem } from '@evb/domain';
