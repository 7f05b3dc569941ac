import type { Executor } from "../../db/executor.js";
import { recordAction } from "../audit.js";
import { NotFound } from "../errors.js";
import {
  auditObjectOf,
  type ChangedBy,
  type CredentialOwner,
  ownerFields,
  ownerKey,
} from "./owner.js";

/**
 * Deletes one credential of `owner` (by its webauthnkey), with one audit record naming who
 * removed it and what it was (R-AUD-1), in the caller's transaction. NotFound when the owner has
 * no such credential. Whether the caller may remove it is the caller's decision, made before.
 */
export async function removeCredential(
  executor: Executor,
  input: { id: string; owner: CredentialOwner; by: ChangedBy },
): Promise<void> {
  const { id, owner, by } = input;
  const removed = await executor
    .deleteFrom("webauthn_credentials")
    .where("id", "=", id)
    .where("account_id", "=", owner.accountId)
    .where(ownerKey(owner).column, "=", ownerKey(owner).id)
    .returning(["credential_name", "label", "device_type", "created_at", "last_used_at"])
    .executeTakeFirst();
  if (!removed) throw new NotFound("webauthn_credential", id);
  await recordAction(executor, {
    accountId: owner.accountId,
    actor: by.actor,
    action: "webauthn_delete",
    object: await auditObjectOf(executor, owner),
    before: {
      webauthnkey: id,
      ...ownerFields(owner),
      credential_name: removed.credential_name,
      label: removed.label,
      passkey: removed.device_type === "multi_device",
      date_added: new Date(removed.created_at).toISOString(),
      last_used_at: removed.last_used_at ? new Date(removed.last_used_at).toISOString() : null,
    },
    ip: by.client?.ip,
    userAgent: by.client?.userAgent,
  });
}
