import { createHash } from "node:crypto";
import {
  type AttestationFormat,
  type AttestationStatement,
  decodeAttestationObject,
  type ParsedAuthenticatorData,
  parseAuthenticatorData,
} from "@simplewebauthn/server/helpers";

/**
 * Reading a WebAuthn response that came from a browser, which is to say from anyone: every field
 * is checked for type, alphabet and size before it is decoded, and a decoder's exception is an
 * answer (undefined), never an escape. What passes is the shape the library's verifiers expect.
 */

/** Upper bounds, in base64url characters, far above any real authenticator's. */
const MAX_CHARS = {
  /** The spec's largest credential id is 1023 bytes. */
  credentialId: 1366,
  clientDataJSON: 8_192,
  attestationObject: 65_536,
  authenticatorData: 16_384,
  /** An RSA-4096 signature is 512 bytes. */
  signature: 2_048,
  userHandle: 128,
} as const;

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The bytes of a base64url string of at most `field`'s size; undefined for anything else. */
export function bytesOf(
  value: unknown,
  field: keyof typeof MAX_CHARS,
): Uint8Array<ArrayBuffer> | undefined {
  if (typeof value !== "string" || value.length > MAX_CHARS[field] || !BASE64URL.test(value))
    return undefined;
  const bytes = Buffer.from(value, "base64url");
  return bytes.length > 0 ? new Uint8Array(bytes) : undefined;
}

/**
 * The credential id a response names (its `id`, the same as its `rawId`), or undefined when the
 * response is not shaped like a WebAuthn credential at all. What a caller looks the stored
 * credential up by before verifying.
 */
export function credentialIdOf(response: unknown): string | undefined {
  if (!isRecord(response)) return undefined;
  const { id, rawId, type } = response;
  if (type !== "public-key" || typeof id !== "string" || id !== rawId) return undefined;
  return bytesOf(id, "credentialId") && !id.includes("=") ? id : undefined;
}

/** The client's record of the ceremony (WebAuthn §5.8.1), the fields a relying party checks. */
export interface ClientData {
  type: string;
  challenge: string;
  origin: string;
  crossOrigin: boolean;
}

export function parseClientData(value: unknown): ClientData | undefined {
  const bytes = bytesOf(value, "clientDataJSON");
  if (!bytes) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const { type, challenge, origin, crossOrigin } = parsed;
  if (typeof type !== "string" || typeof challenge !== "string" || typeof origin !== "string")
    return undefined;
  return { type, challenge, origin, crossOrigin: crossOrigin === true };
}

export function parseAuthData(bytes: Uint8Array<ArrayBuffer>): ParsedAuthenticatorData | undefined {
  try {
    return parseAuthenticatorData(bytes);
  } catch {
    return undefined;
  }
}

export interface Attestation {
  fmt: AttestationFormat;
  attStmt: AttestationStatement;
  authData: ParsedAuthenticatorData;
}

export function parseAttestation(value: unknown): Attestation | undefined {
  const bytes = bytesOf(value, "attestationObject");
  if (!bytes) return undefined;
  try {
    const decoded = decodeAttestationObject(bytes);
    const fmt: unknown = decoded.get("fmt");
    const attStmt: unknown = decoded.get("attStmt");
    const authData: unknown = decoded.get("authData");
    if (typeof fmt !== "string" || !(attStmt instanceof Map) || !(authData instanceof Uint8Array))
      return undefined;
    const parsed = parseAuthData(new Uint8Array(authData));
    if (!parsed) return undefined;
    return {
      fmt: fmt as AttestationFormat,
      attStmt: attStmt as unknown as AttestationStatement,
      authData: parsed,
    };
  } catch {
    return undefined;
  }
}

/** Whether authenticator data was made for this relying party: its first 32 bytes are SHA-256(rpId). */
export function isForRelyingParty(authData: ParsedAuthenticatorData, rpId: string): boolean {
  const expected = createHash("sha256").update(rpId).digest();
  return Buffer.from(authData.rpIdHash).equals(expected);
}
