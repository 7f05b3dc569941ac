import type { UseCaseContext } from "../context.js";
import { type Association, associate, disassociate } from "../devices/associate.js";
import { tokenName, visibleToken } from "./view.js";

function tokenOf(ctx: UseCaseContext, tokenId: string) {
  return async () => ({ name: tokenName((await visibleToken(ctx, tokenId)).row) });
}

/**
 * Assign an existing hardware token to a user (research/duo-api.md §4.1 POST /users/{id}/tokens):
 * tokens:create "assign a hardware token", decided on the user (R-UNIT-8f). A token has one user.
 */
export function associateToken(ctx: UseCaseContext, userId: string, tokenId: string) {
  const change: Association = {
    kind: "hardware_token",
    deviceId: tokenId,
    device: tokenOf(ctx, tokenId),
    action: "tokens:create",
    audit: "token_associate",
  };
  return associate(ctx, userId, change);
}

/** Take a hardware token from a user (tokens:delete "remove a hardware token"); the token stays. */
export function disassociateToken(ctx: UseCaseContext, userId: string, tokenId: string) {
  const change: Association = {
    kind: "hardware_token",
    deviceId: tokenId,
    device: tokenOf(ctx, tokenId),
    action: "tokens:delete",
    audit: "token_disassociate",
  };
  return disassociate(ctx, userId, change);
}
