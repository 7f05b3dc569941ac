import type { PhoneSummary } from "../../domain/phones/summary.js";
import type { PhoneView } from "../../domain/phones/view.js";
import type { TokenSummary } from "../../domain/tokens/summary.js";
import type { TokenView } from "../../domain/tokens/view.js";
import type { UserSummary } from "../../domain/users/view.js";
import { unixSeconds } from "./envelope.js";

/**
 * The Admin API's phone and token objects (research/duo-api.md §5; the Go client's structs and
 * fixtures): inside a user, and in a user's sub-lists, without `users`; on their own, with them.
 */

/** §5 user, the fields a phone or token lists its users with (no groups, phones or tokens). */
export function duoUserBrief(user: UserSummary) {
  return {
    user_id: user.id,
    username: user.username,
    realname: user.real_name,
    firstname: "",
    lastname: "",
    email: user.email ?? "",
    notes: user.notes ?? "",
    status: user.status,
    alias1: user.aliases[0] ?? null,
    alias2: user.aliases[1] ?? null,
    alias3: user.aliases[2] ?? null,
    alias4: user.aliases[3] ?? null,
    created: unixSeconds(user.created_at),
    last_login: user.last_login_at === null ? null : unixSeconds(user.last_login_at),
  };
}
export type DuoUserBrief = ReturnType<typeof duoUserBrief>;

/**
 * §5 phone. `predelay`/`postdelay` are strings of seconds or null, as the Go client decodes them;
 * `last_seen` is "" until Duo Mobile has been seen. Gatehouse does not inspect devices, so the
 * posture fields (`encrypted`, `fingerprint`, `screenlock`, `tampered`) are "" as Duo leaves them
 * for a phone without Duo Mobile.
 */
export function duoPhone(phone: PhoneSummary) {
  return {
    phone_id: phone.id,
    number: phone.number,
    extension: phone.extension,
    name: phone.name,
    type: phone.type,
    platform: phone.platform,
    model: phone.model,
    predelay: phone.predelay === null ? null : String(phone.predelay),
    postdelay: phone.postdelay === null ? null : String(phone.postdelay),
    activated: phone.activated,
    capabilities: phone.capabilities,
    sms_passcodes_sent: phone.sms_passcodes_sent,
    last_seen: phone.last_seen_at === null ? "" : phone.last_seen_at.slice(0, 19),
    encrypted: "",
    fingerprint: "",
    screenlock: "",
    tampered: "",
  };
}
export type DuoPhone = ReturnType<typeof duoPhone>;

export function duoPhoneWithUsers(phone: PhoneView) {
  return Object.assign(duoPhone(phone), { users: phone.users.map(duoUserBrief) });
}

/** §5 token: `totp_step` null but for TOTP tokens; never a secret. */
export function duoToken(token: TokenSummary) {
  return {
    token_id: token.id,
    type: token.type,
    serial: token.serial,
    totp_step: token.totp_step,
  };
}
export type DuoToken = ReturnType<typeof duoToken>;

export function duoTokenWithUsers(token: TokenView) {
  return Object.assign(duoToken(token), { users: token.users.map(duoUserBrief) });
}
