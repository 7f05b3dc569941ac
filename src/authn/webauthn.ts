import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { convertAAGUIDToString } from "@simplewebauthn/server/helpers";
import { type CredentialDeviceType, credentialNameOf } from "./webauthn-names.js";
import {
  bytesOf,
  type ClientData,
  credentialIdOf,
  isForRelyingParty,
  isRecord,
  parseAttestation,
  parseAuthData,
  parseClientData,
} from "./webauthn-parse.js";

/**
 * R-AUTH-2, R-ADM-3: WebAuthn security keys and passkeys, verified like the other factors (DESIGN):
 * the ceremony's facts in (the challenge that was issued, the origin and RP ID it was issued for,
 * the stored credential), a verdict out, no I/O. Over @simplewebauthn/server, with the checks a
 * caller must tell apart (challenge, origin, user verification, signature, counter) made here in
 * that order so each refusal says which it was; whatever is not shaped like a WebAuthn response
 * is `malformed`. No function here throws on what a browser sent.
 */

export type { CredentialDeviceType } from "./webauthn-names.js";
export { credentialIdOf } from "./webauthn-parse.js";

export type UserVerification = "required" | "preferred" | "discouraged";

/** How long a ceremony may take: the browser's timeout, and how long a stored challenge lives. */
export const WEBAUTHN_CEREMONY_MS = 5 * 60_000;

const TRANSPORTS: ReadonlySet<string> = new Set<AuthenticatorTransportFuture>([
  "ble",
  "cable",
  "hybrid",
  "internal",
  "nfc",
  "smart-card",
  "usb",
]);

/**
 * WebAuthn §5.1: credential ids are 16 to 1023 bytes. A COSE public key of any algorithm offered
 * (ES256, EdDSA, RS256 up to 4096 bits) is well under 2 KiB; what is stored is bounded so.
 */
const CREDENTIAL_ID_BYTES = { min: 16, max: 1023 };
const PUBLIC_KEY_BYTES = { min: 16, max: 2048 };

export type WebAuthnRefusal =
  | "challenge"
  | "origin"
  | "signature"
  | "counter"
  | "user_verification"
  | "unknown_credential"
  | "malformed";

/** What a registration leaves to store: never anything secret (the private key stays in the authenticator). */
export interface NewCredential {
  /** base64url, as browsers name it in allowCredentials and in responses. */
  credentialId: string;
  /** The COSE public key. */
  publicKey: Uint8Array;
  signCount: number;
  transports: AuthenticatorTransportFuture[];
  aaguid: string;
  /** Whether a multi-device credential is backed up now. */
  backedUp: boolean;
  /** multi_device: a passkey that may be synced to the owner's other devices. */
  deviceType: CredentialDeviceType;
  /** What the authenticator is, in words ("Security key", "Passkey", "iCloud Keychain"). */
  credentialName: string;
}

export type RegistrationVerdict =
  | { ok: true; credential: NewCredential }
  | { ok: false; reason: Exclude<WebAuthnRefusal, "counter" | "unknown_credential"> };

/** The stored facts of a credential that an authentication is checked against. */
export interface StoredCredential {
  credentialId: string;
  publicKey: Uint8Array;
  signCount: number;
}

export type AuthenticationVerdict =
  | { ok: true; newSignCount: number; userVerified: boolean }
  | { ok: false; reason: WebAuthnRefusal };

/** Options for navigator.credentials.create(), and the challenge to keep for checkRegistration. */
export async function registrationOptions(input: {
  rpId: string;
  rpName: string;
  /** Who the credential is for: an id that is not personal data (a user's or admin's id). */
  userId: string;
  userName: string;
  displayName: string;
  /** The owner's credentials already registered: the browser refuses to register one twice. */
  excludeCredentialIds: readonly string[];
  userVerification: UserVerification;
}): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; challenge: string }> {
  const options = await generateRegistrationOptions({
    rpID: input.rpId,
    rpName: input.rpName,
    userID: new TextEncoder().encode(input.userId),
    userName: input.userName,
    userDisplayName: input.displayName,
    timeout: WEBAUTHN_CEREMONY_MS,
    attestationType: "none",
    excludeCredentials: input.excludeCredentialIds.map((id) => ({ id })),
    // A passkey where the authenticator can keep one; a plain security key otherwise.
    authenticatorSelection: { residentKey: "preferred", userVerification: input.userVerification },
  });
  return { options, challenge: options.challenge };
}

/** Options for navigator.credentials.get(), and the challenge to keep for checkAuthentication. */
export async function authenticationOptions(input: {
  rpId: string;
  /** The owner's credentials; empty lets the browser offer any passkey it holds for the RP. */
  allowCredentialIds: readonly string[];
  userVerification: UserVerification;
}): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; challenge: string }> {
  const options = await generateAuthenticationOptions({
    rpID: input.rpId,
    allowCredentials: input.allowCredentialIds.map((id) => ({ id })),
    timeout: WEBAUTHN_CEREMONY_MS,
    userVerification: input.userVerification,
  });
  return { options, challenge: options.challenge };
}

interface Ceremony {
  expectedChallenge: string;
  /** The page's origin, e.g. "https://gatehouse.example.com". */
  expectedOrigin: string;
  /** The relying party's id: the page's host name. */
  rpId: string;
  requireUserVerification: boolean;
}

/** The client data's verdict: the challenge we issued, on our own page, not framed by another. */
function clientDataRefusal(
  clientData: ClientData | undefined,
  type: "webauthn.create" | "webauthn.get",
  ceremony: Ceremony,
): "malformed" | "challenge" | "origin" | undefined {
  if (!clientData || clientData.type !== type) return "malformed";
  if (clientData.challenge !== ceremony.expectedChallenge) return "challenge";
  if (clientData.origin !== ceremony.expectedOrigin || clientData.crossOrigin) return "origin";
  return undefined;
}

/** The authenticator data's verdict: made for our RP ID (another site's is "origin"), with the user there. */
function authDataRefusal(
  authData: NonNullable<ReturnType<typeof parseAuthData>>,
  ceremony: Ceremony,
): "origin" | "user_verification" | undefined {
  if (!isForRelyingParty(authData, ceremony.rpId)) return "origin";
  if (!authData.flags.up) return "user_verification";
  if (ceremony.requireUserVerification && !authData.flags.uv) return "user_verification";
  return undefined;
}

/** A registration (navigator.credentials.create()'s JSON) checked against the ceremony it answers. */
export async function checkRegistration(
  input: Ceremony & { response: unknown },
): Promise<RegistrationVerdict> {
  const { response } = input;
  const credentialId = credentialIdOf(response);
  if (!credentialId || !isRecord(response) || !isRecord(response.response))
    return { ok: false, reason: "malformed" };
  const body = response.response;
  const clientRefusal = clientDataRefusal(
    parseClientData(body.clientDataJSON),
    "webauthn.create",
    input,
  );
  if (clientRefusal) return { ok: false, reason: clientRefusal };
  const attestation = parseAttestation(body.attestationObject);
  const authData = attestation?.authData;
  if (
    !authData?.credentialID ||
    !authData.credentialPublicKey ||
    !authData.aaguid ||
    authData.credentialID.length < CREDENTIAL_ID_BYTES.min ||
    authData.credentialID.length > CREDENTIAL_ID_BYTES.max ||
    authData.credentialPublicKey.length < PUBLIC_KEY_BYTES.min ||
    authData.credentialPublicKey.length > PUBLIC_KEY_BYTES.max ||
    Buffer.from(authData.credentialID).toString("base64url") !== credentialId
  )
    return { ok: false, reason: "malformed" };
  const dataRefusal = authDataRefusal(authData, input);
  if (dataRefusal) return { ok: false, reason: dataRefusal };
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: response as unknown as RegistrationResponseJSON,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: input.expectedOrigin,
      expectedRPID: input.rpId,
      requireUserVerification: input.requireUserVerification,
    });
  } catch {
    // Every field the library reads was checked above; what is left is an attestation
    // statement or a public key it cannot use.
    return { ok: false, reason: "malformed" };
  }
  if (!verified.verified) return { ok: false, reason: "signature" };
  const info = verified.registrationInfo;
  const deviceType = info.credentialDeviceType === "multiDevice" ? "multi_device" : "single_device";
  const aaguid = convertAAGUIDToString(authData.aaguid);
  const attachment =
    typeof response.authenticatorAttachment === "string"
      ? response.authenticatorAttachment
      : undefined;
  return {
    ok: true,
    credential: {
      credentialId,
      publicKey: new Uint8Array(info.credential.publicKey),
      signCount: info.credential.counter,
      transports: transportsOf(body.transports),
      aaguid,
      backedUp: info.credentialBackedUp,
      deviceType,
      credentialName: credentialNameOf({ aaguid, deviceType, attachment }),
    },
  };
}

/** The transports the browser reported that WebAuthn knows; anything else is dropped, not stored. */
function transportsOf(value: unknown): AuthenticatorTransportFuture[] {
  if (!Array.isArray(value)) return [];
  const known = value.filter(
    (item): item is AuthenticatorTransportFuture =>
      typeof item === "string" && TRANSPORTS.has(item),
  );
  return [...new Set(known)].sort();
}

/**
 * An authentication (navigator.credentials.get()'s JSON) checked against the ceremony and the
 * stored credential it names (undefined: the caller has none by that id, `unknown_credential`).
 * R-AUTH-2's sign counter: when both the stored and the new count are non-zero, a new count not
 * above the stored one means two authenticators hold the same key (a clone), and is refused. The
 * signature is checked before the counter, so a forged response is a bad signature, never a clone.
 */
export async function checkAuthentication(
  input: Ceremony & { response: unknown; credential: StoredCredential | undefined },
): Promise<AuthenticationVerdict> {
  const { response, credential } = input;
  const credentialId = credentialIdOf(response);
  if (!credentialId || !isRecord(response) || !isRecord(response.response))
    return { ok: false, reason: "malformed" };
  if (!credential || credential.credentialId !== credentialId)
    return { ok: false, reason: "unknown_credential" };
  const body = response.response;
  const clientRefusal = clientDataRefusal(
    parseClientData(body.clientDataJSON),
    "webauthn.get",
    input,
  );
  if (clientRefusal) return { ok: false, reason: clientRefusal };
  const rawAuthData = bytesOf(body.authenticatorData, "authenticatorData");
  const authData = rawAuthData && parseAuthData(rawAuthData);
  if (
    !authData ||
    !bytesOf(body.signature, "signature") ||
    (body.userHandle !== undefined &&
      body.userHandle !== null &&
      !bytesOf(body.userHandle, "userHandle"))
  )
    return { ok: false, reason: "malformed" };
  const dataRefusal = authDataRefusal(authData, input);
  if (dataRefusal) return { ok: false, reason: dataRefusal };
  let verified = false;
  try {
    const result = await verifyAuthenticationResponse({
      response: response as unknown as AuthenticationResponseJSON,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: input.expectedOrigin,
      expectedRPID: input.rpId,
      // The library would judge the counter before the signature; it is judged below instead.
      credential: {
        id: credential.credentialId,
        publicKey: new Uint8Array(credential.publicKey),
        counter: 0,
      },
      requireUserVerification: input.requireUserVerification,
    });
    verified = result.verified;
  } catch {
    // The shape was checked above: what fails now is a signature that cannot be read as one.
    verified = false;
  }
  if (!verified) return { ok: false, reason: "signature" };
  const newSignCount = authData.counter;
  if (credential.signCount > 0 && newSignCount > 0 && newSignCount <= credential.signCount)
    return { ok: false, reason: "counter" };
  return { ok: true, newSignCount, userVerified: authData.flags.uv };
}
