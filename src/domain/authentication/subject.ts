import { sql } from "kysely";
import type { UserStanding } from "../../authn/index.js";
import {
  decidePolicy,
  type EffectivePolicy,
  effectivePolicy,
  type PolicyAccess,
  type PolicyLayer,
  type PolicyLevel,
  policyLayerFromJson,
} from "../../authn/policy.js";
import type { Method } from "../../authn/policy-sections.js";
import type { Executor } from "../../db/executor.js";
import { prepared } from "../../db/prepared.js";
import type { PhoneType, TokenType, UserStatus } from "../../db/schema.js";
import { usernameKey } from "../users/fields.js";
import type { ApplicationRow } from "./application.js";

/** A phone as the authentication path reads it: what it can do, and the sealed app secret. */
export interface SubjectPhone {
  id: string;
  number: string;
  name: string;
  type: PhoneType;
  platform: string;
  /** The authenticator app's TOTP secret, sealed with the phone's id; null until activated. */
  totp_secret_enc: string | null;
  totp_last_step: number | null;
}

/** A hardware token with its sealed secret and its replay state. */
export interface SubjectToken {
  id: string;
  type: TokenType;
  serial: string;
  secret_enc: string | null;
  counter: number | null;
  totp_step: number | null;
  totp_last_step: number | null;
  totp_drift: number;
  yubikey_counter: number | null;
  yubikey_use: number | null;
}

/** A WebAuthn security key or passkey (issue 15): what verifying an assertion needs. */
export interface SubjectSecurityKey {
  /** Duo's webauthnkey. */
  id: string;
  /** The browser's id for it (base64url). */
  credential_id: string;
  /** The COSE public key, hex. */
  public_key: string;
  sign_count: number;
  name: string;
  /** A platform passkey (Duo's webauthn-platform: synced, or the device's own); else a roaming security key. */
  platform: boolean;
}

export interface SubjectUser {
  id: string;
  username: string;
  status: UserStatus;
  locked_until: Date | null;
  failed_auth_attempts: number;
  /** Group names, for the log's record (research/duo-api.md §4.9 user.groups). */
  groups: string[];
  phones: SubjectPhone[];
  tokens: SubjectToken[];
  security_keys: SubjectSecurityKey[];
  /** Unexpired bypass codes with uses left. */
  bypass_codes: number;
  /** Unused, unexpired SMS passcodes sent to the user's phones. */
  sms_passcodes: number;
}

/** The account's settings that the authentication path reads. */
export interface AuthSettings {
  lockoutThreshold: number;
  lockoutMinutes: number | null;
  /** An SMS gateway is configured: phones that take SMS can receive passcodes. */
  smsGateway: boolean;
}

/**
 * Everything one authentication decides on: the user (null when unknown), the settings, and the
 * policy that applies to this user on this application (R-POL-1).
 */
export interface Subject {
  accountId: string;
  /** The username (or user id) the client gave, for the log when no user has it. */
  requested: string;
  user: SubjectUser | null;
  settings: AuthSettings;
  policy: EffectivePolicy;
}

export type UserKey = { username: string } | { userId: string };

interface SubjectRow {
  lockout_threshold: number | null;
  lockout_minutes: number | null;
  sms_gateway: boolean | null;
  /** The policies that can apply, as JSON text `{key, name, sections}` (see policyLayerFromJson). */
  global_policy: string | null;
  application_policy: string | null;
  group_policy: string | null;
  id: string | null;
  username: string | null;
  status: UserStatus | null;
  locked_until: Date | string | null;
  failed_auth_attempts: number | null;
  groups: string[] | null;
  phones: SubjectPhone[] | null;
  tokens: SubjectToken[] | null;
  security_keys: SubjectSecurityKey[] | null;
  bypass_codes: number | null;
  sms_passcodes: number | null;
}

/**
 * The application a subject is looked up for (its account, and the policy that applies there):
 * given, or the one an integration key names.
 */
type Source = { accountId: string; applicationId: string } | { integrationKey: string };

/**
 * The statement behind loadSubject and loadSubjectWithApplication: the account's settings, and the
 * user a client names (by username, then by alias, case-insensitively and in NFC as usernames are
 * compared; or by id) with their groups, devices, secrets and replay state. It answers one row
 * even when no such user exists (and none when the integration key is unknown).
 */
function subjectQuery(source: Source, key: UserKey) {
  const from =
    "accountId" in source
      ? sql`(select ${source.accountId}::text as account_id, ${source.applicationId}::text as app_id) a`
      : sql`(select account_id, id as app_id, name as app_name, type as app_type,
                    secret_key_enc as app_secret_key_enc, legacy_unix_clients as app_legacy
               from applications where id = ${source.integrationKey}) a`;
  const userId =
    "userId" in key
      ? sql`${key.userId}::text`
      : sql`coalesce(
          (select id from users where account_id = a.account_id and lower(username) = ${usernameKey(key.username)}),
          (select (array_agg(id order by id))[1] from users where account_id = a.account_id
              and lower_aliases(aliases) @> array[${usernameKey(key.username)}::text]))`;
  return prepared(
    "auth_subject",
    sql<SubjectRow & Partial<ApplicationColumns>>`
    select a.*, s.user_lockout_threshold as lockout_threshold, s.user_lockout_minutes as lockout_minutes,
           s.sms_gateway_url is not null as sms_gateway,
           (select json_build_object('key', p.id, 'name', p.name, 'sections', p.sections)::text
              from policies p where p.account_id = a.account_id and p.is_global) as global_policy,
           (select json_build_object('key', p.id, 'name', p.name, 'sections', p.sections)::text
              from application_policies ap join policies p on p.id = ap.policy_id
             where ap.application_id = a.app_id) as application_policy,
           (select json_build_object('key', p.id, 'name', p.name, 'sections', p.sections)::text
              from group_policies gp
              join group_members gm on gm.group_id = gp.group_id and gm.user_id = u.id
              join policies p on p.id = gp.policy_id
             where gp.application_id = a.app_id
             order by gp.position, gp.group_id limit 1) as group_policy,
           u.id, u.username, u.status, u.locked_until, u.failed_auth_attempts,
           coalesce((select array_agg(g.name order by g.name)
                       from group_members gm join groups g on g.id = gm.group_id
                      where gm.user_id = u.id), '{}') as groups,
           coalesce((select json_agg(json_build_object(
                       'id', p.id, 'number', p.number, 'name', p.name, 'type', p.type,
                       'platform', p.platform, 'totp_secret_enc', p.totp_secret_enc,
                       'totp_last_step', p.totp_last_step) order by p.created_at, p.id)
                       from user_phones up join phones p on p.id = up.phone_id
                      where up.user_id = u.id), '[]') as phones,
           coalesce((select json_agg(json_build_object(
                       'id', t.id, 'type', t.type, 'serial', t.serial, 'secret_enc', t.secret_enc,
                       'counter', t.counter, 'totp_step', t.totp_step,
                       'totp_last_step', t.totp_last_step, 'totp_drift', t.totp_drift,
                       'yubikey_counter', t.yubikey_counter, 'yubikey_use', t.yubikey_use)
                       order by t.created_at, t.id)
                       from user_hardware_tokens ut join hardware_tokens t on t.id = ut.token_id
                      where ut.user_id = u.id), '[]') as tokens,
           coalesce((select json_agg(json_build_object(
                       'id', w.id, 'credential_id', w.credential_id,
                       'public_key', encode(w.public_key, 'hex'), 'sign_count', w.sign_count,
                       'name', coalesce(nullif(w.label, ''), w.credential_name),
                       'platform', w.device_type = 'multi_device' or 'internal' = any(w.transports))
                       order by w.created_at, w.id)
                       from webauthn_credentials w where w.user_id = u.id), '[]') as security_keys,
           (select count(*)::int from bypass_codes b
             where b.user_id = u.id and (b.expires_at is null or b.expires_at > now())
               and (b.remaining_uses is null or b.remaining_uses > 0)) as bypass_codes,
           (select count(*)::int from sms_passcodes c join user_phones up on up.phone_id = c.phone_id
             where up.user_id = u.id and c.used_at is null and c.expires_at > now()) as sms_passcodes
      from ${from}
      left join account_settings s on s.account_id = a.account_id
      left join users u on u.account_id = a.account_id and u.id = ${userId}`,
  );
}

interface ApplicationColumns {
  account_id: string;
  app_id: string;
  app_name: string;
  app_type: string;
  app_secret_key_enc: string;
  app_legacy: boolean;
}

function layer(json: string | null, level: PolicyLevel): PolicyLayer | undefined {
  return json === null ? undefined : policyLayerFromJson(json, level);
}

function policyOf(row: SubjectRow): EffectivePolicy {
  // Every account has its global policy (0013_policies.sql); its defaults stand in were it gone.
  const global = layer(row.global_policy, "global") ?? {
    ref: { key: "global", name: "Global Policy", level: "global" as const },
    sections: {},
  };
  return effectivePolicy(
    global,
    layer(row.application_policy, "application"),
    layer(row.group_policy, "group"),
  );
}

function toSubject(accountId: string, key: UserKey, row: SubjectRow): Subject {
  const settings: AuthSettings = {
    lockoutThreshold: row.lockout_threshold ?? 10,
    lockoutMinutes: row.lockout_minutes,
    smsGateway: row.sms_gateway ?? false,
  };
  const policy = policyOf(row);
  const requested = "userId" in key ? key.userId : key.username;
  if (row.id === null || row.username === null || row.status === null)
    return { accountId, requested, user: null, settings, policy };
  return {
    accountId,
    requested,
    settings,
    policy,
    user: {
      id: row.id,
      username: row.username,
      status: row.status,
      locked_until: row.locked_until === null ? null : new Date(row.locked_until),
      failed_auth_attempts: row.failed_auth_attempts ?? 0,
      groups: row.groups ?? [],
      phones: row.phones ?? [],
      tokens: row.tokens ?? [],
      security_keys: row.security_keys ?? [],
      bypass_codes: row.bypass_codes ?? 0,
      sms_passcodes: row.sms_passcodes ?? 0,
    },
  };
}

/** The subject for an application of an account (one statement). */
export async function loadSubject(
  executor: Executor,
  application: { accountId: string; id: string },
  key: UserKey,
): Promise<Subject> {
  const { rows } = await subjectQuery(
    { accountId: application.accountId, applicationId: application.id },
    key,
  ).execute(executor);
  const row = rows[0];
  if (!row) throw new Error("the subject query answers one row");
  return toSubject(application.accountId, key, row);
}

/**
 * The integration's row and the subject in its account, in one statement: a login's preauth and
 * auth each cost one read before they write (bench/auth.ts). Nothing here is trusted before the
 * caller has checked the request's signature against the row. Undefined: no such integration.
 */
export async function loadSubjectWithApplication(
  executor: Executor,
  integrationKey: string,
  key: UserKey,
): Promise<{ application: ApplicationRow; subject: Subject } | undefined> {
  const { rows } = await subjectQuery({ integrationKey }, key).execute(executor);
  const row = rows[0];
  if (!row?.app_id || !row.account_id) return undefined;
  return {
    application: {
      id: row.app_id,
      name: row.app_name ?? "",
      account_id: row.account_id,
      type: row.app_type ?? "",
      secret_key_enc: row.app_secret_key_enc ?? "",
      legacy_unix_clients: row.app_legacy ?? false,
    },
    subject: toSubject(row.account_id, key, row),
  };
}

/** The user's keys of the kinds the policy allows (R-POL-2: webauthn-roaming, webauthn-platform). */
export function allowedKeys(user: SubjectUser, methods: readonly Method[]): SubjectSecurityKey[] {
  return user.security_keys.filter((key) =>
    methods.includes(key.platform ? "webauthn-platform" : "webauthn-roaming"),
  );
}

/** Whether the phone takes SMS passcodes: a number that is not a landline, and a gateway to send. */
export function takesSms(phone: SubjectPhone, settings: AuthSettings): boolean {
  return settings.smsGateway && phone.number !== "" && phone.type !== "Landline";
}

/**
 * Whether the user has something to prove a factor with: an activated authenticator app, a phone
 * that takes SMS, a hardware token, a security key, or a bypass code (what an admin gives someone
 * who lost their device: they must be able to use it, so it counts here, unlike in Duo's
 * is_enrolled). A security key counts in every door, the Auth API's too where it cannot be used:
 * a user who has one is enrolled, and must never meet an "allow" new-user policy instead.
 */
export function canAuthenticate(user: SubjectUser, settings: AuthSettings): boolean {
  return (
    user.bypass_codes > 0 ||
    user.security_keys.length > 0 ||
    user.tokens.some((token) => token.secret_enc !== null) ||
    user.phones.some((phone) => phone.totp_secret_enc !== null || takesSms(phone, settings))
  );
}

export function standingOf(user: SubjectUser, settings: AuthSettings): UserStanding {
  return {
    status: user.status,
    lockedUntil: user.locked_until,
    enrolled: canAuthenticate(user, settings),
  };
}

/**
 * A decision on a subject: `auth` carries the user who must now prove a factor, and the methods
 * the policy allows them.
 */
export type SubjectAccess =
  | {
      kind: "auth";
      user: SubjectUser;
      methods: readonly Method[];
      decidedBy: PolicyAccessAuth["decidedBy"];
    }
  | Exclude<PolicyAccess, { kind: "auth" }>;
type PolicyAccessAuth = Extract<PolicyAccess, { kind: "auth" }>;

/**
 * R-AUTH-3 and R-POL-2 on the subject as loaded (or as locked: pass the user read under the lock),
 * for an access from `ip` (the access device's, as the client reports it; null when unknown).
 */
export function accessOf(
  subject: Subject,
  facts: { now: Date; ip: string | null },
  user = subject.user,
): SubjectAccess {
  const access = decidePolicy(subject.policy, {
    user: user === null ? null : standingOf(user, subject.settings),
    ip: facts.ip,
    now: facts.now,
  });
  if (access.kind !== "auth") return access;
  if (user === null) throw new Error("decidePolicy asks only a known user for a factor");
  return { kind: "auth", user, methods: access.methods, decidedBy: access.decidedBy };
}
