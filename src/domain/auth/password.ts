import { hash, verify } from "@node-rs/argon2";
import type { AccountSettings } from "../../db/schema.js";
import { Invalid } from "../errors.js";

/** argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane); argon2id is the library's default. */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Long passphrases are welcome (ASVS 2.1.2), but not megabytes of input to hash. */
export const PASSWORD_MAX_LENGTH = 128;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

/**
 * A hash of a random password, verified against when the email is unknown so both paths cost the
 * same. Made on first need, so commands that never verify a password do not pay for a hash at start.
 */
let timingDecoy: Promise<string> | undefined;

/** Verifies a password; with no stored hash it still spends an argon2 verification, then fails. */
export async function verifyPassword(
  storedHash: string | null,
  password: string,
): Promise<boolean> {
  if (password.length > PASSWORD_MAX_LENGTH) return false;
  if (!storedHash) {
    timingDecoy ??= hashPassword(crypto.randomUUID());
    await verify(await timingDecoy, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}

export type PasswordPolicy = Pick<
  AccountSettings,
  | "admin_password_min_length"
  | "admin_password_require_upper"
  | "admin_password_require_lower"
  | "admin_password_require_digit"
  | "admin_password_require_special"
>;

/** The policy in words, for the activation and profile pages. */
export function describePasswordPolicy(policy: PasswordPolicy): string[] {
  return [
    `at least ${policy.admin_password_min_length} characters`,
    ...(policy.admin_password_require_upper ? ["an uppercase letter"] : []),
    ...(policy.admin_password_require_lower ? ["a lowercase letter"] : []),
    ...(policy.admin_password_require_digit ? ["a digit"] : []),
    ...(policy.admin_password_require_special
      ? ["a character that is neither a letter nor a digit"]
      : []),
  ];
}

/**
 * R-ADM-3: checks a new password against the account's admin password policy, naming every rule it
 * misses in one error. Also refuses the admin's own email as a password.
 */
export function checkPasswordPolicy(
  policy: PasswordPolicy,
  password: string,
  email: string,
  field = "password",
): void {
  const missing: string[] = [];
  const length = [...password].length;
  if (length < policy.admin_password_min_length)
    missing.push(`at least ${policy.admin_password_min_length} characters`);
  if (length > PASSWORD_MAX_LENGTH) missing.push(`at most ${PASSWORD_MAX_LENGTH} characters`);
  if (policy.admin_password_require_upper && !/\p{Lu}/u.test(password))
    missing.push("an uppercase letter");
  if (policy.admin_password_require_lower && !/\p{Ll}/u.test(password))
    missing.push("a lowercase letter");
  if (policy.admin_password_require_digit && !/\p{Nd}/u.test(password)) missing.push("a digit");
  if (policy.admin_password_require_special && !/[^\p{L}\p{Nd}]/u.test(password)) {
    missing.push("a character that is neither a letter nor a digit");
  }
  if (missing.length) throw new Invalid(field, `R-ADM-3: the password needs ${missing.join(", ")}`);
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) {
    throw new Invalid(field, "R-ADM-3: the password must not be your email address");
  }
}
