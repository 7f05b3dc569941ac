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
