import { type Expression, type SqlBool, sql } from "kysely";
import type { UnitScope } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { scopeOf } from "../groups/unit-scope.js";
import { visibleUser } from "../users/view.js";

/**
 * Phones and hardware tokens belong to users through a link table each (migration 0005). What the
 * two kinds share (unit scope through the users, the users a device lists, linking and unlinking)
 * is written once, over the links under uniform names: `l.device_id`, `l.user_id`.
 */
export type DeviceKind = "phone" | "hardware_token";

const LINK = {
  phone: { table: "user_phones", column: "phone_id" },
  hardware_token: { table: "user_hardware_tokens", column: "token_id" },
} as const;

/** The user↔device links of one kind, as a relation `l (device_id, user_id, account_id)` to join. */
export function linksOf(kind: DeviceKind) {
  const { table, column } = LINK[kind];
  return sql<{ device_id: string; user_id: string; account_id: string }>`(select ${sql.ref(
    column,
  )} as device_id, user_id, account_id from ${sql.table(table)})`.as("l");
}

/**
 * For a list of devices aliased `d`: the device has a user in one of `groupIds` (R-UNIT-8f: a
 * restricted admin sees the devices of the users in their units), has any user (a unit of "all
 * users"), or, with `userId`, is that user's.
 */
export function deviceHasUser(
  kind: DeviceKind,
  filter: { groupIds: readonly string[] } | { userId: string } | { anyUser: true },
): Expression<SqlBool> {
  if ("groupIds" in filter && filter.groupIds.length === 0) return sql<SqlBool>`false`;
  const { table, column } = LINK[kind];
  const linked = sql`${sql.table(table)} l where ${sql.ref(`l.${column}`)} = d.id`;
  if ("anyUser" in filter) return sql<SqlBool>`exists (select 1 from ${linked})`;
  return "userId" in filter
    ? sql<SqlBool>`exists (select 1 from ${linked} and l.user_id = ${filter.userId})`
    : sql<SqlBool>`exists (select 1 from ${linked} and exists (
        select 1 from group_members gm
        where gm.user_id = l.user_id and gm.group_id in (${sql.join(filter.groupIds)})))`;
}

/**
 * The devices a caller with `scope` may list (R-UNIT-8f), as a filter; undefined: every device
 * (a global admin, an API application).
 */
function devicesInScope(kind: DeviceKind, scope: UnitScope): Expression<SqlBool> | undefined {
  if (scope.all) return undefined;
  if (scope.allGroups) return deviceHasUser(kind, { anyUser: true });
  return deviceHasUser(kind, { groupIds: [...scope.groupIds] });
}

/**
 * A device list's filter: the devices of `userId` (a user the caller may see, else not found,
 * R-UNIT-8a), or else every device in the caller's scope; undefined: no filter.
 */
export async function listedDevices(
  ctx: UseCaseContext,
  kind: DeviceKind,
  userId: string | undefined,
): Promise<Expression<SqlBool> | undefined> {
  if (userId === undefined) return devicesInScope(kind, scopeOf(ctx));
  await visibleUser(ctx, userId);
  return deviceHasUser(kind, { userId });
}

/** The users of each of `deviceIds` (in this account), one row per link. */
export function ownersOf(ctx: UseCaseContext, kind: DeviceKind, deviceIds: readonly string[]) {
  return ctx.tx
    .selectFrom(linksOf(kind))
    .where("l.device_id", "in", deviceIds)
    .where("l.account_id", "=", ctx.accountId);
}

/** Links a device to a user (both of this account: the link table's foreign keys hold it). */
export async function link(
  ctx: UseCaseContext,
  kind: DeviceKind,
  userId: string,
  deviceId: string,
): Promise<void> {
  const row = { user_id: userId, account_id: ctx.accountId };
  if (kind === "phone")
    await ctx.tx
      .insertInto("user_phones")
      .values({ ...row, phone_id: deviceId })
      .execute();
  else
    await ctx.tx
      .insertInto("user_hardware_tokens")
      .values({ ...row, token_id: deviceId })
      .execute();
}

/** Unlinks a device from a user; whether there was such a link. */
export async function unlink(
  ctx: UseCaseContext,
  kind: DeviceKind,
  userId: string,
  deviceId: string,
): Promise<boolean> {
  const removed =
    kind === "phone"
      ? await ctx.tx
          .deleteFrom("user_phones")
          .where("user_id", "=", userId)
          .where("phone_id", "=", deviceId)
          .where("account_id", "=", ctx.accountId)
          .executeTakeFirst()
      : await ctx.tx
          .deleteFrom("user_hardware_tokens")
          .where("user_id", "=", userId)
          .where("token_id", "=", deviceId)
          .where("account_id", "=", ctx.accountId)
          .executeTakeFirst();
  return Number(removed.numDeletedRows) > 0;
}
