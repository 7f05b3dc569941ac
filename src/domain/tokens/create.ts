import { newId } from "../../db/ids.js";
import type { UseCaseContext } from "../context.js";
import { link } from "../devices/links.js";
import { deviceTarget } from "../devices/scope.js";
import { visibleUser } from "../users/view.js";
import { assertSerialFree, type NewToken, parseNewToken } from "./fields.js";
import { getToken } from "./list.js";
import { type TokenView, tokenName } from "./view.js";

/**
 * Add a hardware token (R-ROLE-2 "Manage 2FA devices": tokens:create), assigned to a user when
 * `userId` is given (decided on that user: a restricted admin assigns tokens to users of their
 * units only, R-UNIT-8f), or on its own, to assign later (decided on a device with no user: only
 * global admins and API applications). The secret is sealed with the row's id (src/db/secrets.ts)
 * and never returned or logged. Every check comes before the first write; one audit record.
 */
export async function createToken(
  ctx: UseCaseContext,
  input: NewToken,
  userId?: string,
): Promise<TokenView> {
  const id = newId("hardwareToken");
  const user = userId === undefined ? undefined : await visibleUser(ctx, userId);
  ctx.authorize("tokens:create", { object: user?.object ?? deviceTarget(id) });
  const { secret, ...token } = parseNewToken(input);
  await assertSerialFree(ctx, token);

  await ctx.tx
    .insertInto("hardware_tokens")
    .values({
      id,
      account_id: ctx.accountId,
      ...token,
      secret_enc: ctx.services.secrets.seal(JSON.stringify(secret), id),
    })
    .execute();
  if (user) await link(ctx, "hardware_token", user.row.id, id);
  await ctx.audit({
    action: "token_create",
    object: { kind: "hardware_token", id, name: tokenName(token) },
    after: { ...token, user_ids: user ? [user.row.id] : [] },
  });
  return getToken(ctx, id);
}
