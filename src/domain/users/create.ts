import { newId } from "../../db/ids.js";
import type { UseCaseContext } from "../context.js";
import { Invalid } from "../errors.js";
import {
  assertUsernameFree,
  parseAliases,
  parseNotes,
  parseOptionalEmail,
  parseRealName,
  parseUsername,
  type SettableUserStatus,
} from "./fields.js";
import { getUser } from "./list.js";
import type { UserView } from "./view.js";

export interface NewUser {
  username: string;
  aliases?: string[];
  real_name?: string;
  email?: string;
  notes?: string;
  status?: SettableUserStatus;
  /** R-UNIT-8a: a restricted admin must name at least one group of their units, and only such. */
  group_ids?: string[];
}

/**
 * Add User. The engine decides on the new user as an object with no id and the groups it will be
 * in, so a restricted admin's user lands in their units (R-UNIT-8a); Help Desk may not create users
 * (R-ROLE-3); Bypass status also needs users:set_bypass (R-ROLE-4).
 */
export async function createUser(ctx: UseCaseContext, input: NewUser): Promise<UserView> {
  const groupIds = [...new Set(input.group_ids ?? [])];
  const object = { kind: "user", groupIds } as const;
  ctx.authorize("users:create", { object });
  const status = input.status ?? "active";
  if (status === "bypass") ctx.authorize("users:set_bypass", { object });

  const username = parseUsername("username", input.username);
  const row = {
    id: newId("user"),
    account_id: ctx.accountId,
    username,
    aliases: parseAliases("aliases", input.aliases ?? [], username),
    real_name: parseRealName("real_name", input.real_name ?? ""),
    email: parseOptionalEmail("email", input.email ?? ""),
    notes: parseNotes("notes", input.notes ?? ""),
    status,
  };
  await assertUsernameFree(ctx, username);
  if (groupIds.length > 0) {
    // R-TEN-2: only this account's groups.
    const known = await ctx.tx
      .selectFrom("groups")
      .select("id")
      .where("account_id", "=", ctx.accountId)
      .where("id", "in", groupIds)
      .execute();
    const missing = groupIds.filter((id) => !known.some((g) => g.id === id));
    if (missing.length > 0)
      throw new Invalid("group_ids", `no group ${missing.join(", ")} in this account`);
  }

  await ctx.tx.insertInto("users").values(row).execute();
  if (groupIds.length > 0)
    await ctx.tx
      .insertInto("group_members")
      .values(
        groupIds.map((groupId) => ({
          group_id: groupId,
          user_id: row.id,
          account_id: ctx.accountId,
        })),
      )
      .execute();
  await ctx.audit({
    action: "user_create",
    object: { kind: "user", id: row.id, name: username },
    after: {
      username,
      aliases: row.aliases,
      real_name: row.real_name,
      email: row.email,
      notes: row.notes,
      status,
      group_ids: groupIds,
    },
  });
  return getUser(ctx, row.id);
}
