import type { Executor } from "../../src/db/executor.js";
import { newId } from "../../src/db/ids.js";
import { SoftAuthenticator } from "./webauthn-authenticator.js";

/**
 * A stored WebAuthn credential, inserted directly (as a registration at the prompt would leave it,
 * without its audit record): for tests of listing and removing. Its authenticator comes back, so
 * a test can also sign with it.
 */
export async function insertWebAuthnCredential(
  db: Executor,
  owner: { accountId: string; userId?: string; adminId?: string },
  values: { label?: string; credentialName?: string; passkey?: boolean; createdAt?: Date } = {},
): Promise<{ id: string; authenticator: SoftAuthenticator }> {
  const authenticator = new SoftAuthenticator({ passkey: values.passkey ?? false });
  const id = newId("webauthnCredential");
  await db
    .insertInto("webauthn_credentials")
    .values({
      id,
      account_id: owner.accountId,
      user_id: owner.userId ?? null,
      admin_id: owner.adminId ?? null,
      credential_id: authenticator.credentialId,
      public_key: authenticator.cosePublicKey,
      transports: ["usb"],
      aaguid: "00000000-0000-0000-0000-000000000000",
      device_type: values.passkey ? "multi_device" : "single_device",
      backed_up: values.passkey ?? false,
      credential_name: values.credentialName ?? (values.passkey ? "Passkey" : "Security key"),
      label: values.label ?? "",
      ...(values.createdAt ? { created_at: values.createdAt } : {}),
    })
    .execute();
  return { id, authenticator };
}
