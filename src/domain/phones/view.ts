import type { Action } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { authorizeDevice, type DeviceTarget, visibleOwners } from "../devices/scope.js";
import { NotFound } from "../errors.js";
import type { UserSummary } from "../users/view.js";
import { PHONE_COLUMNS, type PhoneRow, type PhoneSummary, toPhoneSummary } from "./summary.js";

/** A phone with the users the caller may see (R-UNIT-8a). */
export interface PhoneView extends PhoneSummary {
  users: UserSummary[];
}

/** The account's phones, aliased `d`, for a query to narrow. */
export function phonesOf(ctx: UseCaseContext) {
  return ctx.tx.selectFrom("phones as d").where("d.account_id", "=", ctx.accountId);
}

/** Views of phones, with the users of all of them the caller may see fetched in one query. */
export async function toPhoneViews(ctx: UseCaseContext, rows: PhoneRow[]): Promise<PhoneView[]> {
  const owners = await visibleOwners(
    ctx,
    "phone",
    rows.map((row) => row.id),
  );
  return rows.map((row) => Object.assign(toPhoneSummary(row), { users: owners.get(row.id) ?? [] }));
}

/**
 * One phone of this account, once the caller may take `action` on it: a phone of no user in the
 * caller's units answers NotFound like a missing one (R-UNIT-8f). Returns its row and target.
 */
export async function visiblePhone(
  ctx: UseCaseContext,
  id: string,
  action: Action = "phones:view",
): Promise<{ row: PhoneRow; target: DeviceTarget }> {
  const row = await phonesOf(ctx).select(PHONE_COLUMNS).where("d.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFound("phone", id);
  return { row, target: await authorizeDevice(ctx, "phone", id, action) };
}
