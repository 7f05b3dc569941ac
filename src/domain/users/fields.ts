import { sql } from "kysely";
import type { UseCaseContext } from "../context.js";
import { Conflict, Invalid } from "../errors.js";
import { parseEmail } from "../validate.js";

/** The statuses an admin sets; "locked out" and "pending deletion" are reached otherwise. */
export const SETTABLE_USER_STATUSES = ["active", "bypass", "disabled"] as const;
export type SettableUserStatus = (typeof SETTABLE_USER_STATUSES)[number];

export const MAX_ALIASES = 8;

/** A username or alias: trimmed, 1 to 100 characters, no whitespace inside. */
export function parseUsername(field: string, value: string): string {
  const name = value.trim();
  if (name.length < 1 || name.length > 100 || /\s/.test(name))
    throw new Invalid(field, "must be 1 to 100 characters without spaces");
  return name;
}

/** Up to eight aliases, distinct (case-insensitively) from each other and from the username. */
export function parseAliases(field: string, values: string[], username: string): string[] {
  const aliases = values.map((value) => parseUsername(field, value));
  if (aliases.length > MAX_ALIASES) throw new Invalid(field, `at most ${MAX_ALIASES} aliases`);
  const seen = new Set([username.toLowerCase()]);
  for (const alias of aliases) {
    if (seen.has(alias.toLowerCase()))
      throw new Invalid(field, `${alias} is given twice, or is the username itself`);
    seen.add(alias.toLowerCase());
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
    .where(sql<string>`lower(username)`, "=", username.toLowerCase());
  if (exceptId !== undefined) query = query.where("id", "<>", exceptId);
  if (await query.executeTakeFirst())
    throw new Conflict(`a user named ${username} already exists`, undefined, "username");
}
