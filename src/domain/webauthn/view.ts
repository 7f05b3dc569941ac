import type { Action, TargetObject } from "../../authz/index.js";
import type { UserStatus } from "../../db/schema.js";
import type { UseCaseContext } from "../context.js";
import { NotFound } from "../errors.js";
import { authorizeVisible } from "../groups/unit-scope.js";
import { mayViewDetails, toUserSummary, type UserSummary } from "../users/view.js";
import {
  toWebAuthnSummary,
  WEBAUTHN_COLUMNS,
  type WebAuthnRow,
  type WebAuthnSummary,
} from "./summary.js";

/**
 * How admins meet users' WebAuthn credentials (R-ROLE-2 "Manage 2FA devices", R-UNIT-8f): like a
 * hardware token, always through its one user. Seeing one is `phones:view` on that user (not
 * Application Manager's, R-ROLE-3), and one of a user outside the caller's units is not found,
 * like a missing one (R-UNIT-8a). Administrators' own keys are not here: only their owner sees
 * them, in Edit Profile (R-ROLE-7).
 */

/** A user's credential with its user (email and notes only for admins who see details). */
export interface WebAuthnView extends WebAuthnSummary {
  user: UserSummary;
}

/** The account's users' credentials joined with their users, aliased `w` and `u`, for a query to narrow. */
export function userCredentialsOf(ctx: UseCaseContext) {
  return ctx.tx
    .selectFrom("webauthn_credentials as w")
    .innerJoin("users as u", (join) =>
      join.onRef("u.id", "=", "w.user_id").onRef("u.account_id", "=", "w.account_id"),
    )
    .where("w.account_id", "=", ctx.accountId);
}

/** The credential's columns and its user's, the user's under names of their own. */
export const VIEW_COLUMNS = [
  ...WEBAUTHN_COLUMNS,
  "u.id as user_id",
  "u.username",
  "u.aliases",
  "u.real_name",
  "u.email",
  "u.notes",
  "u.status",
  "u.created_at as user_created_at",
  "u.last_login_at",
] as const;

export interface ViewRow extends WebAuthnRow {
  user_id: string;
  username: string;
  aliases: string[];
  real_name: string;
  email: string;
  notes: string;
  status: UserStatus;
  user_created_at: Date;
  last_login_at: Date | null;
}

export function toWebAuthnView(row: ViewRow, details: boolean): WebAuthnView {
  const user = toUserSummary(
    {
      id: row.user_id,
      username: row.username,
      aliases: row.aliases,
      real_name: row.real_name,
      email: row.email,
      notes: row.notes,
      status: row.status,
      created_at: new Date(row.user_created_at),
      last_login_at: row.last_login_at === null ? null : new Date(row.last_login_at),
    },
    details,
  );
  return Object.assign(toWebAuthnSummary(row), { user });
}

/**
 * One user's credential of this account, once the caller may take `action` on its user: a
 * credential of a user outside the caller's units answers NotFound like a missing one (R-UNIT-8f).
 */
export async function visibleCredential(
  ctx: UseCaseContext,
  id: string,
  action: Action = "phones:view",
): Promise<WebAuthnView> {
  const row = await userCredentialsOf(ctx)
    .select(VIEW_COLUMNS)
    .where("w.id", "=", id)
    .executeTakeFirst();
  if (!row) throw new NotFound("webauthn_credential", id);
  const groups = await ctx.tx
    .selectFrom("group_members")
    .select("group_id")
    .where("user_id", "=", row.user_id)
    .where("account_id", "=", ctx.accountId)
    .execute();
  const object: TargetObject = {
    kind: "user",
    id: row.user_id,
    groupIds: groups.map((group) => group.group_id),
  };
  authorizeVisible(ctx, "phones:view", { object }, { kind: "webauthn_credential", id });
  if (action !== "phones:view") ctx.authorize(action, { object });
  return toWebAuthnView(row, mayViewDetails(ctx));
}
