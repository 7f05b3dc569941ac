import type { Action } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { authorizeDevice, type DeviceTarget, visibleOwners } from "../devices/scope.js";
import { NotFound } from "../errors.js";
import type { UserSummary } from "../users/view.js";
import { TOKEN_COLUMNS, type TokenRow, type TokenSummary, toTokenSummary } from "./summary.js";

/** A token with the user it is assigned to, if the caller may see that user (R-UNIT-8a). */
export interface TokenView extends TokenSummary {
  users: UserSummary[];
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
