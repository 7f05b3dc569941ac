import * as OTPAuth from "otpauth";
import QRCode from "qrcode";

const PERIOD_SECONDS = 30;
const ISSUER = "Gatehouse";

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totp(secret: string, label = ""): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label,
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD_SECONDS,
    secret: OTPAuth.Secret.fromBase32(secret),
  });
}

export interface TotpEnrollment {
  secret: string;
  /** The otpauth:// URI an authenticator app scans, and the same as an SVG QR code. */
  otpauthUri: string;
  qrSvg: string;
}

/** A new secret, and what the admin needs to put it into an authenticator app. */
export async function newTotpEnrollment(email: string): Promise<TotpEnrollment> {
  const secret = newTotpSecret();
  const otpauthUri = totp(secret, email).toString();
  const qrSvg = await QRCode.toString(otpauthUri, {
    type: "svg",
    errorCorrectionLevel: "M",
    margin: 2,
  });
  return { secret, otpauthUri, qrSvg };
}

/**
 * Checks a code, allowing one step of clock drift either way. Returns the time step it matched, or
 * null. A step at or before `lastStep` is refused: each code works once.
 */
export function verifyTotp(
  secret: string,
  code: string,
  lastStep: number | null,
  now = Date.now(),
): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

/** The current code for a secret (tests and the CLI's demo helpers). */
export function totpCode(secret: string, now = Date.now()): string {
  return totp(secret).generate({ timestamp: now });
}
