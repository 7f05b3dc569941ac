import type { UseCaseContext } from "../context.js";
import { Conflict, Invalid } from "../errors.js";
import { parseName } from "../validate.js";

export const MAX_DESCRIPTION_LENGTH = 500;
/** More ids than this in one request is a mistake, not a unit. */
export const MAX_IDS = 1000;

/** R-UNIT-2: an optional description, trimmed, at most 500 characters. */
export function parseDescription(field: string, value: string): string {
  const description = value.trim();
  if (description.length > MAX_DESCRIPTION_LENGTH)
    throw new Invalid(field, `must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
  return description;
}

/** Unit names are unique in their account, whatever the case (the tenant lock makes this race-free). */
export async function unusedUnitName(
  ctx: UseCaseContext,
  value: string,
  self?: string,
): Promise<string> {
  const name = parseName("name", value);
  const taken = await ctx.tx
    .selectFrom("admin_units")
    .select("id")
    .where("account_id", "=", ctx.accountId)
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()))
    .executeTakeFirst();
  if (taken && taken.id !== self)
    throw new Conflict(`a unit named "${name}" already exists`, undefined, "name");
  return name;
}

/**
 * R-UNIT-2: "all" or a chosen set. Giving a set chooses specific objects unless the flag says "all"
 * too, in which case the set must be empty; "all" clears a set saved before. A chosen set may be
 * empty: the unit then manages none of them (R-UNIT-8i).
 */
export function resolveScope(
  flagField: string,
  idsField: string,
  input: { all?: boolean; ids?: readonly string[] },
  before: { all: boolean; ids: readonly string[] },
): { all: boolean; ids: string[] } {
  const all = input.all ?? (input.ids !== undefined ? false : before.all);
  if (all && input.ids !== undefined && input.ids.length > 0)
    throw new Invalid(idsField, `must be empty when ${flagField} is true`);
  return { all, ids: all ? [] : [...new Set(input.ids ?? before.ids)].sort() };
}

const KIND = { groups: "group", applications: "application", admins: "administrator" } as const;

/**
 * R-TEN-2, R-SUB-6: the ids must name objects of the account the use case acts in. Anything else,
 * another account's or none at all, is the same Invalid naming the field, so nothing of other
 * accounts leaks.
 */
export async function idsInAccount(
  ctx: UseCaseContext,
  table: "groups" | "applications" | "admins",
  field: string,
  ids: readonly string[],
): Promise<string[]> {
  const wanted = [...new Set(ids)].sort();
  if (wanted.length > MAX_IDS) throw new Invalid(field, `at most ${MAX_IDS} ids`);
  if (wanted.length === 0) return [];
  const found = await ctx.tx
    .selectFrom(table)
    .select("id")
    .where("account_id", "=", ctx.accountId)
    .where("id", "in", wanted)
    .execute();
  const known = new Set(found.map((row) => row.id));
  const missing = wanted.filter((id) => !known.has(id));
  if (missing.length > 0)
    throw new Invalid(field, `no ${KIND[table]} ${missing.join(", ")} in this account`);
  return wanted;
}

/** R-UNIT-3: an application belongs to at most one unit; one in another unit is a conflict naming it. */
export async function assertApplicationsFree(
  ctx: UseCaseContext,
  applicationIds: readonly string[],
  self?: string,
): Promise<void> {
  if (applicationIds.length === 0) return;
  let taken = ctx.tx
    .selectFrom("admin_unit_applications as l")
    .innerJoin("admin_units as u", "u.id", "l.unit_id")
    .innerJoin("applications as a", "a.id", "l.application_id")
    .select([
      "a.id as application_id",
      "a.name as application",
      "u.id as unit_id",
      "u.name as unit",
    ])
    .where("l.application_id", "in", applicationIds);
  if (self !== undefined) taken = taken.where("l.unit_id", "<>", self);
  const first = await taken.orderBy("a.name").orderBy("a.id").executeTakeFirst();
  if (first)
    throw new Conflict(
      `application "${first.application}" (${first.application_id}) is already in unit "${first.unit}" (${first.unit_id}); an application belongs to at most one unit`,
      "R-UNIT-3",
      "application_ids",
    );
}
