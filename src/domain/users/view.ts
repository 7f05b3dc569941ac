import { decide, type TargetObject } from "../../authz/index.js";
import type { UserStatus } from "../../db/schema.js";
import type { UseCaseContext } from "../context.js";
import { NotFound } from "../errors.js";
import { authorizeVisible, scopedGroupIds, scopeOf } from "../groups/unit-scope.js";

/** A user as the panel shows it. `email` and `notes` only to admins who may see details (R-ROLE-3). */
export interface UserView {
  id: string;
  username: string;
  aliases: string[];
  real_name: string;
  email?: string;
  notes?: string;
  status: UserStatus;
  /** The user's groups that the caller may see (R-UNIT-8b), by name. */
  groups: { id: string; name: string }[];
  created_at: string;
  last_login_at: string | null;
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

/** Views of users the caller may see, with their in-scope groups fetched in one query. */
export async function toUserViews(ctx: UseCaseContext, rows: UserRow[]): Promise<UserView[]> {
  if (rows.length === 0) return [];
  let query = ctx.tx
    .selectFrom("group_members as gm")
    .innerJoin("groups as g", "g.id", "gm.group_id")
    .select(["gm.user_id", "g.id", "g.name"])
    .where(
      "gm.user_id",
      "in",
      rows.map((row) => row.id),
    )
    .where("gm.account_id", "=", ctx.accountId);
  const inScope = scopedGroupIds(scopeOf(ctx));
  if (inScope !== undefined) {
    if (inScope.length === 0) query = query.where((eb) => eb.lit(false));
    else query = query.where("g.id", "in", inScope);
  }
  const memberships = await query.orderBy("g.name").orderBy("g.id").execute();
  const details = mayViewDetails(ctx);
  return rows.map((row) => ({
    id: row.id,
    username: row.username,
    aliases: row.aliases,
    real_name: row.real_name,
    ...(details ? { email: row.email, notes: row.notes } : {}),
    status: row.status,
    groups: memberships
      .filter((m) => m.user_id === row.id)
      .map((m) => ({ id: m.id, name: m.name })),
    created_at: row.created_at.toISOString(),
    last_login_at: row.last_login_at?.toISOString() ?? null,
  }));
}
