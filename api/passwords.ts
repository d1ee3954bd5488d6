/**
 * People's passwords: argon2id hashes (never the password), a floor on length, and a refusal of
 * the passwords attackers try first. Nothing here logs or echoes a password.
 */
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): about 20 ms here, so that a sign-in stays
 * cheap for the server and a stolen hash stays dear to crack. argon2id is the binding's default
 * algorithm (its enum is a const enum, absent at run time); tests check the `$argon2id$` prefix.
 */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const MIN_PASSWORD_LENGTH = 12;

/**
 * zxcvbn-ts's list of common passwords (tens of thousands, from leaked password sets), kept up to
 * date by that project; compared ignoring case, as the list is lower case.
 */
const COMMON_PASSWORDS = new Set(dictionary['passwords-common'].map((password) => password.toLowerCase()));

/** Why a password may not be used, or null when it may. The reason never quotes the password. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `the password must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'the password is on a list of common passwords: choose another';
  // What people do to meet a length rule: a common password with digits or symbols before or after it.
  if (COMMON_PASSWORDS.has(lower.replace(/^[\d\W_]+|[\d\W_]+$/g, ''))) {
    return 'the password is a common password with digits or symbols added: choose another';
  }
  if (new Set(password).size < 4) return 'the password repeats too few characters: choose another';
  return null;
}

/** 24 random characters (144 bits) from the URL-safe alphabet, for people to replace or keep in a password manager. */
export const generatePassword = () => randomBytes(18).toString('base64url');

export const hashPassword = (password: string) => hash(password, ARGON2);

/**
 * Verified against a hash made like every stored one, when the email matches nobody: an unknown
 * email costs the same argon2id work as a wrong password, so timing does not tell them apart.
 */
const dummyHash = hashPassword(generatePassword());

/** Whether `password` matches `stored`; with `stored` null, the same work on a dummy hash, then false. */
export async function passwordMatches(stored: string | null, password: string): Promise<boolean> {
  const matches = await verify(stored ?? (await dummyHash), password).catch(() => false);
  return stored !== null && matches;
}
