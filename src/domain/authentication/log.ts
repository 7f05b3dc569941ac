import { isIP } from "node:net";
import { type RawBuilder, sql } from "kysely";
import type { DecidedBy } from "../../authn/policy.js";
import type { Executor } from "../../db/executor.js";
import type { AuthResult } from "../../db/schema.js";

/** An application that authenticates users (R-AUTH-1): an Auth API, Unix or Web SDK (Universal Prompt) integration. */
export interface AuthApplication {
  id: string;
  name: string;
  accountId: string;
  type: "authapi" | "unix" | "websdk";
}

/** Where the login comes from, as the client reports it (research/auth-protocols.md §1.2). */
export interface AccessDevice {
  ip: string | null;
  hostname: string | null;
}

/** The device a factor was proven with, for the log (Duo's auth_device). */
export interface AuthDevice {
  id: string;
  name: string;
}

/** R-AUTH-4: one attempt, as the authentication log keeps it. */
export interface AuthenticationEvent {
  txid: string;
  accountId: string;
  /** Null for an enrollment through a link an admin made. */
  application: Pick<AuthApplication, "id" | "name"> | null;
  eventType?: "authentication" | "enrollment";
  result: AuthResult;
  /** Duo's reason: user_approved, valid_passcode, invalid_passcode, locked_out, bypass_user, ... */
  reason: string;
  /** Duo's factor: duo_mobile_passcode, hardware_token, yubikey_code, bypass_code, ... */
  factor: string;
  /** The user, or the name the client gave when no user has it. */
  user: { id: string | null; username: string; groups: readonly string[] };
  access: AccessDevice;
  authDevice?: AuthDevice | null;
  /** The policy setting that decided (R-AUTH-4); none when the user's standing did. */
  policy?: DecidedBy | null;
}

const MAX_USERNAME = 300;
const MAX_HOSTNAME = 300;

/**
 * The access device from a client's `ipaddr` and `hostname`. duo_unix may send more than an
 * address in `ipaddr` (a whole $SSH_CONNECTION for IPv6, a host name from PAM_RHOST): the first
 * word is kept when it is an address, and anything else is not an address.
 */
export function accessDevice(
  ipaddr: string | undefined,
  hostname: string | undefined,
): AccessDevice {
  const first = ipaddr?.trim().split(/\s+/)[0] ?? "";
  return {
    ip: isIP(first) === 0 ? null : first,
    hostname: hostname === undefined || hostname === "" ? null : hostname.slice(0, MAX_HOSTNAME),
  };
}

/** The log's columns, in the order logRow gives their values. */
const LOG_COLUMNS = sql.raw(
  "txid, account_id, event_type, result, reason, factor, user_id, username, user_groups, application_id, application_name, access_ip, access_hostname, auth_device_id, auth_device_name, policy_key, policy_name, policy_section",
);

function logRow(event: AuthenticationEvent): RawBuilder<unknown> {
  return sql.join([
    sql`${event.txid}::uuid`,
    event.accountId,
    event.eventType ?? "authentication",
    event.result,
    event.reason,
    event.factor,
    event.user.id,
    event.user.username.slice(0, MAX_USERNAME),
    sql`${[...event.user.groups]}::text[]`,
    event.application?.id ?? null,
    event.application?.name ?? null,
    event.access.ip,
    event.access.hostname,
    event.authDevice?.id ?? null,
    event.authDevice?.name ?? null,
    event.policy?.policy.key ?? null,
    event.policy?.policy.name ?? null,
    event.policy?.section ?? null,
  ]);
}

/**
 * R-AUTH-4: the statement that writes one record; with `onlyWith`, the name of a common table
 * expression of the same statement, it writes the record only if that expression has a row (so a
 * record goes with the change it records, in one statement: see commit.ts).
 */
export function logInsert(event: AuthenticationEvent, onlyWith?: string): RawBuilder<unknown> {
  return onlyWith === undefined
    ? sql`insert into authentication_log (${LOG_COLUMNS}) values (${logRow(event)})`
    : sql`insert into authentication_log (${LOG_COLUMNS}) select ${logRow(event)} from ${sql.table(onlyWith)}`;
}

/** R-AUTH-4: writes one record, in the caller's transaction (the same as the attempt's effects). */
export async function recordAuthentication(
  executor: Executor,
  event: AuthenticationEvent,
): Promise<void> {
  await logInsert(event).execute(executor);
}
