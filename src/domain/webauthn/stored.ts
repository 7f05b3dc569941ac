import type { Selectable } from "kysely";
import type { StoredCredential } from "../../authn/webauthn.js";
import type { Executor } from "../../db/executor.js";
import type { WebAuthnCredentialsTable } from "../../db/schema.js";
import { type CredentialOwner, ownerKey } from "./owner.js";

/**
 * A credential as a ceremony needs it: what checkAuthentication is given (id, public key,
 * counter), what options name (ids, transports), and its owner. For the sign-in and prompt paths,
 * which know their user or admin already; the admins' use cases read through view.ts instead.
 */
export interface StoredWebAuthnCredential extends StoredCredential {
  /** Duo's webauthnkey. */
  id: string;
  owner: CredentialOwner;
  transports: string[];
  aaguid: string;
  deviceType: "single_device" | "multi_device";
  backedUp: boolean;
  credentialName: string;
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

type Row = Selectable<WebAuthnCredentialsTable>;

function toStored(row: Row): StoredWebAuthnCredential {
  const owner: CredentialOwner =
    row.user_id !== null
      ? { kind: "user", userId: row.user_id, accountId: row.account_id }
      : { kind: "admin", adminId: row.admin_id ?? "", accountId: row.account_id };
  return {
    id: row.id,
    owner,
    credentialId: row.credential_id,
    // node-postgres gives a Buffer, PGlite a Uint8Array: the verifier takes either as bytes.
    publicKey: new Uint8Array(row.public_key),
    signCount: Number(row.sign_count),
    transports: row.transports,
    aaguid: row.aaguid,
    deviceType: row.device_type,
    backedUp: row.backed_up,
    credentialName: row.credential_name,
    label: row.label,
    createdAt: new Date(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
  };
}

/** The credentials of one user or administrator, oldest first (what options list, and Edit Profile). */
export async function credentialsOfOwner(
  executor: Executor,
  owner: CredentialOwner,
): Promise<StoredWebAuthnCredential[]> {
  const rows = await executor
    .selectFrom("webauthn_credentials")
    .selectAll()
    .where("account_id", "=", owner.accountId)
    .where(ownerKey(owner).column, "=", ownerKey(owner).id)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(toStored);
}

/**
 * The credential a browser names by its credential id (credentialIdOf(response)), in any account,
 * or undefined. The caller checks that its owner is the one signing in.
 */
export async function findByCredentialId(
  executor: Executor,
  credentialId: string,
): Promise<StoredWebAuthnCredential | undefined> {
  const row = await executor
    .selectFrom("webauthn_credentials")
    .selectAll()
    .where("credential_id", "=", credentialId)
    .executeTakeFirst();
  return row ? toStored(row) : undefined;
}
