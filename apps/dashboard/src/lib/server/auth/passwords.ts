import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Password hashing with argon2id through @node-rs/argon2 (a maintained binding of the reference C
 * implementation, prebuilt per platform, no build or download at install). Argon2id is OWASP's
 * first choice; it is memory-hard, which scrypt is too, but its PHC string carries the algorithm,
 * parameters and the per-password random salt, so parameters can be raised later and old hashes
 * still verify. The comparison inside `verify` is constant-time.
 *
 * Parameters: OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane), hashed on libuv's thread
 * pool so the event loop stays free while a hash costs its tens of milliseconds (README figures).
 */
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export { minPasswordLength } from '../../password-rules.ts';
import { minPasswordLength } from '../../password-rules.ts';

/** The PHC string to store, e.g. `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/** Whether `password` matches `stored`; a malformed stored value is a mismatch, never a throw. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/**
 * Passwords found in breaches and common-password lists, lower-cased: the `passwords-common`
 * dictionary of @zxcvbn-ts/language-common (about 49,000 entries, maintained with the zxcvbn-ts
 * strength estimator). NIST SP 800-63B asks new passwords to be checked against such a list.
 */
let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  return (common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase())));
}

/**
 * Why a new password is refused, or null. Length is what matters (NIST SP 800-63B): no composition
 * rules, but not blank and not one of the passwords everybody tries first.
 */
export function passwordProblem(password: string): string | null {
  if (password.length < minPasswordLength) return `a password needs at least ${minPasswordLength} characters`;
  if (password.length > 1024) return 'a password may have at most 1024 characters';
  if (!password.trim()) return 'a password cannot be only spaces';
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower) || commonPasswords().has(lower.trim())) return 'that password is on a list of common or breached passwords; choose another';
  return null;
}

// A fixed hash to verify against when the account does not exist, so that a wrong email takes as
// long as a wrong password and the response time does not reveal which accounts exist.
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  return (decoy ??= hashPassword('decoy password that matches nothing'));
}
