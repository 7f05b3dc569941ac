import type { Action } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { authorizeDevice, type DeviceTarget, visibleOwners } from "../devices/scope.js";
import { NotFound } from "../errors.js";
import type { UserSummary } from "../users/view.js";
import type { TokenType } from "./fields.js";

/** A hardware token as admins see it (research/duo-api.md §5 "token"): never its secret. */
export interface TokenSummary {
  id: string;
  type: TokenType;
  serial: string;
  /** TOTP tokens' time step in seconds; null for the others. */
  totp_step: number | null;
  created_at: string;
}

/** A token with the user it is assigned to, if the caller may see that user (R-UNIT-8a). */
export interface TokenView extends TokenSummary {
  users: UserSummary[];
}

export const TOKEN_COLUMNS = ["d.id", "d.type", "d.serial", "d.totp_step", "d.created_at"] as const;

export interface TokenRow {
  id: string;
  type: TokenType;
  serial: string;
  totp_step: number | null;
  created_at: Date;
}

export function toTokenSummary(row: TokenRow): TokenSummary {
  return {
    id: row.id,
    type: row.type,
    serial: row.serial,
    totp_step: row.totp_step,
    created_at: row.created_at.toISOString(),
  };
}

/** The account's hardware tokens, aliased `d`, for a query to narrow. */
export function tokensOf(ctx: UseCaseContext) {
  return ctx.tx.selectFrom("hardware_tokens as d").where("d.account_id", "=", ctx.accountId);
}

/** Views of tokens, with the users of all of them the caller may see fetched in one query. */
export async function toTokenViews(ctx: UseCaseContext, rows: TokenRow[]): Promise<TokenView[]> {
  const owners = await visibleOwners(
    ctx,
    "hardware_token",
    rows.map((row) => row.id),
  );
  return rows.map((row) => Object.assign(toTokenSummary(row), { users: owners.get(row.id) ?? [] }));
}

/**
 * One token of this account, once the caller may take `action` on it: a token of no user in the
 * caller's units answers NotFound like a missing one (R-UNIT-8f). Returns its row and target.
 */
export async function visibleToken(
  ctx: UseCaseContext,
  id: string,
  action: Action = "phones:view",
): Promise<{ row: TokenRow; target: DeviceTarget }> {
  const row = await tokensOf(ctx).select(TOKEN_COLUMNS).where("d.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFound("hardware_token", id);
  return { row, target: await authorizeDevice(ctx, "hardware_token", id, action) };
}

/** The token's name in messages and the log: its type and serial. */
export function tokenName(row: Pick<TokenRow, "type" | "serial">): string {
  return `${row.type} token ${row.serial}`;
}
