import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * RFC 4226's HOTP value of `key` at `counter`, as `digits` decimal digits. Written out rather than
 * taken from a library so that the verifiers below decide on bytes they can see: an HMAC-SHA1, the
 * dynamic truncation, the modulus.
 */
export function hotp(key: Uint8Array, counter: number, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** Whether two codes are equal, in time that does not depend on where they differ. */
export function sameCode(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Looks for `code` among the values at `counters`, checking every one of them (no early exit), so
 * the time taken says nothing about which matched. Returns the matching counter, or null.
 */
export function findCounter(
  key: Uint8Array,
  code: string,
  digits: number,
  counters: readonly number[],
): number | null {
  let found: number | null = null;
  for (const counter of counters)
    if (sameCode(code, hotp(key, counter, digits)) && found === null) found = counter;
  return found;
}
