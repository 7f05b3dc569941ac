import type { UseCaseContext } from "../context.js";
import { removeCredential } from "./remove.js";
import { visibleCredential } from "./view.js";

/**
 * An admin or API application removes a user's WebAuthn credential: R-ROLE-2 "Manage 2FA devices"
 * (tokens:delete, Help Desk included, R-ROLE-3), for a user the caller may see (R-UNIT-8f: else not
 * found). One audit record naming what it was and whose (R-AUD-1).
 */
export async function deleteWebAuthnCredential(ctx: UseCaseContext, id: string): Promise<void> {
  const credential = await visibleCredential(ctx, id, "tokens:delete");
  await removeCredential(ctx.tx, {
    id,
    owner: { kind: "user", userId: credential.user.id, accountId: ctx.accountId },
    by: { actor: ctx.caller.actor, client: ctx.caller.client },
  });
}
