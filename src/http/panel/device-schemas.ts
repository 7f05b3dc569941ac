import { Type } from "typebox";
import { MAX_DELAY_SECONDS, PHONE_PLATFORMS, PHONE_TYPES } from "../../domain/phones/fields.js";
import { CREATABLE_TOKEN_TYPES, TOKEN_TYPES, TOTP_STEPS } from "../../domain/tokens/fields.js";
import { IdOf } from "./schemas.js";

/** Shapes the panel's phone and hardware token routes share. */

const literals = <T extends string | number>(values: readonly T[]) =>
  Type.Union(values.map((value) => Type.Literal(value)));

export const UserParams = Type.Object({ userId: IdOf("DU") });
export const PhoneParams = Type.Object({ phoneId: IdOf("DP") });
export const TokenParams = Type.Object({ tokenId: IdOf("DH") });
export const UserPhoneParams = Type.Object({ userId: IdOf("DU"), phoneId: IdOf("DP") });
export const UserTokenParams = Type.Object({ userId: IdOf("DU"), tokenId: IdOf("DH") });

/** A device's user (R-ROLE-3: email and notes only for admins who see details). */
const DeviceUser = Type.Object({
  id: Type.String(),
  username: Type.String(),
  aliases: Type.Array(Type.String()),
  real_name: Type.String(),
  email: Type.Optional(Type.String()),
  notes: Type.Optional(Type.String()),
  status: Type.String(),
  created_at: Type.String(),
  last_login_at: Type.Union([Type.String(), Type.Null()]),
});

const Delay = Type.Union([Type.Integer({ minimum: 0, maximum: MAX_DELAY_SECONDS }), Type.Null()]);

/** What an admin sets on a phone; the domain checks the number is E.164. */
export const PhoneInput = {
  number: Type.Optional(Type.String({ maxLength: 32 })),
  extension: Type.Optional(Type.String({ maxLength: 15 })),
  name: Type.Optional(Type.String({ maxLength: 100 })),
  type: Type.Optional(literals(PHONE_TYPES)),
  platform: Type.Optional(literals(PHONE_PLATFORMS)),
  predelay: Type.Optional(Delay),
  postdelay: Type.Optional(Delay),
};

export const Phone = Type.Object({
  id: Type.String(),
  number: Type.String(),
  extension: Type.String(),
  name: Type.String(),
  type: Type.String(),
  platform: Type.String(),
  model: Type.String(),
  predelay: Type.Union([Type.Integer(), Type.Null()]),
  postdelay: Type.Union([Type.Integer(), Type.Null()]),
  activated: Type.Boolean(),
  sms_passcodes_sent: Type.Boolean(),
  capabilities: Type.Array(Type.String()),
  last_seen_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  users: Type.Array(DeviceUser),
});

const Hex = (maxLength: number) => Type.String({ maxLength });

/** research/duo-api.md §4.4's creation fields; which go with which type is the domain's check. */
export const TokenInput = {
  type: literals(CREATABLE_TOKEN_TYPES),
  serial: Type.String({ minLength: 1, maxLength: 128 }),
  secret: Type.Optional(Hex(128)),
  counter: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
  totp_step: Type.Optional(literals(TOTP_STEPS)),
  private_id: Type.Optional(Hex(12)),
  aes_key: Type.Optional(Hex(32)),
};

export const Token = Type.Object({
  id: Type.String(),
  type: Type.String(),
  serial: Type.String(),
  totp_step: Type.Union([Type.Integer(), Type.Null()]),
  created_at: Type.String(),
  users: Type.Array(DeviceUser),
});

export const TokenType = literals(TOKEN_TYPES);
