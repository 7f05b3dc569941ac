import { Type } from "typebox";
import type { TotpEnrollment } from "../../domain/auth/totp.js";

/** What the activation and Edit Profile pages show to enroll an authenticator. */
export const EnrollmentBody = Type.Object({
  otpauth_uri: Type.String(),
  qr_svg: Type.String(),
  secret: Type.String(),
});

export function enrollmentBody(enrollment: TotpEnrollment) {
  return {
    otpauth_uri: enrollment.otpauthUri,
    qr_svg: enrollment.qrSvg,
    secret: enrollment.secret,
  };
}
