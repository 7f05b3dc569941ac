import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

/** research/duo-api.md §4.1: at most 10 codes per request, generated or given. */
export const MAX_CODES_PER_REQUEST = 10;
/** A given code: digits only, as Duo's bypass codes are. */
export const GIVEN_CODE = /^[0-9]{6,20}$/;

/** A new code: 9 random digits, never starting with 0 (a code is read out over the phone). */
export function newBypassCode(): string {
  return String(randomInt(100_000_000, 1_000_000_000));
}

/**
 * How a code is kept (DESIGN: bypass codes are stored hashed): SHA-256 of a per-row random salt and
 * the code. Not argon2 (src/domain/auth/password.ts): a request makes up to 10 codes and checking a
 * code compares it with each of the user's codes, so a deliberately slow hash per code would cost
 * seconds per request. What the hash buys: the table never shows a usable code, and the salt
 * defeats precomputed tables and hides equal codes. What it does not: a 9-digit code's hash can be
 * brute-forced offline by whoever holds the table; that is accepted because codes are short-lived,
 * used a limited number of times and replaced often, and the table's readers hold the database.
 */
export function hashBypassCode(code: string, salt: string): string {
  return createHash("sha256").update(`${salt}:${code}`).digest("hex");
}

export function sealBypassCode(code: string): { salt: string; code_hash: string } {
  const salt = randomBytes(16).toString("hex");
  return { salt, code_hash: hashBypassCode(code, salt) };
}

/** Whether `code` is the code a row keeps, compared in constant time. */
export function isBypassCode(code: string, row: { salt: string; code_hash: string }): boolean {
  const hash = Buffer.from(hashBypassCode(code, row.salt), "hex");
  const kept = Buffer.from(row.code_hash, "hex");
  return hash.length === kept.length && timingSafeEqual(hash, kept);
}
