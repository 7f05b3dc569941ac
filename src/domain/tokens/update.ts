import type { UseCaseContext } from "../context.js";
import { Invalid } from "../errors.js";
import { parseTotpStep, TOTP_TYPES } from "./fields.js";
import { getToken } from "./list.js";
import { type TokenView, tokenName, visibleToken } from "./view.js";

/**
 * Edit a hardware token (tokens:update): research/duo-api.md §4.4 lets a TOTP token's time step
 * change, nothing else. A token the caller may not see is not found (R-UNIT-8f). One audit record.
 */
export async function updateToken(
  ctx: UseCaseContext,
  id: string,
  change: { totp_step?: number },
): Promise<TokenView> {
  const { row } = await visibleToken(ctx, id, "tokens:update");
  const step = change.totp_step;
  if (step !== undefined && !TOTP_TYPES.includes(row.type))
    throw new Invalid("totp_step", `is only for TOTP tokens (${TOTP_TYPES.join(", ")})`);
  const totpStep = step === undefined ? row.totp_step : parseTotpStep(step);
  const changed = totpStep !== row.totp_step;
  if (changed)
    await ctx.tx
      .updateTable("hardware_tokens")
      .set({ totp_step: totpStep })
      .where("id", "=", id)
      .where("account_id", "=", ctx.accountId)
      .execute();
  // One record per successful edit, even one that changed nothing (empty before and after).
  await ctx.audit({
    action: "token_update",
    object: { kind: "hardware_token", id, name: tokenName(row) },
    before: changed ? { totp_step: row.totp_step } : {},
    after: changed ? { totp_step: totpStep } : {},
  });
  return getToken(ctx, id);
}
