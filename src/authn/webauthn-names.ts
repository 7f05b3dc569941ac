/**
 * What an authenticator is, in the words an admin and a user read in a list of security keys and
 * passkeys (Duo's `credential_name`). Attestation is "none", so nothing here is proven: the AAGUID
 * is what the authenticator says it is, and the attachment is what the browser reported. Good
 * enough to tell "my YubiKey" from "my phone's passkey"; never used to decide anything.
 */

/** Passkey providers whose AAGUIDs are published (passkey-authenticator-aaguids, FIDO MDS). */
const KNOWN_AUTHENTICATORS: Readonly<Record<string, string>> = {
  "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4": "Google Password Manager",
  "adce0002-35bc-c60a-648b-0b25f1f05503": "Chrome on Mac",
  "fbfc3007-154e-4ecc-8c0b-6e020557d7bd": "iCloud Keychain",
  "08987058-cadc-4b81-b6e1-30de50dcbe96": "Windows Hello",
  "bada5566-a7aa-401f-bd96-45619a55120d": "1Password",
  "d548826e-79b4-db40-a3d8-11116f7e8349": "Bitwarden",
};

export type CredentialDeviceType = "single_device" | "multi_device";

/**
 * A known provider by its AAGUID; otherwise a passkey when the credential may be synced to other
 * devices (backup eligible), a built-in authenticator when the browser says it is part of the
 * device, and a security key otherwise.
 */
export function credentialNameOf(facts: {
  aaguid: string;
  deviceType: CredentialDeviceType;
  attachment: string | undefined;
}): string {
  const known = KNOWN_AUTHENTICATORS[facts.aaguid];
  if (known) return known;
  if (facts.deviceType === "multi_device") return "Passkey";
  if (facts.attachment === "platform") return "Built-in authenticator";
  return "Security key";
}
