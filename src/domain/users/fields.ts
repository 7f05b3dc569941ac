import { sql } from "kysely";
import type { UseCaseContext } from "../context.js";
import { Conflict, Invalid } from "../errors.js";
import { parseEmail } from "../validate.js";

/** The statuses an admin sets; "locked out" and "pending deletion" are reached otherwise. */
export const SETTABLE_USER_STATUSES = ["active", "bypass", "disabled"] as const;
export type SettableUserStatus = (typeof SETTABLE_USER_STATUSES)[number];

export const MAX_ALIASES = 8;

export const MAX_USERNAME_LENGTH = 100;

/** Control characters, line and paragraph separators, and lone surrogates: never in a name. */
const UNPRINTABLE = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/u;

/**
 * A username or alias as Duo takes it (docs/duo-api.md "Usernames"): scripts written for Duo create
 * users such as "jane doe" or "José Núñez", so spaces inside and letters of any script are kept.
 * Leading and trailing whitespace is trimmed; the rest is put in Unicode NFC, so that an "é" typed
 * as one code point or as "e" plus a combining accent is one name (the unique index on
 * lower(username) then sees them as equal); case is kept as given and compared case-insensitively.
 * Refused: empty or only whitespace, control characters (tab, newline ...), more than 100
 * characters (code points, not UTF-16 units, so "用户" is 2).
 */
export function parseUsername(field: string, value: string): string {
  const name = value.trim().normalize("NFC");
  if (name.length === 0) throw new Invalid(field, "must not be empty");
  if (UNPRINTABLE.test(name))
    throw new Invalid(field, "must not hold control characters such as tabs or line breaks");
  if ([...name].length > MAX_USERNAME_LENGTH)
    throw new Invalid(field, `must be at most ${MAX_USERNAME_LENGTH} characters`);
  return name;
}

/** How usernames are compared (lookups, uniqueness): NFC, then case-insensitively. */
export function usernameKey(name: string): string {
  return name.normalize("NFC").toLowerCase();
}

/** Up to eight aliases, distinct (case-insensitively) from each other and from the username. */
export function parseAliases(field: string, values: string[], username: string): string[] {
  const aliases = values.map((value) => parseUsername(field, value));
  if (aliases.length > MAX_ALIASES) throw new Invalid(field, `at most ${MAX_ALIASES} aliases`);
  const seen = new Set([usernameKey(username)]);
  for (const alias of aliases) {
    if (seen.has(usernameKey(alias)))
      throw new Invalid(field, `${alias} is given twice, or is the username itself`);
    seen.add(usernameKey(alias));
  }
  return aliases;
}

/** A full name: trimmed, at most 100 characters, may be empty. */
export function parseRealName(field: string, value: string): string {
  const name = value.trim();
  if (name.length > 100) throw new Invalid(field, "must be at most 100 characters");
  return name;
}

/** An email, or "" for none. */
export function parseOptionalEmail(field: string, value: string): string {
  return value.trim() === "" ? "" : parseEmail(field, value);
}

export function parseNotes(field: string, value: string): string {
  if (value.length > 1000) throw new Invalid(field, "must be at most 1000 characters");
  return value;
}

/** Usernames are unique in an account, case-insensitively (writers of a tenant are serialised). */
export async function assertUsernameFree(
  ctx: UseCaseContext,
  username: string,
  exceptId?: string,
): Promise<void> {
  let query = ctx.tx
    .selectFrom("users")
    .select("id")
    .where("account_id", "=", ctx.accountId)
    .where(sql<string>`lower(username)`, "=", usernameKey(username));
  if (exceptId !== undefined) query = query.where("id", "<>", exceptId);
  if (await query.executeTakeFirst())
    throw new Conflict(`a user named ${username} already exists`, undefined, "username");
}
