import { findCounter } from "./otp.js";

/** Steps of clock difference accepted either side of where the device's clock is expected to be. */
export const TOTP_WINDOW = 1;
/** How far a hardware token's clock may be followed as it drifts, in steps. */
export const MAX_TOTP_DRIFT = 10;

export interface TotpFacts {
  key: Uint8Array;
  digits: 6 | 8;
  stepSeconds: number;
  /** The last step a code was accepted at (each code works once), or null. */
  lastStep: number | null;
  /** The drift the device has shown, in steps (0 for an authenticator app on a synced phone). */
  drift: number;
  code: string;
  now: number;
}

export type TotpVerdict =
  | { valid: true; step: number; drift: number }
  | { valid: false; replayed: boolean };

/**
 * R-AUTH-2: a TOTP code (RFC 6238) is valid within TOTP_WINDOW steps of the device's expected
 * step (now, moved by the drift it has shown), and only once: a step at or before the last one
 * accepted is a replay. The drift is then what this code showed, within MAX_TOTP_DRIFT, so a
 * hardware token whose clock wanders is followed rather than lost.
 */
export function verifyTotp(facts: TotpFacts): TotpVerdict {
  if (!new RegExp(`^[0-9]{${facts.digits}}$`).test(facts.code))
    return { valid: false, replayed: false };
  const current = Math.floor(facts.now / 1000 / facts.stepSeconds);
  const expected = current + facts.drift;
  const steps = Array.from(
    { length: 2 * TOTP_WINDOW + 1 },
    (_, i) => expected - TOTP_WINDOW + i,
  ).filter((step) => step >= 0);
  const step = findCounter(facts.key, facts.code, facts.digits, steps);
  if (step === null) return { valid: false, replayed: false };
  if (facts.lastStep !== null && step <= facts.lastStep) return { valid: false, replayed: true };
  const drift = Math.max(-MAX_TOTP_DRIFT, Math.min(MAX_TOTP_DRIFT, step - current));
  return { valid: true, step, drift };
}
