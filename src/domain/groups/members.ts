import type { UseCaseContext } from "../context.js";
import { Conflict, NotFound } from "../errors.js";
import { visibleUser } from "../users/view.js";
import { getGroup } from "./list.js";

/**
 * The group and user a membership change is about, both visible to the caller (out of scope reads
 * as not found), and the engine's word on the change: groups:manage_members with the group as
 * target.groupId and the user as the object, so only in-scope users move (R-UNIT-8b).
 */
async function prepare(ctx: UseCaseContext, groupId: string, userId: string) {
  const group = await getGroup(ctx, groupId);
  const { row: user, object } = await visibleUser(ctx, userId);
  ctx.authorize("groups:manage_members", { groupId, object });
  return { group, user, member: object.groupIds.includes(groupId) };
}

/** Adds a user to a group (R-UNIT-8b). */
export async function addGroupMember(
  ctx: UseCaseContext,
  groupId: string,
  userId: string,
): Promise<void> {
  const { group, user, member } = await prepare(ctx, groupId, userId);
  if (member) throw new Conflict(`${user.username} is already a member of ${group.name}`);
  await ctx.tx
    .insertInto("group_members")
    .values({ group_id: groupId, user_id: userId, account_id: ctx.accountId })
    .execute();
  await ctx.audit({
    action: "group_member_add",
    object: { kind: "group", id: groupId, name: group.name },
    after: { user_id: userId, username: user.username },
  });
}

/** Removes a user from a group (R-UNIT-8b); the user may leave the caller's scope by it. */
export async function removeGroupMember(
  ctx: UseCaseContext,
  groupId: string,
  userId: string,
): Promise<void> {
  const { group, user, member } = await prepare(ctx, groupId, userId);
  if (!member)
    throw new NotFound(
      "membership",
      `${groupId}/${userId}`,
      `${user.username} is not a member of ${group.name}`,
    );
  await ctx.tx
    .deleteFrom("group_members")
    .where("group_id", "=", groupId)
    .where("user_id", "=", userId)
    .execute();
  await ctx.audit({
    action: "group_member_remove",
    object: { kind: "group", id: groupId, name: group.name },
    before: { user_id: userId, username: user.username },
  });
}
