import { Invalid } from "../../domain/errors.js";
import type { GroupView } from "../../domain/groups/list.js";
import { whyNotText } from "../../domain/text-guard.js";
import type { UserDevices } from "../../domain/users/related.js";
import type { UserView } from "../../domain/users/view.js";
import {
  type DuoPhone,
  type DuoToken,
  type DuoUserBrief,
  duoPhone,
  duoToken,
} from "./device-shapes.js";
import { unixSeconds } from "./envelope.js";
import { invalid, type ParamReader } from "./params.js";
import { type DuoWebAuthn, duoWebAuthn } from "./webauthn-shapes.js";

/**
 * The Admin API's user and group objects (research/duo-api.md §5), built from the views the
 * panel's use cases return. What Gatehouse does not hold yet (desktop tokens, U2F tokens, first
 * and last names, directory sync) is empty or null.
 */

/** §5 group, v1: the legacy method flags are all true (Gatehouse restricts no method per group). */
export interface DuoGroupV1 {
  group_id: string;
  name: string;
  desc: string;
  status: string;
  push_enabled: boolean;
  sms_enabled: boolean;
  voice_enabled: boolean;
  mobile_otp_enabled: boolean;
}

/** §4.2: the v2 group endpoints drop the legacy method flags. */
export type DuoGroupV2 = Pick<DuoGroupV1, "group_id" | "name" | "desc" | "status">;

/** What a group object shows: a group's view, or a user's reference to one of its groups. */
type GroupFacts = Pick<GroupView, "id" | "name" | "description" | "status">;

export function duoGroupV2(group: GroupFacts): DuoGroupV2 {
  return { group_id: group.id, name: group.name, desc: group.description, status: group.status };
}

export function duoGroupV1(group: GroupFacts): DuoGroupV1 {
  return {
    ...duoGroupV2(group),
    push_enabled: true,
    sms_enabled: true,
    voice_enabled: true,
    mobile_otp_enabled: true,
  };
}

export interface DuoUser extends DuoUserBrief {
  aliases: Record<string, string>;
  last_directory_sync: null;
  is_enrolled: boolean;
  lockout_reason: string | null;
  groups: DuoGroupV1[];
  phones: DuoPhone[];
  tokens: DuoToken[];
  u2ftokens: never[];
  webauthncredentials: DuoWebAuthn[];
  desktoptokens: never[];
}

/** §5: `aliases` as Duo's map, `alias1`…`alias8` by position. */
export function aliasMap(aliases: readonly string[]): Record<string, string> {
  return Object.fromEntries(aliases.map((alias, i) => [`alias${i + 1}`, alias]));
}

/**
 * A user as the Admin API returns it, with its groups and its phones and hardware tokens. Written
 * out field by field: a page holds up to 300 users, and spreading duoUserBrief() into a bigger
 * literal made V8 build each object (and JSON.stringify read it) about eight times slower.
 */
export function duoUser(user: UserView, devices: UserDevices): DuoUser {
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
    aliases: aliasMap(user.aliases),
    created: unixSeconds(user.created_at),
    last_login: user.last_login_at === null ? null : unixSeconds(user.last_login_at),
    last_directory_sync: null,
    // Duo: enrolled when the user has something to authenticate with.
    is_enrolled:
      devices.tokens.length > 0 ||
      devices.webauthn.length > 0 ||
      devices.phones.some((phone) => phone.capabilities.length > 0),
    lockout_reason: user.status === "locked out" ? "Locked out" : null,
    groups: user.groups.map(duoGroupV1),
    phones: devices.phones.map(duoPhone),
    tokens: devices.tokens.map(duoToken),
    u2ftokens: [],
    webauthncredentials: devices.webauthn.map(duoWebAuthn),
    desktoptokens: [],
  };
}

/** §4.1: `alias1`…`alias4` one by one, or `aliases` with up to eight, never both. */
const SINGLE_ALIASES = 4;
const MAX_ALIAS_SLOTS = 8;

/**
 * The alias slots a request sets, by position (0-based): a blank value clears its slot. `aliases`
 * arrives URL-encoded (`alias1=a&alias2=b`, PY) or, in a v5 JSON body, as an object. Undefined when
 * the request names no alias.
 */
export function readAliasSlots(reader: ParamReader): Map<number, string> | undefined {
  const singles = new Map<number, string>();
  for (let i = 1; i <= SINGLE_ALIASES; i++) {
    const value = reader.string(`alias${i}`, { max: 100 });
    if (value !== undefined) singles.set(i - 1, value);
  }
  const text = reader.string("aliases", { max: 2000 });
  if (text === undefined) return singles.size > 0 ? singles : undefined;
  if (singles.size > 0) throw invalid("aliases", "cannot be given with alias1 to alias4");
  let pairs: [string, unknown][];
  if (text.trim().startsWith("{")) {
    try {
      pairs = Object.entries(JSON.parse(text) as Record<string, unknown>);
    } catch {
      throw invalid("aliases", "must be alias1=...&alias2=... or a JSON object");
    }
  } else pairs = [...new URLSearchParams(text)];
  const slots = new Map<number, string>();
  for (const [key, value] of pairs) {
    const match = /^alias([1-8])$/.exec(key);
    if (!match || typeof value !== "string")
      throw invalid(
        "aliases",
        `keys are alias1 to alias${MAX_ALIAS_SLOTS}, each with a text value`,
      );
    // Decoded from inside a parameter: what the door's text guard could not yet see.
    const why = whyNotText(value);
    if (why) throw invalid("aliases", `${key} ${why}`);
    slots.set(Number(match[1]) - 1, value);
  }
  return slots;
}

/** The aliases after setting `slots` over `current`: slots not named keep their alias. */
export function applyAliasSlots(current: readonly string[], slots: Map<number, string>): string[] {
  const next: string[] = [...current];
  for (const [slot, value] of slots) next[slot] = value.trim();
  return Array.from(next, (alias) => alias ?? "").filter((alias) => alias !== "");
}

/** The Duo names of the fields the use cases name otherwise, so a 40002 names what was sent. */
const DUO_FIELD_NAMES: Readonly<Record<string, string>> = {
  real_name: "realname",
  description: "desc",
};

/** Runs `work`, naming a field the domain refuses as the request named it (realname, desc). */
export async function withDuoFieldNames<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const name = error instanceof Invalid ? DUO_FIELD_NAMES[error.field] : undefined;
    if (error instanceof Invalid && name !== undefined) throw invalid(name, error.why);
    throw error;
  }
}

/** The most items a lookup list (`username_list`, `user_id_list`, `group_id_list`) may hold. */
export const MAX_LOOKUP_ITEMS = 1000;

/** A lookup list (§1.5: a JSON array string, CSV or repeated keys), each item at most `max` long. */
export function readList(reader: ParamReader, name: string, max: number): string[] | undefined {
  const items = reader.list(name);
  if (items === undefined) return undefined;
  if (items.length > MAX_LOOKUP_ITEMS)
    throw invalid(name, `must hold at most ${MAX_LOOKUP_ITEMS} items`);
  if (items.some((item) => item.length === 0 || item.length > max))
    throw invalid(name, `each item must be 1 to ${max} characters`);
  return items;
}
