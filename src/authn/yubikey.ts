import { createDecipheriv, timingSafeEqual } from "node:crypto";

/** Yubico's modhex alphabet: the hex digits 0-f as keyboard letters every layout types alike. */
const MODHEX = "cbdefghijklnrtuv";
/** A Yubico OTP: an optional public id (up to 16 modhex), then 32 modhex of ciphertext. */
export const YUBIKEY_OTP = /^[cbdefghijklnrtuv]{32,48}$/;
/** CRC-16 over all 16 plaintext bytes, the stored CRC included, leaves this residue when intact. */
const CRC_OK_RESIDUE = 0xf0b8;

export interface YubikeyFacts {
  /** The AES-128 key, 16 bytes. */
  aesKey: Uint8Array;
  /** The private (secret) id, 6 bytes. */
  privateId: Uint8Array;
  /** The last (usage counter, session counter) accepted, or null before the first. */
  last: { counter: number; use: number } | null;
  otp: string;
}

export type YubikeyVerdict =
  | { valid: true; counter: number; use: number; publicId: string }
  | { valid: false; why: "malformed" | "wrong_key" | "replayed" };

export function modhexDecode(text: string): Buffer {
  let hex = "";
  for (const letter of text) hex += MODHEX.indexOf(letter).toString(16);
  return Buffer.from(hex, "hex");
}

export function modhexEncode(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += (MODHEX[byte >> 4] ?? "") + (MODHEX[byte & 0x0f] ?? "");
  return text;
}

/** Yubico's CRC-16 (reflected CCITT, initial 0xFFFF, no final complement). */
export function yubikeyCrc(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >> 1) ^ 0x8408 : crc >> 1;
  }
  return crc;
}

/**
 * R-AUTH-2: a YubiKey OTP in Yubico OTP mode. The last 32 modhex characters decrypt (AES-128-ECB,
 * the token's key) to 16 bytes: the private id (6), the usage counter (2, little-endian; bit 15
 * is the caps-lock flag), a timestamp (3), the session counter (1), random (2) and a CRC (2). It is
 * valid when the CRC holds, the private id is the token's (compared in constant time), and the
 * (usage, session) pair is above the last one accepted; equal or below is a replay.
 */
export function verifyYubikeyOtp(facts: YubikeyFacts): YubikeyVerdict {
  const otp = facts.otp.toLowerCase();
  if (!YUBIKEY_OTP.test(otp)) return { valid: false, why: "malformed" };
  const publicId = otp.slice(0, -32);
  const decipher = createDecipheriv("aes-128-ecb", facts.aesKey, null).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(modhexDecode(otp.slice(-32))), decipher.final()]);
  const privateId = plain.subarray(0, 6);
  if (yubikeyCrc(plain) !== CRC_OK_RESIDUE || !timingSafeEqual(privateId, facts.privateId))
    return { valid: false, why: "wrong_key" };
  const counter = plain.readUInt16LE(6) & 0x7fff;
  const use = plain.readUInt8(11);
  const last = facts.last;
  if (last !== null && (counter < last.counter || (counter === last.counter && use <= last.use)))
    return { valid: false, why: "replayed" };
  return { valid: true, counter, use, publicId };
}
