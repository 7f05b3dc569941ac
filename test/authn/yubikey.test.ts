import { createCipheriv, createDecipheriv } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { modhexDecode, modhexEncode, verifyYubikeyOtp, yubikeyCrc } from "../../src/authn/index.js";
import { yubikeyOtp } from "../helpers/factors.js";

/**
 * YubiKey OTPs in Yubico OTP mode (R-AUTH-2; research/auth-protocols.md §4): Yubico's published
 * test vector, then properties against OTPs made by a reference generator that encrypts a token
 * the way the key does (test/helpers/factors.ts yubikeyOtp), never by the code under test.
 */

/** research/auth-protocols.md §4.2, from Yubico's test-vectors.txt. */
const VECTOR = {
  aesKey: "ecde18dbe76fbd0c33330f1c354871db",
  privateId: "8792ebfe26cc",
  otp: "dteffujehknhfjbrjnlnldnhcujvddbikngjrtgh",
  publicId: "dteffuje",
  publicIdHex: "2d344e83",
  ciphertext: "69b6481c8baba2b60e8f22179b58cd56",
  plaintext: "8792ebfe26cc130030c20011c89f23c8",
  counter: 0x13,
  use: 0x11,
};

const MODHEX = "cbdefghijklnrtuv";
const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("hex"));
const tokenArb = fc.record({
  aesKey: hex(16),
  privateId: hex(6),
  // 0 to 16 modhex characters, as Yubico allows (12 on keys as shipped).
  publicId: fc
    .array(fc.constantFrom(...MODHEX), { maxLength: 16 })
    .map((letters) => letters.join("")),
});
const counterArb = fc.integer({ min: 0, max: 0x7fff });
const useArb = fc.integer({ min: 0, max: 0xff });
/**
 * The last pair accepted, against the OTP's (counter, use): none, anywhere, or next to it (equal,
 * or one apart in either field), where a wrong comparison shows.
 */
const lastNear = (counter: number, use: number) =>
  fc.oneof(
    fc.constant(null),
    fc.record({ counter: counterArb, use: useArb }),
    fc.tuple(fc.integer({ min: -1, max: 1 }), fc.integer({ min: -1, max: 1 })).map(([dc, du]) => ({
      counter: Math.min(0x7fff, Math.max(0, counter + dc)),
      use: Math.min(0xff, Math.max(0, use + du)),
    })),
  );
const pairAndLast = fc
  .tuple(counterArb, useArb)
  .chain(([counter, use]) => lastNear(counter, use).map((last) => ({ counter, use, last })));

/** The reference for replay: (counter, use) strictly above the last pair accepted. */
function above(pair: { counter: number; use: number }, last: { counter: number; use: number }) {
  return pair.counter > last.counter || (pair.counter === last.counter && pair.use > last.use);
}

/**
 * The reference generator's OTP (the Yubico layout, little-endian fields), but with `error` XORed
 * into its CRC: everything else about it is right, the private id included.
 */
function otpWithCrcError(
  token: { aesKey: string; privateId: string; publicId: string },
  counter: number,
  use: number,
  error: number,
): string {
  const plain = Buffer.alloc(16);
  Buffer.from(token.privateId, "hex").copy(plain, 0);
  plain.writeUInt16LE(counter, 6);
  plain.writeUInt8(use, 11);
  let crc = 0xffff;
  for (const byte of plain.subarray(0, 14)) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  plain.writeUInt16LE((~crc & 0xffff) ^ error, 14);
  const cipher = createCipheriv("aes-128-ecb", Buffer.from(token.aesKey, "hex"), null);
  cipher.setAutoPadding(false);
  return token.publicId + modhexEncode(Buffer.concat([cipher.update(plain), cipher.final()]));
}

function verify(
  token: { aesKey: string; privateId: string },
  otp: string,
  last: { counter: number; use: number } | null = null,
) {
  return verifyYubikeyOtp({
    aesKey: Buffer.from(token.aesKey, "hex"),
    privateId: Buffer.from(token.privateId, "hex"),
    last,
    otp,
  });
}

describe("Yubico's test vector", () => {
  it("R-AUTH-2: the OTP decodes, decrypts and checks as Yubico publishes it", () => {
    expect(modhexDecode(VECTOR.publicId).toString("hex")).toBe(VECTOR.publicIdHex);
    const ciphertext = modhexDecode(VECTOR.otp.slice(-32));
    expect(ciphertext.toString("hex")).toBe(VECTOR.ciphertext);
    expect(modhexEncode(ciphertext)).toBe(VECTOR.otp.slice(-32));
    const decipher = createDecipheriv("aes-128-ecb", Buffer.from(VECTOR.aesKey, "hex"), null);
    decipher.setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    expect(plain.toString("hex")).toBe(VECTOR.plaintext);
    expect(yubikeyCrc(plain)).toBe(0xf0b8);
  });

  it("R-AUTH-2: verifyYubikeyOtp accepts it once, with counter 0x13 and use 0x11; then it is a replay", () => {
    expect(verify(VECTOR, VECTOR.otp)).toEqual({
      valid: true,
      counter: VECTOR.counter,
      use: VECTOR.use,
      publicId: VECTOR.publicId,
    });
    expect(verify(VECTOR, VECTOR.otp, { counter: 0x13, use: 0x11 })).toEqual({
      valid: false,
      why: "replayed",
    });
    expect(verify(VECTOR, VECTOR.otp, { counter: 0x13, use: 0x10 }).valid).toBe(true);
    expect(verify(VECTOR, VECTOR.otp, { counter: 0x12, use: 0xff }).valid).toBe(true);
    expect(verify(VECTOR, VECTOR.otp, { counter: 0x14, use: 0x00 }).valid).toBe(false);
    // The same OTP typed with caps lock on (upper case) is the same OTP.
    expect(verify(VECTOR, VECTOR.otp.toUpperCase()).valid).toBe(true);
  });

  it("R-AUTH-2: the vector is refused with another private id or another AES key", () => {
    expect(verify({ ...VECTOR, privateId: "8792ebfe26cd" }, VECTOR.otp)).toEqual({
      valid: false,
      why: "wrong_key",
    });
    expect(verify({ ...VECTOR, aesKey: `${VECTOR.aesKey.slice(0, -1)}c` }, VECTOR.otp)).toEqual({
      valid: false,
      why: "wrong_key",
    });
  });

  it("R-AUTH-2: text that is not a Yubico OTP is malformed: too short, too long, not modhex", () => {
    for (const otp of [
      VECTOR.otp.slice(-31),
      `${"c".repeat(17)}${VECTOR.otp.slice(-32)}`,
      `${VECTOR.otp.slice(0, -1)}a`,
      `${VECTOR.otp.slice(0, -1)}0`,
      `${VECTOR.otp} `,
      "",
    ])
      expect(verify(VECTOR, otp)).toEqual({ valid: false, why: "malformed" });
  });
});

describe("YubiKey properties against a reference generator", () => {
  it("R-AUTH-2: an OTP of the token's key and private id is accepted iff its (counter, use) is strictly above the last pair accepted", () => {
    fc.assert(
      fc.property(tokenArb, pairAndLast, (token, { counter, use, last }) => {
        const otp = yubikeyOtp({ ...token, counter, use });
        const verdict = verify(token, otp, last);
        if (last === null || above({ counter, use }, last))
          expect(verdict).toEqual({ valid: true, counter, use, publicId: token.publicId });
        else expect(verdict).toEqual({ valid: false, why: "replayed" });
      }),
      { numRuns: 500 },
    );
  });

  it("R-AUTH-2: the caps-lock flag (bit 15 of the counter) is not part of the counter", () => {
    fc.assert(
      fc.property(tokenArb, pairAndLast, (token, { counter, use, last }) => {
        const otp = yubikeyOtp({ ...token, counter: counter | 0x8000, use });
        const verdict = verify(token, otp, last);
        expect(verdict.valid).toBe(last === null || above({ counter, use }, last));
        if (verdict.valid) expect(verdict.counter).toBe(counter);
      }),
      { numRuns: 300 },
    );
  });

  it("R-AUTH-2: a sequence of OTPs is accepted in the order the key makes them, each once, and never out of order", () => {
    fc.assert(
      fc.property(
        tokenArb,
        fc.array(fc.record({ counter: counterArb, use: useArb }), { minLength: 2, maxLength: 20 }),
        (token, pairs) => {
          let last: { counter: number; use: number } | null = null;
          for (const pair of pairs) {
            const otp = yubikeyOtp({ ...token, ...pair });
            const verdict = verify(token, otp, last);
            expect(verdict.valid).toBe(last === null || above(pair, last));
            if (verdict.valid) {
              last = { counter: verdict.counter, use: verdict.use };
              expect(verify(token, otp, last).valid).toBe(false);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("R-AUTH-2: an OTP is refused by a token with another AES key or another private id", () => {
    fc.assert(
      fc.property(tokenArb, hex(16), hex(6), counterArb, useArb, (token, key, id, counter, use) => {
        const otp = yubikeyOtp({ ...token, counter, use });
        if (key !== token.aesKey)
          expect(verify({ ...token, aesKey: key }, otp)).toEqual({
            valid: false,
            why: "wrong_key",
          });
        if (id !== token.privateId)
          expect(verify({ ...token, privateId: id }, otp)).toEqual({
            valid: false,
            why: "wrong_key",
          });
      }),
      { numRuns: 300 },
    );
  });

  it("R-AUTH-2: an OTP whose plaintext has the token's private id but a CRC that does not check is refused", () => {
    fc.assert(
      fc.property(
        tokenArb,
        counterArb,
        useArb,
        fc.integer({ min: 1, max: 0xffff }),
        (token, counter, use, error) => {
          const otp = otpWithCrcError(token, counter, use, error);
          expect(verify(token, otp)).toEqual({ valid: false, why: "wrong_key" });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("R-AUTH-2: any single bit flipped in the OTP's 16 encrypted bytes, or in the letters that carry them, is refused", () => {
    fc.assert(
      fc.property(tokenArb, counterArb, useArb, (token, counter, use) => {
        const otp = yubikeyOtp({ ...token, counter, use });
        const prefix = otp.slice(0, -32);
        const ciphertext = modhexDecode(otp.slice(-32));
        expect(verify(token, otp).valid).toBe(true);
        // Every one of the 128 bits of the ciphertext.
        for (let bit = 0; bit < 128; bit++) {
          const flipped = Buffer.from(ciphertext);
          flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
          const verdict = verify(token, prefix + modhexEncode(flipped));
          expect(verdict, `bit ${bit}`).toEqual({ valid: false, why: "wrong_key" });
        }
        // Every bit of every letter as typed, but the one that only changes its case (0x20): the
        // letter becomes another modhex letter (another ciphertext) or none (malformed).
        for (let i = prefix.length; i < otp.length; i++)
          for (const bit of [0x01, 0x02, 0x04, 0x08, 0x10, 0x40]) {
            const letter = String.fromCharCode(otp.charCodeAt(i) ^ bit);
            const typed = otp.slice(0, i) + letter + otp.slice(i + 1);
            expect(verify(token, typed).valid, `letter ${i}, bit ${bit}`).toBe(false);
          }
      }),
      { numRuns: 100 },
    );
  });
});
