import type { UserStatus } from "../../db/schema.js";
import type { UseCaseContext } from "../context.js";
import { NotFound } from "../errors.js";
import { visibleUser } from "../users/view.js";

/** A bypass code as admins see it: never the code itself (shown once, when created). */
export interface BypassCodeView {
  id: string;
  user: { id: string; username: string; real_name: string; email: string; status: UserStatus };
  created_at: string;
  /** Null: never expires. */
  expires_at: string | null;
  /** How many times the code may be used; 0 = any number of times (Duo's reuse_count). */
  reuse_count: number;
  /** The uses left; null when reuse_count is 0. */
  remaining_uses: number | null;
  /** Who created it: an admin's email, or an API integration's name. */
  created_by: string;
  /** Whether an admin (not an API integration) created it. */
  created_by_admin: boolean;
}

export const BYPASS_CODE_COLUMNS = [
  "b.id",
  "b.user_id",
  "b.created_at",
  "b.expires_at",
  "b.reuse_count",
  "b.remaining_uses",
  "b.created_by",
  "b.created_by_admin_id",
  "u.username",
  "u.real_name",
  "u.email",
  "u.status",
] as const;

export interface BypassCodeRow {
  id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date | null;
  reuse_count: number;
  remaining_uses: number | null;
  created_by: string;
  created_by_admin_id: string | null;
  username: string;
  real_name: string;
  email: string;
  status: UserStatus;
}

export function toBypassCodeView(row: BypassCodeRow): BypassCodeView {
  return {
    id: row.id,
    user: {
      id: row.user_id,
      username: row.username,
      real_name: row.real_name,
      email: row.email,
      status: row.status,
    },
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at?.toISOString() ?? null,
    reuse_count: row.reuse_count,
    remaining_uses: row.remaining_uses,
    created_by: row.created_by,
    created_by_admin: row.created_by_admin_id !== null,
  };
}

/** The account's bypass codes joined with their users, for a query to narrow. */
export function bypassCodesOf(ctx: UseCaseContext) {
  return (
    ctx.tx
      .selectFrom("bypass_codes as b")
      .innerJoin("users as u", (join) =>
        join.onRef("u.id", "=", "b.user_id").onRef("u.account_id", "=", "b.account_id"),
      )
      .where("b.account_id", "=", ctx.accountId)
      // A code used up is spent: kept with no uses left (authentication/passcodes.ts), never shown.
      .where((eb) => eb.or([eb("b.remaining_uses", "is", null), eb("b.remaining_uses", ">", 0)]))
  );
}

/**
 * One bypass code of this account (of `userId`, when given) and its user, if the caller may view
 * that user; a code of a user outside the caller's units is "not found" like a missing one (R-UNIT-8a,
 * R-UNIT-8f).
 */
export async function visibleBypassCode(ctx: UseCaseContext, id: string, userId?: string) {
  let query = bypassCodesOf(ctx).select(BYPASS_CODE_COLUMNS).where("b.id", "=", id);
  if (userId !== undefined) query = query.where("b.user_id", "=", userId);
  const row = await query.executeTakeFirst();
  if (!row) {
    // The user's absence answers first, as on every other route under /users/:userId.
    if (userId !== undefined) await visibleUser(ctx, userId);
    throw new NotFound("bypass_code", id);
  }
  try {
    const user = await visibleUser(ctx, row.user_id);
    return { row, user };
  } catch (error) {
    if (error instanceof NotFound && userId === undefined) throw new NotFound("bypass_code", id);
    throw error;
  }
}
