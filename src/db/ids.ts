import { createHash, randomBytes, randomInt } from "node:crypto";

/** Duo's identifier prefixes: two letters, then 18 of [0-9A-Z], 20 characters in all. */
export const ID_PREFIX = {
  account: "DA",
  admin: "DE",
  activation: "DX",
  user: "DU",
  group: "DG",
  integration: "DI",
  unit: "DN",
  bypassCode: "DB",
  phone: "DP",
  hardwareToken: "DH",
  deviceActivation: "DY",
  webauthnCredential: "WA",
  policy: "PO",
} as const;
export type IdKind = keyof typeof ID_PREFIX;

const UPPER_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const MIXED_ALNUM = `${UPPER_ALNUM}abcdefghijklmnopqrstuvwxyz`;

/** A new random id of the given kind, e.g. `newId("user")` → "DU3WQ0ZC9V6H2N8JD1KA". */
export function newId(kind: IdKind): string {
  return ID_PREFIX[kind] + randomString(UPPER_ALNUM, 18);
}

export function isId(kind: IdKind, value: string): boolean {
  return new RegExp(`^${ID_PREFIX[kind]}[0-9A-Z]{18}$`).test(value);
}

/** A Duo-shaped 40-character secret key (about 238 bits). */
export function newSecretKey(): string {
  return randomString(MIXED_ALNUM, 40);
}

/** An unguessable token for links (256 bits, base64url), and the hash that is stored instead of it. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function randomString(alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}
