import { findCounter } from "./otp.js";

/** How many presses past the expected counter a code is still accepted (Duo's look-ahead). */
export const HOTP_LOOK_AHEAD = 10;

export interface HotpFacts {
  key: Uint8Array;
  digits: 6 | 8;
  /** The counter the next code is expected at. */
  counter: number;
  code: string;
}

export type HotpVerdict = { valid: true; nextCounter: number } | { valid: false };

/**
 * R-AUTH-2: an HOTP token's code (RFC 4226) is valid at the expected counter or up to
 * HOTP_LOOK_AHEAD presses past it (codes generated and never used); the counter then moves past
 * the code, so that code and every earlier one are spent.
 */
export function verifyHotp(facts: HotpFacts): HotpVerdict {
  if (!new RegExp(`^[0-9]{${facts.digits}}$`).test(facts.code)) return { valid: false };
  const counters = Array.from({ length: HOTP_LOOK_AHEAD + 1 }, (_, i) => facts.counter + i);
  const found = findCounter(facts.key, facts.code, facts.digits, counters);
  return found === null ? { valid: false } : { valid: true, nextCounter: found + 1 };
}
