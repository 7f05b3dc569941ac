import type { PhonePlatform, PhoneType } from "../../../src/db/schema.js";

/** The shapes of src/http/panel/phones.ts and tokens.ts (device-schemas.ts) the user page reads. */

export interface DeviceUser {
  id: string;
  username: string;
}

export interface Phone {
  id: string;
  number: string;
  extension: string;
  name: string;
  type: PhoneType;
  platform: PhonePlatform;
  /** An authenticator app is set up on it (its activation link was used). */
  activated: boolean;
  users: DeviceUser[];
}

/** What an admin sets on a phone (PhoneInput). */
export type PhoneFields = Pick<Phone, "number" | "extension" | "name" | "type" | "platform">;

export type CreatableTokenType = "h6" | "h8" | "t6" | "t8" | "yk";

export interface Token {
  id: string;
  type: CreatableTokenType | "d1";
  serial: string;
  totp_step: number | null;
  users: DeviceUser[];
}

export const phonesKey = (userId: string) => ["users", "phones", userId] as const;
export const tokensKey = (userId: string) => ["users", "tokens", userId] as const;
/** Every token the admin may see, for "Attach a token" (a restricted admin's are their users'). */
export const ALL_TOKENS_KEY = ["tokens", "all"] as const;

/** Every value of the server's lists, in its order: the Record makes a missing one a type error. */
const PHONE_TYPE_LABELS: Record<PhoneType, string> = {
  Mobile: "Mobile",
  Landline: "Landline",
  Unknown: "Unknown",
};
const PLATFORM_LABELS: Record<PhonePlatform, string> = {
  Unknown: "Unknown",
  "Google Android": "Android",
  "Apple iOS": "iOS",
  "Windows Phone": "Windows Phone",
  "RIM BlackBerry": "BlackBerry",
  "Java J2ME": "Java J2ME",
  "Palm WebOS": "Palm webOS",
  "Symbian OS": "Symbian",
  "Windows Mobile": "Windows Mobile",
  "Generic Smartphone": "Other smartphone",
};

export const PHONE_TYPE_CHOICES = Object.entries(PHONE_TYPE_LABELS).map(([value, label]) => ({
  value,
  label,
}));
export const PLATFORM_CHOICES = Object.entries(PLATFORM_LABELS).map(([value, label]) => ({
  value,
  label,
}));

export const TOKEN_TYPE_LABELS: Record<Token["type"], string> = {
  h6: "HOTP, 6 digits",
  h8: "HOTP, 8 digits",
  t6: "TOTP, 6 digits",
  t8: "TOTP, 8 digits",
  yk: "YubiKey (AES)",
  d1: "Duo D-100",
};

export const isHotp = (type: Token["type"]) => type === "h6" || type === "h8";
export const isTotp = (type: Token["type"]) => type === "t6" || type === "t8";
export const digitsOf = (type: Token["type"]) => (type === "h8" || type === "t8" ? 8 : 6);

/** A phone's name in the page's words: its number (and extension), else its name. */
export function phoneLabel(phone: Pick<Phone, "number" | "extension" | "name">): string {
  if (phone.number)
    return phone.extension ? `${phone.number} ext. ${phone.extension}` : phone.number;
  return phone.name || "Phone without a number";
}

export const tokenLabel = (token: Pick<Token, "type" | "serial">) =>
  `${TOKEN_TYPE_LABELS[token.type]}, serial ${token.serial}`;
