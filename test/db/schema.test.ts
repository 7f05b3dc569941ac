import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/schema.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";

/**
 * Every column of schema.ts, written out. The type makes the compiler refuse a missing or extra
 * table or column here, and the test compares the list with the migrated database, so schema.ts
 * and the SQL migrations cannot drift apart unnoticed.
 */
const COLUMNS: { [Table in keyof Database]: Record<keyof Database[Table], true> } = {
  accounts: {
    id: true,
    parent_id: true,
    is_subaccount: true,
    tenant_id: true,
    parent_is_subaccount: true,
    name: true,
    edition: true,
    nfr: true,
    authz_version: true,
    created_at: true,
  },
  subaccount_tags: { account_id: true, account_is_subaccount: true, tag: true },
  admins: {
    id: true,
    account_id: true,
    tenant_id: true,
    home_is_subaccount: true,
    email: true,
    name: true,
    phone: true,
    role: true,
    subaccount_role: true,
    status: true,
    restricted_by_units: true,
    directory_synced: true,
    is_temporary: true,
    password_hash: true,
    password_change_required: true,
    totp_secret_enc: true,
    failed_sign_ins: true,
    locked_until: true,
    last_sign_in_at: true,
    created_at: true,
    updated_at: true,
    totp_last_step: true,
    totp_pending_secret_enc: true,
    password_changed_at: true,
    inactivity_cleared_at: true,
    status_before_expiry: true,
  },
  admin_tags: { admin_id: true, admin_home_is_subaccount: true, tag: true },
  admin_activations: {
    id: true,
    admin_id: true,
    token_hash: true,
    expires_at: true,
    used_at: true,
    created_at: true,
    pending_password_hash: true,
    pending_totp_secret_enc: true,
  },
  users: {
    id: true,
    account_id: true,
    username: true,
    aliases: true,
    real_name: true,
    email: true,
    status: true,
    notes: true,
    last_login_at: true,
    last_directory_sync_at: true,
    created_at: true,
  },
  groups: {
    id: true,
    account_id: true,
    name: true,
    description: true,
    status: true,
    created_at: true,
  },
  group_members: { group_id: true, user_id: true, account_id: true },
  applications: {
    id: true,
    account_id: true,
    account_is_subaccount: true,
    type: true,
    name: true,
    notes: true,
    greeting: true,
    secret_key_enc: true,
    grants: true,
    created_at: true,
  },
  admin_units: {
    id: true,
    account_id: true,
    name: true,
    description: true,
    all_applications: true,
    all_groups: true,
    created_at: true,
  },
  admin_unit_admins: { unit_id: true, admin_id: true, account_id: true, admin_restricted: true },
  admin_unit_groups: { unit_id: true, group_id: true, account_id: true },
  admin_unit_applications: { unit_id: true, application_id: true, account_id: true },
  bypass_codes: {
    id: true,
    account_id: true,
    user_id: true,
    code_hash: true,
    salt: true,
    reuse_count: true,
    remaining_uses: true,
    created_by_admin_id: true,
    created_by: true,
    created_at: true,
    expires_at: true,
  },
  phones: {
    id: true,
    account_id: true,
    number: true,
    extension: true,
    name: true,
    type: true,
    platform: true,
    model: true,
    predelay: true,
    postdelay: true,
    activated: true,
    sms_passcodes_sent: true,
    last_seen: true,
    created_at: true,
  },
  hardware_tokens: {
    id: true,
    account_id: true,
    type: true,
    serial: true,
    totp_step: true,
    counter: true,
    secret_enc: true,
    created_at: true,
  },
  user_phones: { user_id: true, phone_id: true, account_id: true },
  user_hardware_tokens: { user_id: true, token_id: true, account_id: true },
  account_settings: {
    account_id: true,
    helpdesk_bypass: true,
    helpdesk_bypass_expiration: true,
    helpdesk_can_send_enroll_email: true,
    user_managers_can_put_users_in_bypass: true,
    admin_password_min_length: true,
    admin_password_require_upper: true,
    admin_password_require_lower: true,
    admin_password_require_digit: true,
    admin_password_require_special: true,
    admin_lockout_threshold: true,
    admin_lockout_minutes: true,
    admin_inactivity_days: true,
    admin_session_idle_minutes: true,
    admin_session_max_hours: true,
    admin_activation_valid_days: true,
    updated_at: true,
  },
  audit_log: {
    id: true,
    account_id: true,
    actor_kind: true,
    actor_id: true,
    actor_name: true,
    action: true,
    object_kind: true,
    object_id: true,
    object_name: true,
    before: true,
    after: true,
    rule: true,
    ip: true,
    user_agent: true,
    created_at: true,
  },
  admin_sessions: {
    id_hash: true,
    admin_id: true,
    stage: true,
    account_id: true,
    ip: true,
    user_agent: true,
    created_at: true,
    last_seen_at: true,
    expires_at: true,
  },
  sign_in_throttle: { ip: true, window_started_at: true, attempts: true },
  gatehouse_migrations: { name: true, checksum: true, applied_at: true },
};

describe("schema.ts matches the migrated database", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(() => t.close());

  it("has the same tables and, in each, the same columns", async () => {
    const result = await sql<{ table: string; column: string }>`
      select c.table_name as table, c.column_name as column
      from information_schema.columns c
      join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'`.execute(t.handle.db);
    const actual: Record<string, string[]> = {};
    for (const row of result.rows) actual[row.table] = [...(actual[row.table] ?? []), row.column];
    const declared = Object.fromEntries(
      Object.entries(COLUMNS).map(([table, columns]) => [table, Object.keys(columns).sort()]),
    );
    for (const table of Object.keys(actual)) actual[table]?.sort();
    expect(actual).toEqual(declared);
  });
});
