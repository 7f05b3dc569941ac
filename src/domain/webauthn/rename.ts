import type { Executor } from "../../db/executor.js";
import { recordAction } from "../audit.js";
import { NotFound } from "../errors.js";
import { parseLabel } from "./label.js";
import {
  auditObjectOf,
  type ChangedBy,
  type CredentialOwner,
  ownerFields,
  ownerKey,
} from "./owner.js";

/**
 * Sets the owner's name for one of their credentials (Duo's label; "" clears it), with one audit
 * record of before and after, in the caller's transaction. NotFound when the owner has no such
 * credential. Returns the label as stored.
 */
export async function renameCredential(
  executor: Executor,
  input: { id: string; owner: CredentialOwner; label: string; by: ChangedBy },
): Promise<string> {
  const { id, owner, by } = input;
  const label = parseLabel(input.label);
  const { column, id: ownerId } = ownerKey(owner);
  const before = await executor
    .selectFrom("webauthn_credentials")
    .select("label")
    .where("id", "=", id)
    .where("account_id", "=", owner.accountId)
    .where(column, "=", ownerId)
    .forUpdate()
    .executeTakeFirst();
  if (!before) throw new NotFound("webauthn_credential", id);
  await executor
    .updateTable("webauthn_credentials")
    .set({ label })
    .where("id", "=", id)
    .where("account_id", "=", owner.accountId)
    .execute();
  await recordAction(executor, {
    accountId: owner.accountId,
    actor: by.actor,
    action: "webauthn_update",
    object: await auditObjectOf(executor, owner),
    before: { webauthnkey: id, ...ownerFields(owner), label: before.label },
    after: { webauthnkey: id, ...ownerFields(owner), label },
    ip: by.client?.ip,
    userAgent: by.client?.userAgent,
  });
  return label;
}
