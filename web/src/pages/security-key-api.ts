/**
 * The shapes of src/http/panel/webauthn.ts and webauthn-profile.ts the pages read: security keys
 * and passkeys (WebAuthn credentials), never anything a browser signs with.
 */

export interface SecurityKey {
  /** Duo's webauthnkey. */
  id: string;
  /** What the authenticator is: "Security key", "Passkey", "iCloud Keychain". */
  credential_name: string;
  /** The owner's own name for it; "" when none. */
  label: string;
  passkey: boolean;
  created_at: string;
  last_used_at: string | null;
}

export interface UserSecurityKey extends SecurityKey {
  user: { id: string; username: string };
}

export const userSecurityKeysKey = (userId: string) => ["users", "webauthn", userId] as const;
export const OWN_SECURITY_KEYS_KEY = ["profile", "security-keys"] as const;

/** A key's name in a sentence: the owner's label, else what it is. */
export function keyName(key: SecurityKey): string {
  return key.label || key.credential_name;
}

export function when(value: string | null, never: string): string {
  return value ? new Date(value).toLocaleString() : never;
}

/**
 * What a browser's WebAuthn error means to the person holding the key: they cancelled or waited
 * too long (NotAllowedError), or this key is already registered (InvalidStateError).
 */
export function ceremonyProblem(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "NotAllowedError")
    return "The security key was not used: the request was cancelled or timed out. Try again.";
  if (name === "InvalidStateError") return "This security key is already registered.";
  if (name === "SecurityError")
    return "This browser refused the request for this site's address. Open the panel at its usual address.";
  return "The browser could not use a security key here.";
}
