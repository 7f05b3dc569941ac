import { decide, type TargetObject } from "../../authz/index.js";
import type { UserStatus } from "../../db/schema.js";
import type { UseCaseContext } from "../context.js";
import { NotFound } from "../errors.js";
import { authorizeVisible } from "../groups/unit-scope.js";
import { relatedOf, type UserDevices, type UserGroupRef } from "./related.js";

/**
 * A user without its groups (as a device lists its users). `email` and `notes` only to admins who
 * may see details (R-ROLE-3).
 */
export interface UserSummary {
  id: string;
  username: string;
  aliases: string[];
  real_name: string;
  email?: string;
  notes?: string;
  status: UserStatus;
  created_at: string;
  last_login_at: string | null;
}

/** A user as the panel shows it, with the groups the caller may see (R-UNIT-8b), by name. */
export interface UserView extends UserSummary {
  groups: UserGroupRef[];
  /** Only when asked for (the Admin API's user object carries them). */
  devices?: UserDevices;
}

export interface UserRow {
  id: string;
  username: string;
  aliases: string[];
  real_name: string;
  email: string;
  notes: string;
  status: UserStatus;
  created_at: Date;
  last_login_at: Date | null;
}

export const USER_COLUMNS = [
  "u.id",
  "u.username",
  "u.aliases",
  "u.real_name",
  "u.email",
  "u.notes",
  "u.status",
  "u.created_at",
  "u.last_login_at",
] as const;

/** A user of this account with every group it is in (what unit scope decides on), or undefined. */
export async function findUser(
  ctx: UseCaseContext,
  id: string,
): Promise<{ row: UserRow; object: TargetObject & { kind: "user" } } | undefined> {
  const row = await ctx.tx
    .selectFrom("users as u")
    .select(USER_COLUMNS)
    .where("u.id", "=", id)
    .where("u.account_id", "=", ctx.accountId)
    .executeTakeFirst();
  if (!row) return undefined;
  const groups = await ctx.tx
    .selectFrom("group_members")
    .select("group_id")
    .where("user_id", "=", id)
    .where("account_id", "=", ctx.accountId)
    .execute();
  return { row, object: { kind: "user", id, groupIds: groups.map((g) => g.group_id) } };
}

/**
 * The user, if it exists in this account and the caller may view it; a user outside the caller's
 * units answers NotFound like a missing one (R-UNIT-8a, R-TEN-2).
 */
export async function visibleUser(ctx: UseCaseContext, id: string) {
  const found = await findUser(ctx, id);
  if (!found) throw new NotFound("user", id);
  authorizeVisible(ctx, "users:view", { object: found.object }, { kind: "user", id });
  return found;
}

/** R-ROLE-3: Application Manager sees name, username and status, not contact details or notes. */
export function mayViewDetails(ctx: UseCaseContext): boolean {
  return decide(ctx.snapshot, ctx.caller.principal, "users:view_details", {
    accountId: ctx.accountId,
  }).allow;
}

export function toUserSummary(row: UserRow, details: boolean): UserSummary {
  const summary: UserSummary = {
    id: row.id,
    username: row.username,
    aliases: row.aliases,
    real_name: row.real_name,
    status: row.status,
    created_at: row.created_at.toISOString(),
    last_login_at: row.last_login_at?.toISOString() ?? null,
  };
  // Set, not spread: pages of hundreds of users are built here (see duoUser).
  if (details) {
    summary.email = row.email;
    summary.notes = row.notes;
  }
  return summary;
}

/**
 * Views of users the caller may see, with their in-scope groups (R-UNIT-8b) and, with `devices`,
 * their phones and hardware tokens (for a caller who may see them, R-ROLE-3), in one statement.
 */
export async function toUserViews(
  ctx: UseCaseContext,
  rows: UserRow[],
  options: { devices?: boolean } = {},
): Promise<UserView[]> {
  if (rows.length === 0) return [];
  const devices = options.devices ?? false;
  const related = await relatedOf(
    ctx,
    rows.map((row) => row.id),
    { groups: true, devices },
  );
  const details = mayViewDetails(ctx);
  return rows.map((row) => {
    const view: UserView = Object.assign(toUserSummary(row, details), {
      groups: related.groupsOf(row.id),
    });
    if (devices) view.devices = related.devicesOf(row.id);
    return view;
  });
}
