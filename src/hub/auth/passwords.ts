import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's recommended minimum cost (19 MiB, 2 passes).
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

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

/** Checks a sign-in's password against the user's hash, or null for an unknown user. */
export type PasswordCheck = (passwordHash: string | null, password: string) => Promise<boolean>;

/**
 * An unknown user's sign-in is checked against a dummy hash of the same cost, made once here, so
 * it is refused as slowly as a known user's wrong password: the time does not tell names apart.
 */
export async function createPasswordCheck(): Promise<PasswordCheck> {
  const dummy = await hashPassword(randomBytes(32).toString('base64'));
  return async (passwordHash, password) => {
    const matches = await verifyPassword(passwordHash ?? dummy, password);
    return passwordHash !== null && matches;
  };
}
