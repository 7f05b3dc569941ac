/**
 * A WebAuthn credential's own columns and the shape admins see them in, without its owner: the
 * piece that both a credential's view (with its user) and a user's view (with its credentials)
 * are built from, so the imports run one way, users -> webauthn/summary <- webauthn/view (as
 * tokens/summary.ts does for hardware tokens). Never the public key, the counter or the id the
 * browser uses: what an admin reads is what the authenticator is and when it was added and used.
 */

export interface WebAuthnSummary {
  /** Duo's webauthnkey. */
  id: string;
  /** What the authenticator is: "Security key", "Passkey", "iCloud Keychain". */
  credential_name: string;
  /** The owner's own name for it; "" when they gave none. */
  label: string;
  /** A passkey (synced between the owner's devices) rather than a key bound to one device. */
  passkey: boolean;
  created_at: string;
  last_used_at: string | null;
}

export const WEBAUTHN_COLUMNS = [
  "w.id",
  "w.credential_name",
  "w.label",
  "w.device_type",
  "w.created_at",
  "w.last_used_at",
] as const;

export interface WebAuthnRow {
  id: string;
  credential_name: string;
  label: string;
  device_type: "single_device" | "multi_device";
  created_at: Date;
  last_used_at: Date | null;
}

export function toWebAuthnSummary(row: WebAuthnRow): WebAuthnSummary {
  return {
    id: row.id,
    credential_name: row.credential_name,
    label: row.label,
    passkey: row.device_type === "multi_device",
    created_at: new Date(row.created_at).toISOString(),
    last_used_at: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
  };
}
