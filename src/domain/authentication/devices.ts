import type { Method } from "../../authn/policy-sections.js";
import { phoneName, tokenDeviceName } from "./passcodes.js";
import { type AuthSettings, type SubjectPhone, type SubjectUser, takesSms } from "./subject.js";

/** A device as preauth lists it (research/duo-api.md §7). */
export interface PreauthDevice {
  device: string;
  type: "phone" | "token";
  number?: string;
  name: string;
  display_name: string;
  /** What Gatehouse can verify with it: never push or phone calls, which need a service it does not run. */
  capabilities: ("mobile_otp" | "sms")[];
}

/** A number as preauth shows it: only its last four digits (Duo's XXX-XXX-1234). */
export function maskedNumber(number: string): string {
  return number === "" ? "" : `XXX-XXX-${number.slice(-4)}`;
}

function capabilitiesOf(
  phone: SubjectPhone,
  settings: AuthSettings,
  methods: readonly Method[],
): PreauthDevice["capabilities"] {
  return [
    ...(phone.totp_secret_enc !== null && methods.includes("duo-passcode")
      ? (["mobile_otp"] as const)
      : []),
    ...(takesSms(phone, settings) && methods.includes("sms") ? (["sms"] as const) : []),
  ];
}

/**
 * The user's devices that can prove a factor by a method the policy allows (R-POL-2), phones then
 * tokens, as preauth answers them.
 */
export function preauthDevices(
  user: SubjectUser,
  settings: AuthSettings,
  methods: readonly Method[],
): PreauthDevice[] {
  const phones = user.phones
    .map((phone) => ({ phone, capabilities: capabilitiesOf(phone, settings, methods) }))
    .filter(({ capabilities }) => capabilities.length > 0)
    .map(({ phone, capabilities }): PreauthDevice => {
      const masked = maskedNumber(phone.number);
      return {
        device: phone.id,
        type: "phone",
        number: masked,
        name: phone.name,
        display_name: phoneName({ ...phone, number: masked }),
        capabilities,
      };
    });
  const tokens = user.tokens
    .filter((token) => token.secret_enc !== null && methods.includes("hardware-token"))
    .map(
      (token): PreauthDevice => ({
        device: token.id,
        type: "token",
        name: token.serial,
        display_name: tokenDeviceName(token),
        capabilities: [],
      }),
    );
  return [...phones, ...tokens];
}

/** The phones that take SMS passcodes, in the order the prompt numbers them (sms1, sms2, ...). */
export function smsPhones(user: SubjectUser, settings: AuthSettings): SubjectPhone[] {
  return user.phones.filter((phone) => takesSms(phone, settings));
}
