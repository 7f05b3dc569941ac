import type { Action } from "../../authz/index.js";
import type { UserStatus } from "../../db/schema.js";
import type { UseCaseContext } from "../context.js";
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
import { type UserRow, type UserView, visibleUser } from "./view.js";

export interface UserChange {
  username?: string;
  aliases?: string[];
  real_name?: string;
  email?: string;
  notes?: string;
  status?: SettableUserStatus;
}

type Editable = Pick<UserRow, "username" | "aliases" | "real_name" | "email" | "notes" | "status">;

/**
 * R-ROLE-3: which action a status change is. Locked Out → Active is an unlock (Help Desk may);
 * Bypass has its own action (R-ROLE-4 for User Managers); every other change is users:set_status.
 */
export function statusAction(from: UserStatus, to: UserStatus): Action {
  if (from === "locked out" && to === "active") return "users:unlock";
  if (to === "bypass") return "users:set_bypass";
  return "users:set_status";
}

/**
 * Edit User. Each field that actually changes is authorised with its own action, so Help Desk may
 * change the full name, email and notes but not the username or aliases (R-ROLE-3), on a user in
 * the caller's units (R-UNIT-8a). Every check is made before anything is written.
 */
export async function updateUser(
  ctx: UseCaseContext,
  id: string,
  change: UserChange,
): Promise<UserView> {
  const { row, object } = await visibleUser(ctx, id);
  const set: Partial<Editable> = {};
  const ask = (action: Action) => ctx.authorize(action, { object });

  if (change.real_name !== undefined) {
    const realName = parseRealName("real_name", change.real_name);
    if (realName !== row.real_name) {
      ask("users:update_name");
      set.real_name = realName;
    }
  }
  if (change.email !== undefined) {
    const email = parseOptionalEmail("email", change.email);
    if (email !== row.email) {
      ask("users:update_email");
      set.email = email;
    }
  }
  if (change.notes !== undefined) {
    const notes = parseNotes("notes", change.notes);
    if (notes !== row.notes) {
      ask("users:update_notes");
      set.notes = notes;
    }
  }
  const username =
    change.username === undefined ? row.username : parseUsername("username", change.username);
  if (username !== row.username) {
    ask("users:update_username");
    await assertUsernameFree(ctx, username, id);
    set.username = username;
  }
  if (change.aliases !== undefined) {
    const aliases = parseAliases("aliases", change.aliases, username);
    if (JSON.stringify(aliases) !== JSON.stringify(row.aliases)) {
      ask("users:update_username");
      set.aliases = aliases;
    }
  }
  if (change.status !== undefined && change.status !== row.status) {
    ask(statusAction(row.status, change.status));
    set.status = change.status;
  }

  const fields = Object.keys(set) as (keyof Editable)[];
  if (fields.length > 0)
    await ctx.tx
      .updateTable("users")
      .set(set)
      .where("id", "=", id)
      .where("account_id", "=", ctx.accountId)
      .execute();
  // One record per successful edit, even one that changed nothing (empty before and after).
  await ctx.audit({
    action: "user_update",
    object: { kind: "user", id, name: set.username ?? row.username },
    before: Object.fromEntries(fields.map((field) => [field, row[field]])),
    after: set,
  });
  return getUser(ctx, id);
}
