import type { Action, TargetObject } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { authorizeVisible, scopedGroupIds, scopeOf } from "../groups/unit-scope.js";
import { mayViewDetails, toUserSummary, USER_COLUMNS, type UserSummary } from "../users/view.js";
import { type DeviceKind, ownersOf } from "./links.js";

/**
 * How the engine meets a phone or a hardware token. It has no device kind of its own: R-UNIT-8f
 * says a restricted admin manages "only those of in-scope users", so a device is decided on as a
 * user-shaped object (under the device's id) holding the groups of all the device's users. It is
 * in a restricted admin's scope when one of its users is; a device with no user is in no unit's
 * scope, so only global admins and API applications see or create one.
 */
export type DeviceTarget = TargetObject & { kind: "user" };

/**
 * A device with users is decided as a user in all their groups (in scope of an "all users" unit
 * even when they are in no group); a device with no user as a user not yet in any group, which no
 * restricted admin may hold (R-UNIT-8a), whatever their units.
 */
export function deviceTarget(
  deviceId: string,
  groupIds: readonly string[] = [],
  hasUsers = false,
): DeviceTarget {
  return hasUsers
    ? { kind: "user", id: deviceId, groupIds: [...new Set(groupIds)] }
    : { kind: "user", groupIds: [] };
}

/** The target of each device, from one query over its users' group memberships. */
export async function deviceTargets(
  ctx: UseCaseContext,
  kind: DeviceKind,
  deviceIds: readonly string[],
): Promise<Map<string, DeviceTarget>> {
  if (deviceIds.length === 0) return new Map();
  const groups = new Map<string, string[]>(deviceIds.map((id) => [id, []]));
  const owned = new Set<string>();
  const rows = await ownersOf(ctx, kind, deviceIds)
    .leftJoin("group_members as gm", "gm.user_id", "l.user_id")
    .select(["l.device_id", "gm.group_id"])
    .execute();
  for (const row of rows) {
    owned.add(row.device_id);
    if (row.group_id !== null) groups.get(row.device_id)?.push(row.group_id);
  }
  return new Map(
    [...groups].map(([id, groupIds]) => [id, deviceTarget(id, groupIds, owned.has(id))]),
  );
}

/**
 * ctx.authorize(action) on an existing device, except that a device outside the caller's units
 * answers NotFound like a missing one (R-UNIT-8a, R-UNIT-8f). Returns the device's target.
 */
export async function authorizeDevice(
  ctx: UseCaseContext,
  kind: DeviceKind,
  deviceId: string,
  action: Action,
): Promise<DeviceTarget> {
  const target = (await deviceTargets(ctx, kind, [deviceId])).get(deviceId);
  if (!target) throw new Error("a device has a target");
  authorizeVisible(ctx, "phones:view", { object: target }, { kind, id: deviceId });
  if (action !== "phones:view") ctx.authorize(action, { object: target });
  return target;
}

/**
 * The users of each device that the caller may see, by username (R-UNIT-8a: a user outside the
 * caller's units is not listed, even beside an in-scope user of a shared phone). One query.
 */
export async function visibleOwners(
  ctx: UseCaseContext,
  kind: DeviceKind,
  deviceIds: readonly string[],
): Promise<Map<string, UserSummary[]>> {
  const owners = new Map<string, UserSummary[]>(deviceIds.map((id) => [id, []]));
  const inScope = scopedGroupIds(scopeOf(ctx));
  if (deviceIds.length === 0 || inScope?.length === 0) return owners;
  let query = ownersOf(ctx, kind, deviceIds)
    .innerJoin("users as u", "u.id", "l.user_id")
    .select(["l.device_id", ...USER_COLUMNS]);
  if (inScope !== undefined)
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("group_members as gm")
          .select("gm.user_id")
          .whereRef("gm.user_id", "=", "u.id")
          .where("gm.group_id", "in", inScope),
      ),
    );
  const details = mayViewDetails(ctx);
  for (const row of await query.orderBy("u.username").orderBy("u.id").execute())
    owners.get(row.device_id)?.push(toUserSummary(row, details));
  return owners;
}
