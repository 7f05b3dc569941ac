import type { UseCaseContext } from "../context.js";
import { Invalid } from "../errors.js";

/** E.164, as the admins table stores it (admins_phone_shape). */
const E164 = /^\+[1-9][0-9]{6,14}$/;
export const MAX_UNIT_IDS = 100;
export const MAX_ACTIVATION_DAYS = 31;

/** A phone number in international format; spaces, dots, dashes and brackets are dropped; "" clears it. */
export function parsePhone(field: string, value: string | null): string | null {
  const phone = value?.replace(/[\s().-]/g, "") || null;
  if (phone !== null && !E164.test(phone))
    throw new Invalid(field, "must be in international format, such as +14155550100");
  return phone;
}

/** R-ADM-2: how long an activation link stays valid; the account's setting when not given. */
export async function activationDays(
  ctx: UseCaseContext,
  accountId: string,
  value: number | undefined,
): Promise<number> {
  if (value !== undefined) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_ACTIVATION_DAYS)
      throw new Invalid(
        "valid_days",
        `must be a whole number of days from 1 to ${MAX_ACTIVATION_DAYS}`,
      );
    return value;
  }
  const settings = await ctx.tx
    .selectFrom("account_settings")
    .select("admin_activation_valid_days")
    .where("account_id", "=", accountId)
    .executeTakeFirstOrThrow();
  return settings.admin_activation_valid_days;
}

/**
 * R-SUB-6: administrative units belong to one account and hold only its admins; each id must be a
 * unit of the account the use case acts in. Sorted, each once.
 */
export function parseUnitIds(ctx: UseCaseContext, values: readonly string[]): string[] {
  if (values.length > MAX_UNIT_IDS) throw new Invalid("unit_ids", `at most ${MAX_UNIT_IDS} units`);
  const ids = [...new Set(values)].sort();
  for (const id of ids) {
    const unit = ctx.snapshot.units.get(id);
    if (!unit || unit.facts.accountId !== ctx.accountId)
      throw new Invalid("unit_ids", `${id} is not an administrative unit of this account`);
  }
  return ids;
}

/**
 * R-TAG-3: a tag is created where an account is added or edited ("Add Access Tag"); an admin is
 * given tags that exist already, so a typo cannot silently make a new tag and leave the admin with
 * no access. Refused for the panel (an admin acting), naming the first unknown tag; tags the admin
 * has already count as existing. Duo's Admin API (an application acting) creates an admin's tags as
 * Duo's own does (docs/duo-api.md).
 */
export async function refuseUnknownTags(
  ctx: UseCaseContext,
  tags: readonly string[],
  alreadyHeld: readonly string[] = [],
): Promise<void> {
  if (ctx.caller.principal.kind !== "admin") return;
  const wanted = tags.filter((tag) => !alreadyHeld.includes(tag));
  if (wanted.length === 0) return;
  const existing = await ctx.tx
    .selectFrom("subaccount_tags as t")
    .innerJoin("accounts as a", "a.id", "t.account_id")
    .select("t.tag")
    .where("a.tenant_id", "=", ctx.tenantId)
    .where("t.tag", "in", wanted)
    .union(
      ctx.tx
        .selectFrom("admin_tags as t")
        .innerJoin("admins as a", "a.id", "t.admin_id")
        .select("t.tag")
        .where("a.tenant_id", "=", ctx.tenantId)
        .where("t.tag", "in", wanted),
    )
    .execute();
  // Compared here as in the database: exactly, so "gov" is not "Gov" (R-TAG-1).
  const unknown = wanted.find((tag) => !existing.some((row) => row.tag === tag));
  if (unknown !== undefined)
    throw new Invalid(
      "tags",
      `there is no access tag "${unknown}" yet; create it with Add Access Tag when adding or editing an account, then give it to the administrator (R-TAG-3)`,
    );
}

/**
 * R-SUB-5: an admin added directly to a subaccount has one role there and nothing else: no
 * subaccount role and no access tags. Naming either for such an admin is an input error.
 */
export function refuseDelegationInSubaccount(
  isParentLevel: boolean,
  input: { subaccount_role?: unknown; tags?: unknown },
): void {
  if (isParentLevel) return;
  if (input.subaccount_role !== undefined)
    throw new Invalid(
      "subaccount_role",
      "R-SUB-5: an administrator of a subaccount has no subaccount role",
    );
  if (input.tags !== undefined)
    throw new Invalid("tags", "R-SUB-5: an administrator of a subaccount has no access tags");
}
