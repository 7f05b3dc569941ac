import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hotp, MAX_TOTP_DRIFT, TOTP_WINDOW, verifyTotp } from "../../src/authn/index.js";
import { totpTokenCode } from "../helpers/factors.js";

/**
 * TOTP (RFC 6238) as authenticator apps and TOTP hardware tokens use it (R-AUTH-2): the published
 * test values, then properties against codes made by the otpauth library (test/helpers/factors.ts).
 */

/** RFC 6238 Appendix B, SHA-1 rows: the ASCII secret "12345678901234567890", 30 s steps, 8 digits. */
const RFC_SECRET = Buffer.from("12345678901234567890", "ascii");
const APPENDIX_B_SHA1: [seconds: number, code: string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

const keyArb = fc.uint8Array({ minLength: 16, maxLength: 32 });
const digitsArb = fc.constantFrom(6, 8) as fc.Arbitrary<6 | 8>;
const stepSecondsArb = fc.constantFrom(30, 60);
/** 2001 to 2096, in milliseconds. */
const nowArb = fc.integer({ min: 1_000_000_000_000, max: 4_000_000_000_000 });
const driftArb = fc.integer({ min: -MAX_TOTP_DRIFT, max: MAX_TOTP_DRIFT });

/** The reference: otpauth's code for the token at time step `step`. */
function reference(key: Uint8Array, step: number, digits: number, stepSeconds: number): string {
  return totpTokenCode(
    Buffer.from(key).toString("hex"),
    step * stepSeconds * 1000,
    digits,
    stepSeconds,
  );
}

/** Whether `step`'s code appears at no other step within `radius` (else the case is ambiguous). */
function unique(key: Uint8Array, digits: number, stepSeconds: number, step: number, radius = 4) {
  const code = reference(key, step, digits, stepSeconds);
  for (let other = step - radius; other <= step + radius; other++)
    if (other !== step && other >= 0 && reference(key, other, digits, stepSeconds) === code)
      return false;
  return true;
}

const stepOf = (now: number, stepSeconds: number) => Math.floor(now / 1000 / stepSeconds);

describe("RFC 6238 Appendix B (SHA-1, 8 digits)", () => {
  it("R-AUTH-2: each published value is accepted at its time, at its step, and otpauth agrees", () => {
    for (const [seconds, code] of APPENDIX_B_SHA1) {
      const step = Math.floor(seconds / 30);
      expect(hotp(RFC_SECRET, step, 8)).toBe(code);
      expect(totpTokenCode(RFC_SECRET.toString("hex"), seconds * 1000, 8, 30)).toBe(code);
      expect(
        verifyTotp({
          key: RFC_SECRET,
          digits: 8,
          stepSeconds: 30,
          lastStep: null,
          drift: 0,
          code,
          now: seconds * 1000,
        }),
      ).toEqual({ valid: true, step, drift: 0 });
    }
  });

  it("R-AUTH-2: a published value is refused two steps later, and as a replay once its step is spent", () => {
    const [seconds, code] = APPENDIX_B_SHA1[3] ?? [0, ""];
    const step = Math.floor(seconds / 30);
    const facts = { key: RFC_SECRET, digits: 8 as const, stepSeconds: 30, drift: 0, code };
    expect(verifyTotp({ ...facts, lastStep: null, now: (seconds + 60) * 1000 })).toEqual({
      valid: false,
      replayed: false,
    });
    expect(verifyTotp({ ...facts, lastStep: step, now: seconds * 1000 })).toEqual({
      valid: false,
      replayed: true,
    });
  });
});

describe("TOTP properties against otpauth", () => {
  it("R-AUTH-2: a code is accepted exactly within TOTP_WINDOW steps of the device's expected step, and only after the last step spent", () => {
    fc.assert(
      fc.property(
        keyArb,
        digitsArb,
        stepSecondsArb,
        nowArb,
        driftArb,
        fc.integer({ min: -3, max: 3 }),
        fc.option(fc.integer({ min: -4, max: 2 })),
        (key, digits, stepSeconds, now, drift, offset, lastOffset) => {
          const current = stepOf(now, stepSeconds);
          const step = current + drift + offset;
          const lastStep = lastOffset === null ? null : current + drift + lastOffset;
          fc.pre(unique(key, digits, stepSeconds, step));
          const verdict = verifyTotp({
            key,
            digits,
            stepSeconds,
            lastStep,
            drift,
            code: reference(key, step, digits, stepSeconds),
            now,
          });
          const inWindow = Math.abs(offset) <= TOTP_WINDOW;
          const spent = lastStep !== null && step <= lastStep;
          if (!inWindow) expect(verdict).toEqual({ valid: false, replayed: false });
          else if (spent) expect(verdict).toEqual({ valid: false, replayed: true });
          else
            expect(verdict).toEqual({
              valid: true,
              step,
              drift: Math.max(-MAX_TOTP_DRIFT, Math.min(MAX_TOTP_DRIFT, step - current)),
            });
        },
      ),
      { numRuns: 400 },
    );
  });

  it("R-AUTH-2: a code is never accepted twice: with the state its acceptance leaves, it and every code of an earlier step are replays", () => {
    fc.assert(
      fc.property(
        keyArb,
        digitsArb,
        stepSecondsArb,
        nowArb,
        driftArb,
        fc.integer({ min: -TOTP_WINDOW, max: TOTP_WINDOW }),
        fc.integer({ min: 0, max: 29_999 }),
        (key, digits, stepSeconds, now, drift, offset, later) => {
          const current = stepOf(now, stepSeconds);
          const step = current + drift + offset;
          fc.pre(unique(key, digits, stepSeconds, step));
          const code = reference(key, step, digits, stepSeconds);
          const first = verifyTotp({ key, digits, stepSeconds, lastStep: null, drift, code, now });
          if (!first.valid) throw new Error("a code in the window was refused");
          const state = { key, digits, stepSeconds, lastStep: first.step, drift: first.drift };
          // Again, at once or a little later: a replay while it is still in the window.
          for (const at of [now, now + later]) {
            const stillInWindow =
              Math.abs(step - (stepOf(at, stepSeconds) + first.drift)) <= TOTP_WINDOW;
            expect(verifyTotp({ ...state, code, now: at })).toEqual({
              valid: false,
              replayed: stillInWindow,
            });
          }
          for (let earlier = step - 2; earlier < step; earlier++) {
            if (!unique(key, digits, stepSeconds, earlier)) continue;
            const old = reference(key, earlier, digits, stepSeconds);
            expect(verifyTotp({ ...state, code: old, now }).valid).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("R-AUTH-2: a token whose clock wanders is followed step by step, and the drift never leaves ±MAX_TOTP_DRIFT", () => {
    fc.assert(
      fc.property(
        keyArb,
        stepSecondsArb,
        nowArb,
        // The token's clock moves at most one step between two uses, mostly one way (so the walk
        // reaches the bound and goes past it), out to two steps past the bound.
        fc
          .tuple(
            fc.constantFrom(1, -1),
            fc.array(fc.constantFrom(1, 1, 1, 0, -1), { minLength: 25, maxLength: 40 }),
          )
          .map(([direction, moves]) => moves.map((move) => move * direction)),
        // Uses are at least two steps apart, so the token's step always moves forward.
        fc.array(fc.integer({ min: 2, max: 50 }), { minLength: 40, maxLength: 40 }),
        (key, stepSeconds, start, moves, gaps) => {
          const bound = MAX_TOTP_DRIFT + TOTP_WINDOW + 1;
          let offset = 0;
          let drift = 0;
          let lastStep: number | null = null;
          let now = start;
          for (const [i, move] of moves.entries()) {
            offset = Math.max(-bound, Math.min(bound, offset + move));
            now += (gaps[i] ?? 2) * stepSeconds * 1000;
            const current = stepOf(now, stepSeconds);
            const step = current + offset;
            fc.pre(unique(key, 8, stepSeconds, step));
            const code = reference(key, step, 8, stepSeconds);
            const verdict = verifyTotp({ key, digits: 8, stepSeconds, lastStep, drift, code, now });
            // The model: accepted iff within the window of where the token was last seen.
            const accepted = Math.abs(offset - drift) <= TOTP_WINDOW;
            expect(verdict.valid).toBe(accepted);
            if (verdict.valid) {
              expect(verdict.drift).toBe(
                Math.max(-MAX_TOTP_DRIFT, Math.min(MAX_TOTP_DRIFT, offset)),
              );
              drift = verdict.drift;
              lastStep = verdict.step;
            }
            expect(Math.abs(drift)).toBeLessThanOrEqual(MAX_TOTP_DRIFT);
            // A token that stayed within the bound is never lost.
            if (Math.abs(offset) <= MAX_TOTP_DRIFT) expect(verdict.valid).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("R-AUTH-2: a token more than MAX_TOTP_DRIFT + TOTP_WINDOW steps off is refused whatever drift it has shown", () => {
    fc.assert(
      fc.property(
        keyArb,
        stepSecondsArb,
        nowArb,
        driftArb,
        fc.integer({ min: MAX_TOTP_DRIFT + TOTP_WINDOW + 1, max: 200 }),
        fc.boolean(),
        (key, stepSeconds, now, drift, distance, ahead) => {
          const step = stepOf(now, stepSeconds) + (ahead ? distance : -distance);
          fc.pre(unique(key, 8, stepSeconds, step, MAX_TOTP_DRIFT + TOTP_WINDOW));
          const code = reference(key, step, 8, stepSeconds);
          expect(
            verifyTotp({ key, digits: 8, stepSeconds, lastStep: null, drift, code, now }).valid,
          ).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});
