import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOTP_LOOK_AHEAD, hotp, verifyHotp } from "../../src/authn/index.js";
import { hotpCode } from "../helpers/factors.js";

/**
 * HOTP (RFC 4226) as a hardware token uses it (R-AUTH-2): the published test values, then
 * properties against codes made by the otpauth library (test/helpers/factors.ts), never by the
 * code under test.
 */

/** RFC 4226 Appendix D: the ASCII secret "12345678901234567890" and its first ten values. */
const RFC_SECRET = Buffer.from("12345678901234567890", "ascii");
const APPENDIX_D = [
  "755224",
  "287082",
  "359152",
  "969429",
  "338314",
  "254676",
  "287922",
  "162583",
  "399871",
  "520489",
];

const keyArb = fc.uint8Array({ minLength: 16, maxLength: 32 });
const digitsArb = fc.constantFrom(6, 8) as fc.Arbitrary<6 | 8>;
const counterArb = fc.integer({ min: 0, max: 2 ** 31 - 100 });

/** The reference: otpauth's value of the token at `counter`. */
function reference(key: Uint8Array, counter: number, digits: number): string {
  return hotpCode(Buffer.from(key).toString("hex"), counter, digits);
}

/** Whether `counter`'s code appears at no other counter of `from..to` (else the case is ambiguous). */
function unique(key: Uint8Array, digits: number, counter: number, from: number, to: number) {
  const code = reference(key, counter, digits);
  for (let other = Math.max(0, from); other <= to; other++)
    if (other !== counter && reference(key, other, digits) === code) return false;
  return true;
}

describe("RFC 4226 Appendix D", () => {
  it("R-AUTH-2: hotp() gives the ten published values (and otpauth agrees)", () => {
    APPENDIX_D.forEach((value, counter) => {
      expect(hotp(RFC_SECRET, counter, 6)).toBe(value);
      expect(reference(RFC_SECRET, counter, 6)).toBe(value);
    });
  });

  it("R-AUTH-2: verifyHotp accepts each published value at its counter and moves the counter just past it", () => {
    APPENDIX_D.forEach((code, counter) => {
      expect(verifyHotp({ key: RFC_SECRET, digits: 6, counter, code })).toEqual({
        valid: true,
        nextCounter: counter + 1,
      });
    });
    // From counter 0, the tenth value (counter 9) is within the look-ahead; from 0 it moves to 10.
    expect(verifyHotp({ key: RFC_SECRET, digits: 6, counter: 0, code: "520489" })).toEqual({
      valid: true,
      nextCounter: 10,
    });
  });

  it("R-AUTH-2: a published value is refused once the counter has passed it, and so is anything not exactly six digits", () => {
    expect(verifyHotp({ key: RFC_SECRET, digits: 6, counter: 3, code: "359152" })).toEqual({
      valid: false,
    });
    for (const code of ["75522", "7552240", " 755224", "755224 ", "７５５２２４", "75522a", ""])
      expect(verifyHotp({ key: RFC_SECRET, digits: 6, counter: 0, code })).toEqual({
        valid: false,
      });
  });
});

describe("HOTP properties against otpauth", () => {
  it("R-AUTH-2: a code is accepted exactly from the expected counter to HOTP_LOOK_AHEAD presses past it", () => {
    fc.assert(
      fc.property(
        keyArb,
        digitsArb,
        counterArb,
        fc.integer({ min: -5, max: HOTP_LOOK_AHEAD + 5 }),
        (key, digits, counter, offset) => {
          const at = counter + offset;
          fc.pre(at >= 0);
          fc.pre(unique(key, digits, at, counter - 5, counter + HOTP_LOOK_AHEAD + 5));
          const verdict = verifyHotp({ key, digits, counter, code: reference(key, at, digits) });
          const inWindow = offset >= 0 && offset <= HOTP_LOOK_AHEAD;
          expect(verdict).toEqual(
            inWindow ? { valid: true, nextCounter: at + 1 } : { valid: false },
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("R-AUTH-2: the counter always moves past the accepted code, so neither it nor any earlier code works again", () => {
    fc.assert(
      fc.property(
        keyArb,
        digitsArb,
        counterArb,
        fc.integer({ min: 0, max: HOTP_LOOK_AHEAD }),
        (key, digits, counter, offset) => {
          const at = counter + offset;
          fc.pre(unique(key, digits, at, counter - 1, at + HOTP_LOOK_AHEAD + 1));
          const code = reference(key, at, digits);
          const first = verifyHotp({ key, digits, counter, code });
          if (!first.valid) throw new Error("a code in the look-ahead was refused");
          expect(first.nextCounter).toBeGreaterThan(at);
          expect(verifyHotp({ key, digits, counter: first.nextCounter, code })).toEqual({
            valid: false,
          });
          for (let earlier = counter; earlier <= at; earlier++) {
            const old = reference(key, earlier, digits);
            if (!unique(key, digits, earlier, earlier, first.nextCounter + HOTP_LOOK_AHEAD))
              continue;
            expect(verifyHotp({ key, digits, counter: first.nextCounter, code: old })).toEqual({
              valid: false,
            });
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("R-AUTH-2: a token pressed in any pattern, with up to HOTP_LOOK_AHEAD unused presses between uses, is followed and each code works once", () => {
    fc.assert(
      fc.property(
        keyArb,
        counterArb,
        fc.array(fc.integer({ min: 0, max: HOTP_LOOK_AHEAD }), { minLength: 1, maxLength: 15 }),
        (key, start, skips) => {
          let expected = start;
          let pressed = start;
          for (const skip of skips) {
            pressed += skip;
            // Eight digits: a coincidence inside the look-ahead is then one in ten million.
            const code = reference(key, pressed, 8);
            const verdict = verifyHotp({ key, digits: 8, counter: expected, code });
            expect(verdict).toEqual({ valid: true, nextCounter: pressed + 1 });
            expect(verifyHotp({ key, digits: 8, counter: pressed + 1, code }).valid).toBe(false);
            expected = pressed + 1;
            pressed += 1;
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("R-AUTH-2: a string that is not exactly `digits` ASCII digits is never accepted, whatever it holds", () => {
    fc.assert(
      fc.property(
        keyArb,
        digitsArb,
        counterArb,
        fc.string({ maxLength: 12 }),
        (key, d, c, code) => {
          fc.pre(!new RegExp(`^[0-9]{${d}}$`).test(code));
          expect(verifyHotp({ key, digits: d, counter: c, code })).toEqual({ valid: false });
        },
      ),
      { numRuns: 300 },
    );
  });
});
