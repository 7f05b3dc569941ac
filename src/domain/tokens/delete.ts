import type { UseCaseContext } from "../context.js";
import { ownersOf } from "../devices/links.js";
import { tokenName, visibleToken } from "./view.js";

/**
 * Delete a hardware token (tokens:delete), one the caller may see (R-UNIT-8f); its assignment goes
 * with it. One audit record naming what it was and whose; never its secret.
 */
export async function deleteToken(ctx: UseCaseContext, id: string): Promise<void> {
  const { row } = await visibleToken(ctx, id, "tokens:delete");
  const users = await ownersOf(ctx, "hardware_token", [id]).select("l.user_id").execute();
  await ctx.tx
    .deleteFrom("hardware_tokens")
    .where("id", "=", id)
    .where("account_id", "=", ctx.accountId)
    .execute();
  await ctx.audit({
    action: "token_delete",
    object: { kind: "hardware_token", id, name: tokenName(row) },
    before: {
      type: row.type,
      serial: row.serial,
      totp_step: row.totp_step,
      user_ids: users.map((user) => user.user_id),
    },
  });
}
