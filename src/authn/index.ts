/**
 * Authentication's decisions, pure like the authorization engine (DESIGN): whether a user may try
 * at all (status, lockout, enrollment) and whether a second factor is valid: the stored secret and
 * counters, the code and the time in; a verdict and the new counters out. No I/O: the domain
 * loads the facts and stores what a verdict changes, with the log entry, in one transaction.
 */

export {
  type Access,
  type AccessReason,
  afterFailure,
  assessAccess,
  isLockedOut,
  type NewUserPolicy,
  type UserStanding,
} from "./access.js";
export { HOTP_LOOK_AHEAD, type HotpVerdict, verifyHotp } from "./hotp.js";
export { hotp, sameCode } from "./otp.js";
export { MAX_TOTP_DRIFT, TOTP_WINDOW, type TotpVerdict, verifyTotp } from "./totp.js";
export {
  type AuthenticationVerdict,
  authenticationOptions,
  type CredentialDeviceType,
  checkAuthentication,
  checkRegistration,
  credentialIdOf,
  type NewCredential,
  type RegistrationVerdict,
  registrationOptions,
  type StoredCredential,
  type UserVerification,
  WEBAUTHN_CEREMONY_MS,
  type WebAuthnRefusal,
} from "./webauthn.js";
export {
  modhexDecode,
  modhexEncode,
  verifyYubikeyOtp,
  YUBIKEY_OTP,
  type YubikeyVerdict,
  yubikeyCrc,
} from "./yubikey.js";
