import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  officialClient,
  startHttpsServer,
} from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, type insertApplication } from "../../helpers/fixtures.js";

describe(`Duo settings API (research/duo-api.md §4.10) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let accountId: string;
  let settings: Credentials;
  let info: Credentials;

  beforeAll(async () => {
    server = await startHttpsServer();
    const db = server.database.handle.db;
    accountId = await insertAccount(db, { name: "Fabrikam" });
    const integration = (grants: Parameters<typeof insertApplication>[2]["grants"]) =>
      createCredentials(server, accountId, "adminapi", grants);
    settings = await integration(["adminapi_settings"]);
    info = await integration(["adminapi_info", "adminapi_read_resource"]);
  });
  afterAll(() => server.close());

  const updates = () =>
    server.database.handle.db
      .selectFrom("audit_log")
      .select(["action", "actor_kind", "actor_id", "object_id", "before", "after"])
      .where("action", "=", "customer_update")
      .orderBy("id")
      .execute();

  it("GET answers the account's settings under Duo's names, with the defaults", async () => {
    const answer = await officialClient(server, settings, 2)("GET", "/admin/v1/settings");
    expect(answer).toEqual({
      stat: "OK",
      response: {
        name: "Fabrikam",
        helpdesk_bypass: "allow",
        helpdesk_bypass_expiration: 60,
        helpdesk_can_send_enroll_email: false,
        user_managers_can_put_users_in_bypass: true,
        minimum_password_length: 12,
        password_requires_upper_alpha: false,
        password_requires_lower_alpha: false,
        password_requires_numeric: false,
        password_requires_special: false,
        admin_lockout_threshold: 10,
        admin_lockout_minutes: 30,
        admin_inactivity_days: null,
        admin_session_idle_minutes: 30,
        admin_session_max_hours: 12,
        admin_activation_valid_days: 7,
        lockout_threshold: 10,
        lockout_expire_duration: null,
        new_user_policy: "enroll",
        remembered_browser_days: null,
      },
    });
  });

  it('a round trip in v2 (form, "1"/"0") and v5 (JSON booleans and numbers), one record per change', async () => {
    const v2 = officialClient(server, settings, 2);
    const changed = await v2("POST", "/admin/v1/settings", {
      helpdesk_bypass: "limit",
      helpdesk_bypass_expiration: "120",
      helpdesk_can_send_enroll_email: "1",
      minimum_password_length: "14",
      password_requires_numeric: "1",
      push_enabled: "1",
    });
    expect(changed).toMatchObject({
      stat: "OK",
      response: {
        helpdesk_bypass: "limit",
        helpdesk_bypass_expiration: 120,
        helpdesk_can_send_enroll_email: true,
        minimum_password_length: 14,
        password_requires_numeric: true,
      },
    });
    const v5 = officialClient(server, settings, 5);
    const again = await v5("POST", "/admin/v1/settings", {
      password_requires_numeric: false,
      user_managers_can_put_users_in_bypass: false,
      admin_inactivity_days: 90,
      admin_lockout_threshold: 5,
    });
    expect(again.stat).toBe("OK");
    const read = await v5("GET", "/admin/v1/settings");
    expect(read.response).toMatchObject({
      helpdesk_bypass: "limit",
      helpdesk_bypass_expiration: 120,
      helpdesk_can_send_enroll_email: true,
      minimum_password_length: 14,
      password_requires_numeric: false,
      user_managers_can_put_users_in_bypass: false,
      admin_inactivity_days: 90,
      admin_lockout_threshold: 5,
    });
    const never = await v2("POST", "/admin/v1/settings", { admin_inactivity_days: "0" });
    expect(never.response).toMatchObject({ admin_inactivity_days: null });

    const records = await updates();
    expect(records).toHaveLength(3);
    for (const record of records)
      expect(record).toMatchObject({
        actor_kind: "application",
        actor_id: settings.ikey,
        object_id: accountId,
      });
    expect(records[0]?.before).toMatchObject({
      helpdesk_bypass: "allow",
      minimum_password_length: 12,
    });
    expect(records[0]?.after).toMatchObject({
      helpdesk_bypass: "limit",
      minimum_password_length: 14,
    });
  });

  it("a bad value is 400 40002 naming the setting, and nothing changes", async () => {
    const before = (await updates()).length;
    for (const version of [2, 5] as const) {
      const call = officialClient(server, settings, version);
      const cases: [Record<string, unknown>, string][] = [
        [{ minimum_password_length: "4" }, "minimum_password_length"],
        [{ helpdesk_bypass: "sometimes" }, "helpdesk_bypass"],
        [{ helpdesk_bypass_expiration: "soon" }, "helpdesk_bypass_expiration"],
        [{ password_requires_special: "perhaps" }, "password_requires_special"],
        [{ admin_session_max_hours: "1000", helpdesk_bypass: "deny" }, "admin_session_max_hours"],
        [{ lockout_threshold: "0" }, "lockout_threshold"],
        [{ lockout_threshold: "many" }, "lockout_threshold"],
        [{ lockout_expire_duration: "525601" }, "lockout_expire_duration"],
        [{ lockout_expire_duration: "-5" }, "lockout_expire_duration"],
        [{ new_user_policy: "bypass" }, "new_user_policy"],
        [{ remembered_browser_days: "91" }, "remembered_browser_days"],
        [{ inactive_user_expiration: "30" }, "inactive_user_expiration"],
        [{ name: "Renamed" }, "name"],
      ];
      for (const [params, named] of cases) {
        const answer = await call("POST", "/admin/v1/settings", params);
        expect(answer).toMatchObject({ stat: "FAIL", code: 40002 });
        expect(answer.message_detail).toContain(named);
      }
    }
    const read = await officialClient(server, settings, 2)("GET", "/admin/v1/settings");
    expect(read.response).toMatchObject({ helpdesk_bypass: "limit", minimum_password_length: 14 });
    expect(await updates()).toHaveLength(before);
  });

  it("R-AUTH-3: the users' lockout under Duo's names (0 is manual unlock) and the new-user policy", async () => {
    const db = server.database.handle.db;
    // R-POL-1: the new-user policy is kept as the global policy's new_user section (`allow` is Duo's no-mfa).
    const stored = async () => {
      const row = await db
        .selectFrom("account_settings")
        .select(["user_lockout_threshold", "user_lockout_minutes"])
        .where("account_id", "=", accountId)
        .executeTakeFirstOrThrow();
      const global = await db
        .selectFrom("policies")
        .select("sections")
        .where("account_id", "=", accountId)
        .where("is_global", "=", true)
        .executeTakeFirstOrThrow();
      const sections = global.sections as { new_user?: { new_user_behavior: string } };
      return { ...row, new_user_behavior: sections.new_user?.new_user_behavior };
    };
    // The new-user policy is the global policy's (R-POL-1): changing it is editing a policy, which
    // takes the grant that "Create and edit policies" maps to as well as the settings grant.
    const settingsOnly = await officialClient(server, settings, 2)("POST", "/admin/v1/settings", {
      lockout_threshold: "5",
      new_user_policy: "allow",
    });
    expect(settingsOnly).toMatchObject({ stat: "FAIL", code: 40301 });
    // Nothing written: a new account's global policy sets no section yet (each reads as its default).
    expect(await stored()).toEqual({
      user_lockout_threshold: 10,
      user_lockout_minutes: null,
      new_user_behavior: undefined,
    });
    const policies = await createCredentials(server, accountId, "adminapi", [
      "adminapi_settings",
      "adminapi_write_resource",
    ]);
    const v2 = officialClient(server, policies, 2);
    const timed = await v2("POST", "/admin/v1/settings", {
      lockout_threshold: "5",
      lockout_expire_duration: "60",
      new_user_policy: "allow",
    });
    expect(timed).toMatchObject({
      stat: "OK",
      response: { lockout_threshold: 5, lockout_expire_duration: 60, new_user_policy: "allow" },
    });
    expect(await stored()).toEqual({
      user_lockout_threshold: 5,
      user_lockout_minutes: 60,
      new_user_behavior: "no-mfa",
    });
    // research/duo-api.md §4.10: "0 means manual unlock"; Gatehouse answers null for it.
    const manual = await officialClient(server, policies, 5)("POST", "/admin/v1/settings", {
      lockout_expire_duration: 0,
      new_user_policy: "enroll",
    });
    expect(manual.response).toMatchObject({
      lockout_threshold: 5,
      lockout_expire_duration: null,
      new_user_policy: "enroll",
    });
    expect(await stored()).toMatchObject({
      user_lockout_minutes: null,
      new_user_behavior: "enroll",
    });
    const last = (await updates()).at(-1);
    expect(last?.before).toEqual({ lockout_expire_duration: 60, new_user_policy: "allow" });
    expect(last?.after).toEqual({ lockout_expire_duration: null, new_user_policy: "enroll" });
  });

  it('R-ROLE-2: without "Grant settings" neither reading nor changing', async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, info, version);
      const read = await call("GET", "/admin/v1/settings");
      expect(read).toMatchObject({ stat: "FAIL", code: 40301 });
      expect(read.message_detail).toContain("adminapi_settings");
      const write = await call("POST", "/admin/v1/settings", { helpdesk_bypass: "deny" });
      expect(write).toMatchObject({ stat: "FAIL", code: 40301 });
    }
  });
});
