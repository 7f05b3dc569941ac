import type { NewCredential } from "../../authn/webauthn.js";
import type { Executor } from "../../db/executor.js";
import { newId } from "../../db/ids.js";
import { recordAction } from "../audit.js";
import { Conflict } from "../errors.js";
import { parseLabel } from "./label.js";
import { auditObjectOf, type ChangedBy, type CredentialOwner, ownerFields } from "./owner.js";
import { credentialsOfOwner, type StoredWebAuthnCredential } from "./stored.js";

/**
 * Keeps a credential that checkRegistration verified, for its owner, with one audit record naming
 * who added it (R-AUD-1), in the caller's transaction. A credential id registered before, by
 * anyone, is refused (WebAuthn §7.1 step 26): a Conflict naming `response`, and nothing written.
 */
export async function addCredential(
  executor: Executor,
  input: {
    owner: CredentialOwner;
    credential: NewCredential;
    /** The owner's name for it; "" (or none) leaves Duo's label empty. */
    label?: string;
    by: ChangedBy;
  },
): Promise<StoredWebAuthnCredential> {
  const { owner, credential, by } = input;
  const label = parseLabel(input.label ?? "");
  const id = newId("webauthnCredential");
  const inserted = await executor
    .insertInto("webauthn_credentials")
    .values({
      id,
      account_id: owner.accountId,
      user_id: owner.kind === "user" ? owner.userId : null,
      admin_id: owner.kind === "admin" ? owner.adminId : null,
      credential_id: credential.credentialId,
      public_key: credential.publicKey,
      sign_count: credential.signCount,
      transports: credential.transports,
      aaguid: credential.aaguid,
      device_type: credential.deviceType,
      backed_up: credential.backedUp,
      credential_name: credential.credentialName,
      label,
    })
    // Not an exception: a unique violation would abort the caller's whole transaction.
    .onConflict((oc) => oc.column("credential_id").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted)
    throw new Conflict("This security key or passkey is already registered", undefined, "response");
  await recordAction(executor, {
    accountId: owner.accountId,
    actor: by.actor,
    action: "webauthn_create",
    object: await auditObjectOf(executor, owner),
    after: {
      webauthnkey: id,
      ...ownerFields(owner),
      credential_name: credential.credentialName,
      label,
      passkey: credential.deviceType === "multi_device",
      aaguid: credential.aaguid,
    },
    ip: by.client?.ip,
    userAgent: by.client?.userAgent,
  });
  const added = (await credentialsOfOwner(executor, owner)).find((row) => row.id === id);
  if (!added) throw new Error("a credential just added is there");
  return added;
}
