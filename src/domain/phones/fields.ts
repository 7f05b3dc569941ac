import {
  PHONE_PLATFORMS,
  PHONE_TYPES,
  type PhonePlatform,
  type PhoneType,
} from "../../db/schema.js";
import { parsePhone } from "../admins/fields.js";
import type { UseCaseContext } from "../context.js";
import { Conflict, Invalid } from "../errors.js";

export { PHONE_PLATFORMS, PHONE_TYPES, type PhonePlatform, type PhoneType };

/** What a phone's owner may set (research/duo-api.md §4.3), in the domain's spellings. */
export interface PhoneFields {
  number?: string;
  extension?: string;
  name?: string;
  type?: PhoneType;
  platform?: PhonePlatform;
  /** Seconds; null clears. */
  predelay?: number | null;
  postdelay?: number | null;
}

/** The fields as stored: every one present, each checked (the table's constraints, said in words). */
export type PhoneRecord = Required<PhoneFields>;

export const MAX_DELAY_SECONDS = 60;
const EXTENSION = /^[0-9#*]{0,15}$/;

function delay(field: string, value: number | null): number | null {
  if (value !== null && (!Number.isInteger(value) || value < 0 || value > MAX_DELAY_SECONDS))
    throw new Invalid(field, `must be a whole number of seconds from 0 to ${MAX_DELAY_SECONDS}`);
  return value;
}

function oneOf<T extends string>(field: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) throw new Invalid(field, `must be one of ${allowed.join(", ")}`);
  return value;
}

/** `change` over `current` (a new phone: the defaults), every field checked. */
export function parsePhoneFields(current: PhoneRecord, change: PhoneFields): PhoneRecord {
  // E.164 like an admin's phone; "" for a device without a number (a tablet).
  const number =
    change.number === undefined ? current.number : (parsePhone("number", change.number) ?? "");
  const extension = change.extension === undefined ? current.extension : change.extension.trim();
  if (!EXTENSION.test(extension))
    throw new Invalid("extension", "must be up to 15 digits (and # or *)");
  if (extension !== "" && number === "")
    throw new Invalid("extension", "needs a number to dial it from");
  const name = change.name === undefined ? current.name : change.name.trim();
  if (name.length > 100) throw new Invalid("name", "must be at most 100 characters");
  return {
    number,
    extension,
    name,
    type: oneOf("type", change.type ?? current.type, PHONE_TYPES),
    platform: oneOf("platform", change.platform ?? current.platform, PHONE_PLATFORMS),
    predelay: delay("predelay", change.predelay === undefined ? current.predelay : change.predelay),
    postdelay: delay(
      "postdelay",
      change.postdelay === undefined ? current.postdelay : change.postdelay,
    ),
  };
}

export const NEW_PHONE: PhoneRecord = Object.freeze({
  number: "",
  extension: "",
  name: "",
  type: "Unknown",
  platform: "Unknown",
  predelay: null,
  postdelay: null,
});

/** research/duo-api.md §4.3: a number and extension name one phone of the account at most. */
export async function assertNumberFree(
  ctx: UseCaseContext,
  phone: Pick<PhoneRecord, "number" | "extension">,
  exceptId?: string,
): Promise<void> {
  if (phone.number === "") return;
  let query = ctx.tx
    .selectFrom("phones")
    .select("id")
    .where("account_id", "=", ctx.accountId)
    .where("number", "=", phone.number)
    .where("extension", "=", phone.extension);
  if (exceptId !== undefined) query = query.where("id", "<>", exceptId);
  if (await query.executeTakeFirst()) {
    const extension = phone.extension === "" ? "" : ` extension ${phone.extension}`;
    throw new Conflict(
      `a phone with number ${phone.number}${extension} already exists`,
      undefined,
      "number",
    );
  }
}

export type PhoneCapability = "sms" | "mobile_otp";

/**
 * Duo's `capabilities`, as far as Gatehouse serves them (R-AUTH-2): a number that is not a
 * landline can take SMS passcodes, an activated authenticator app makes passcodes. Never `push`,
 * `phone` or `auto`: those need a push or voice service, which Gatehouse does not run.
 */
export function phoneCapabilities(phone: {
  number: string;
  type: PhoneType;
  activated: boolean;
}): PhoneCapability[] {
  return [
    ...(phone.number !== "" && phone.type !== "Landline" ? (["sms"] as const) : []),
    ...(phone.activated ? (["mobile_otp"] as const) : []),
  ];
}
