import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * Kysely's view of the tables created by `migrations/*.sql`, which are the source of truth.
 * `test/db/schema.test.ts` checks that these columns and the migrated database's agree.
 */
export interface Database {
  accounts: AccountsTable;
  subaccount_tags: SubaccountTagsTable;
  admins: AdminsTable;
  admin_tags: AdminTagsTable;
  admin_activations: AdminActivationsTable;
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  applications: ApplicationsTable;
  admin_units: AdminUnitsTable;
  admin_unit_admins: AdminUnitAdminsTable;
  admin_unit_groups: AdminUnitGroupsTable;
  admin_unit_applications: AdminUnitApplicationsTable;
  bypass_codes: BypassCodesTable;
  phones: PhonesTable;
  hardware_tokens: HardwareTokensTable;
  user_phones: UserPhonesTable;
  user_hardware_tokens: UserHardwareTokensTable;
  webauthn_credentials: WebAuthnCredentialsTable;
  admin_webauthn_challenges: AdminWebAuthnChallengesTable;
  account_settings: AccountSettingsTable;
  account_logos: AccountLogosTable;
  audit_log: AuditLogTable;
  admin_sessions: AdminSessionsTable;
  sign_in_throttle: SignInThrottleTable;
  sms_passcodes: SmsPasscodesTable;
  device_activations: DeviceActivationsTable;
  auth_transactions: AuthTransactionsTable;
  authentication_log: AuthenticationLogTable;
  telephony_log: TelephonyLogTable;
  prompt_sessions: PromptSessionsTable;
  remembered_browsers: RememberedBrowsersTable;
  policies: PoliciesTable;
  application_policies: ApplicationPoliciesTable;
  group_policies: GroupPoliciesTable;
  policy_impacts: PolicyImpactsTable;
  gatehouse_migrations: MigrationsTable;
}

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** A column the database computes; it can be read, never written. */
type Computed<T> = ColumnType<T, never, never>;
/** int8 columns are parsed to numbers by both drivers (src/db/open.ts); ids and versions stay far below 2^53. */
type BigIntColumn = ColumnType<number, number | undefined, number>;

export {
  ADMIN_STATUSES,
  type AdminStatus,
  API_GRANTS,
  type ApiGrant,
  EDITIONS,
  type Edition,
  ROLES,
  type Role,
} from "../authz/vocabulary.js";

import type { AdminStatus, ApiGrant, Edition, Role } from "../authz/vocabulary.js";

export const USER_STATUSES = [
  "active",
  "bypass",
  "disabled",
  "locked out",
  "pending deletion",
] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export interface AccountsTable {
  id: string;
  parent_id: string | null;
  is_subaccount: Computed<boolean>;
  tenant_id: Computed<string>;
  parent_is_subaccount: Generated<boolean>;
  name: string;
  edition: ColumnType<Edition, Edition | undefined, Edition>;
  nfr: Generated<boolean>;
  authz_version: BigIntColumn;
  created_at: Generated<Date>;
}

export interface SubaccountTagsTable {
  account_id: string;
  account_is_subaccount: Generated<boolean>;
  tag: string;
}

export interface AdminsTable {
  id: string;
  account_id: string;
  tenant_id: string;
  home_is_subaccount: boolean;
  email: string;
  name: string;
  phone: string | null;
  role: Role;
  subaccount_role: Role | null;
  status: ColumnType<AdminStatus, AdminStatus | undefined, AdminStatus>;
  restricted_by_units: Generated<boolean>;
  directory_synced: Generated<boolean>;
  is_temporary: Generated<boolean>;
  password_hash: string | null;
  password_change_required: Generated<boolean>;
  totp_secret_enc: string | null;
  failed_sign_ins: Generated<number>;
  locked_until: NullableTimestamp;
  last_sign_in_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  totp_pending_secret_enc: ColumnType<string | null, string | null | undefined, string | null>;
  password_changed_at: NullableTimestamp;
  inactivity_cleared_at: NullableTimestamp;
  status_before_expiry: ColumnType<
    AdminStatus | null,
    AdminStatus | null | undefined,
    AdminStatus | null
  >;
}

export interface AdminTagsTable {
  admin_id: string;
  admin_home_is_subaccount: Generated<boolean>;
  tag: string;
}

export interface AdminActivationsTable {
  id: string;
  admin_id: string;
  token_hash: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
  pending_password_hash: ColumnType<string | null, string | null | undefined, string | null>;
  pending_totp_secret_enc: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface UsersTable {
  id: string;
  account_id: string;
  username: string;
  aliases: ColumnType<string[], string[] | undefined, string[]>;
  real_name: Generated<string>;
  email: Generated<string>;
  status: ColumnType<UserStatus, UserStatus | undefined, UserStatus>;
  notes: Generated<string>;
  last_login_at: NullableTimestamp;
  last_directory_sync_at: NullableTimestamp;
  created_at: Generated<Date>;
  /** R-AUTH-3: consecutive failed passcodes; reset by a success or any change of status. */
  failed_auth_attempts: Generated<number>;
  /** While locked out: when the lockout ends by itself (null: until an admin unlocks). */
  locked_until: NullableTimestamp;
}

/** A user's bypass code (R-ROLE-2): only a salted hash of the code is kept. */
export interface BypassCodesTable {
  id: string;
  account_id: string;
  user_id: string;
  code_hash: string;
  salt: string;
  /** 0: usable any number of times (Duo's reuse_count). */
  reuse_count: number;
  /** Null when reuse_count is 0. */
  remaining_uses: number | null;
  created_by_admin_id: string | null;
  created_by: string;
  created_at: Timestamp;
  /** Null: never expires. */
  expires_at: NullableTimestamp;
}

export const PHONE_TYPES = ["Mobile", "Landline", "Unknown"] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];
export const PHONE_PLATFORMS = [
  "Unknown",
  "Google Android",
  "Apple iOS",
  "Windows Phone",
  "RIM BlackBerry",
  "Java J2ME",
  "Palm WebOS",
  "Symbian OS",
  "Windows Mobile",
  "Generic Smartphone",
] as const;
export type PhonePlatform = (typeof PHONE_PLATFORMS)[number];

/** A phone (research/duo-api.md §5 "phone"): not an engine fact; decided on through its users. */
export interface PhonesTable {
  id: string;
  account_id: string;
  /** E.164, or "" for a device without a number. */
  number: Generated<string>;
  extension: Generated<string>;
  name: Generated<string>;
  type: ColumnType<PhoneType, PhoneType | undefined, PhoneType>;
  platform: ColumnType<PhonePlatform, PhonePlatform | undefined, PhonePlatform>;
  model: Generated<string>;
  predelay: number | null;
  postdelay: number | null;
  activated: Generated<boolean>;
  sms_passcodes_sent: Generated<boolean>;
  last_seen: NullableTimestamp;
  created_at: Generated<Date>;
  /** The authenticator app's TOTP secret (mobile_otp), sealed with the phone's id; null until activated. */
  totp_secret_enc: ColumnType<string | null, string | null | undefined, string | null>;
  /** The last time step a code of the app was accepted at: each code works once. */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
}

export const TOKEN_TYPES = ["h6", "h8", "t6", "t8", "yk", "d1"] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

/** A hardware token (§5 "token"): its secret is sealed (src/db/secrets.ts) and never returned. */
export interface HardwareTokensTable {
  id: string;
  account_id: string;
  type: TokenType;
  serial: string;
  /** TOTP tokens only. */
  totp_step: number | null;
  /** HOTP tokens only: the counter the next code is expected at. */
  counter: ColumnType<number | null, number | null | undefined, number | null>;
  /** Sealed with the row's id; null only for a D-100. */
  secret_enc: string | null;
  created_at: Generated<Date>;
  /** TOTP tokens: the last step a code was accepted at, and the drift (in steps) it showed. */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  totp_drift: Generated<number>;
  /** YubiKeys: the last (usage counter, session counter) accepted; every OTP must exceed it. */
  yubikey_counter: ColumnType<number | null, number | null | undefined, number | null>;
  yubikey_use: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface UserPhonesTable {
  user_id: string;
  phone_id: string;
  account_id: string;
}

export interface UserHardwareTokensTable {
  user_id: string;
  token_id: string;
  account_id: string;
}

/**
 * A WebAuthn security key or passkey (0010_webauthn.sql; Duo's webauthncredential, §5): of one user
 * or one administrator. Only the public key is kept; nothing here is secret.
 */
export interface WebAuthnCredentialsTable {
  /** Duo's webauthnkey. */
  id: string;
  account_id: string;
  user_id: string | null;
  admin_id: string | null;
  /** base64url, unique across accounts. */
  credential_id: string;
  /** COSE; a Buffer from node-postgres, a Uint8Array from PGlite. */
  public_key: Uint8Array;
  sign_count: ColumnType<number, number | undefined, number>;
  transports: ColumnType<string[], string[] | undefined, string[]>;
  aaguid: string;
  device_type: "single_device" | "multi_device";
  backed_up: ColumnType<boolean, boolean | undefined, boolean>;
  credential_name: string;
  label: ColumnType<string, string | undefined, string>;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
}

/** R-ADM-3: an administrator's WebAuthn ceremony under way, bound to their session; used once. */
export interface AdminWebAuthnChallengesTable {
  session_id_hash: string;
  purpose: "register" | "sign_in";
  challenge: string;
  expires_at: Timestamp;
}

export interface GroupsTable {
  id: string;
  account_id: string;
  name: string;
  description: Generated<string>;
  status: Generated<"active" | "bypass" | "disabled">;
  created_at: Generated<Date>;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
  account_id: string;
}

export interface ApplicationsTable {
  id: string;
  account_id: string;
  account_is_subaccount: boolean;
  type: string;
  name: string;
  notes: Generated<string>;
  greeting: Generated<string>;
  secret_key_enc: string;
  grants: ColumnType<ApiGrant[], ApiGrant[] | undefined, ApiGrant[]>;
  created_at: Generated<Date>;
  /** A Unix application answering duo_unix 1.11's unsigned-date v1 requests (off by default). */
  legacy_unix_clients: Generated<boolean>;
}

export interface AdminUnitsTable {
  id: string;
  account_id: string;
  name: string;
  description: Generated<string>;
  all_applications: Generated<boolean>;
  all_groups: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface AdminUnitAdminsTable {
  unit_id: string;
  admin_id: string;
  account_id: string;
  admin_restricted: Generated<boolean>;
}

export interface AdminUnitGroupsTable {
  unit_id: string;
  group_id: string;
  account_id: string;
}

export interface AdminUnitApplicationsTable {
  unit_id: string;
  application_id: string;
  account_id: string;
}

export interface AccountSettingsTable {
  account_id: string;
  helpdesk_bypass: Generated<"allow" | "limit" | "deny">;
  helpdesk_bypass_expiration: Generated<number>;
  helpdesk_can_send_enroll_email: Generated<boolean>;
  user_managers_can_put_users_in_bypass: Generated<boolean>;
  admin_password_min_length: Generated<number>;
  admin_password_require_upper: Generated<boolean>;
  admin_password_require_lower: Generated<boolean>;
  admin_password_require_digit: Generated<boolean>;
  admin_password_require_special: Generated<boolean>;
  admin_lockout_threshold: Generated<number>;
  admin_lockout_minutes: Generated<number>;
  admin_inactivity_days: number | null;
  admin_session_idle_minutes: Generated<number>;
  admin_session_max_hours: Generated<number>;
  admin_activation_valid_days: Generated<number>;
  updated_at: Generated<Date>;
  user_lockout_threshold: Generated<number>;
  /** Null: a locked-out user stays locked out until an admin unlocks them. */
  user_lockout_minutes: number | null;
  sms_gateway_url: string | null;
  sms_gateway_method: Generated<"POST" | "PUT" | "GET">;
  sms_gateway_content_type: Generated<SmsGatewayContentType>;
  sms_gateway_body: Generated<string>;
  sms_gateway_secret_header: string | null;
  /** Sealed with the account's id. */
  sms_gateway_secret_enc: string | null;
  /** The name the hosted prompt shows; null: the account's own name (src/domain/branding). */
  branding_name: string | null;
  /** `#rrggbb`, the prompt's button colour; null: Gatehouse's own. */
  branding_colour: string | null;
}

/** The account's logo on the hosted prompt (0012_branding.sql): PNG or JPEG, checked by the domain. */
export interface AccountLogosTable {
  account_id: string;
  content_type: "image/png" | "image/jpeg";
  /** A Buffer from node-postgres, a Uint8Array from PGlite. */
  bytes: Uint8Array;
  /** SHA-256 of the bytes, hex: the logo's ETag and part of its URL. */
  hash: string;
  width: number;
  height: number;
  updated_at: Generated<Date>;
}

export const NEW_USER_POLICIES = ["enroll", "allow", "deny"] as const;
export type NewUserPolicy = (typeof NEW_USER_POLICIES)[number];
export const SMS_GATEWAY_CONTENT_TYPES = [
  "application/json",
  "application/x-www-form-urlencoded",
  "text/plain",
] as const;
export type SmsGatewayContentType = (typeof SMS_GATEWAY_CONTENT_TYPES)[number];

export interface SmsPasscodesTable {
  id: Computed<number>;
  account_id: string;
  phone_id: string;
  code_hash: string;
  salt: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

/** R-AUTH-5: a link activating an authenticator app on a phone; only hashes of its secrets. */
export interface DeviceActivationsTable {
  id: string;
  account_id: string;
  user_id: string;
  phone_id: string;
  token_hash: string;
  code_hash: string;
  pending_secret_enc: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  activated_at: NullableTimestamp;
}

/** 0009_universal_prompt.sql: one hosted prompt, from authorize to the code's exchange. */
export interface PromptSessionsTable {
  id: string;
  account_id: string;
  application_id: string;
  username: string;
  redirect_uri: string;
  state: string;
  use_duo_code: boolean;
  browser_hash: string;
  access_ip: string | null;
  manage_devices: Generated<boolean>;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  webauthn_challenge: string | null;
  pending_totp_secret_enc: string | null;
  result: "allow" | "deny" | null;
  status: string | null;
  status_msg: string | null;
  txid: string | null;
  completed_at: NullableTimestamp;
  code_hash: string | null;
  code_expires_at: NullableTimestamp;
  code_used_at: NullableTimestamp;
}

/** 0009_universal_prompt.sql: a browser that skips the prompt for one user and application. */
export interface RememberedBrowsersTable {
  token_hash: string;
  account_id: string;
  user_id: string;
  application_id: string;
  access_ip: string | null;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  across_applications: Generated<boolean>;
}

export interface AuthTransactionsTable {
  txid: string;
  account_id: string;
  application_id: string;
  result: "allow" | "deny" | "waiting";
  status: string;
  status_msg: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export const AUTH_RESULTS = ["success", "denied", "error", "fraud"] as const;
export type AuthResult = (typeof AUTH_RESULTS)[number];

/** R-AUTH-4: one authentication attempt (research/duo-api.md §4.9's v2 record). */
export interface AuthenticationLogTable {
  id: Computed<number>;
  txid: string;
  account_id: string;
  created_at: Generated<Date>;
  event_type: "authentication" | "enrollment";
  result: AuthResult;
  reason: string;
  factor: string;
  user_id: string | null;
  username: string;
  user_groups: ColumnType<string[], string[] | undefined, string[]>;
  application_id: string | null;
  application_name: string | null;
  access_ip: string | null;
  access_hostname: string | null;
  auth_device_id: string | null;
  auth_device_name: string | null;
  /** R-AUTH-4: the policy that decided (0013_policies.sql); null where none did. */
  policy_key: string | null;
  policy_name: string | null;
  policy_section: string | null;
}

/** R-POL-1 (0013_policies.sql): the global policy and custom ones; `sections` in Duo's shape. */
export interface PoliciesTable {
  id: string;
  account_id: string;
  name: string;
  is_global: Generated<boolean>;
  sections: ColumnType<unknown, string | undefined, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ApplicationPoliciesTable {
  application_id: string;
  account_id: string;
  policy_id: string;
}

export interface GroupPoliciesTable {
  application_id: string;
  group_id: string;
  account_id: string;
  policy_id: string;
  position: Generated<number>;
}

/** R-POL-3 (0014_policy_impacts.sql): a saved policy change and what it changed in recent logins. */
export interface PolicyImpactsTable {
  id: Computed<number>;
  account_id: string;
  created_at: Generated<Date>;
  action: "policy_create" | "policy_update" | "policy_delete";
  policy_key: string;
  policy_name: string;
  actor_name: string;
  days: number;
  attempts: number;
  changed_attempts: number;
  changes: ColumnType<unknown, string, string>;
}

export interface TelephonyLogTable {
  id: Computed<number>;
  account_id: string;
  created_at: Generated<Date>;
  type: "sms";
  context: "authentication" | "activation" | "test";
  phone_number: string;
  credits: number;
  user_id: string | null;
  txid: string | null;
}

export interface AuditLogTable {
  id: Computed<number>;
  /** Null only for sign-in failures with an email no admin has. */
  account_id: string | null;
  actor_kind: "admin" | "application" | "system";
  actor_id: string | null;
  actor_name: string;
  action: string;
  object_kind: string | null;
  object_id: string | null;
  object_name: string | null;
  before: unknown;
  after: unknown;
  rule: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<Date>;
}

export interface AdminSessionsTable {
  id_hash: string;
  admin_id: string;
  stage: "second_factor" | "active";
  account_id: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface SignInThrottleTable {
  ip: string;
  window_started_at: Timestamp;
  attempts: number;
}

export interface MigrationsTable {
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

export type Account = Selectable<AccountsTable>;
export type Admin = Selectable<AdminsTable>;
export type NewAdmin = Insertable<AdminsTable>;
export type AdminUpdate = Updateable<AdminsTable>;
export type AccountSettings = Selectable<AccountSettingsTable>;
