import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { insertScopedUnit, signInAdmin } from "../../helpers/panel-admins.js";
import type { PanelClient } from "../../helpers/panel-client.js";

const DEFAULTS = {
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
};

describe(`account settings over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let accountId: string;
  let owner: { client: PanelClient; id: string };
  let userId: string;
  let groupId: string;

  const signIn = (role: Role, unitIds?: string[]) => signInAdmin(t, accountId, { role, unitIds });
  const patch = (client: PanelClient, body: object) =>
    client.request({ method: "PATCH", url: "/api/settings", body });
  const stored = () =>
    t.db
      .selectFrom("account_settings")
      .selectAll()
      .where("account_id", "=", accountId)
      .executeTakeFirstOrThrow();
  const settingsRecords = () =>
    t.db
      .selectFrom("audit_log")
      .select(["actor_id", "object_id", "before", "after"])
      .where("account_id", "=", accountId)
      .where("action", "=", "customer_update")
      .orderBy("id")
      .execute();
  const asObject = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);

  beforeAll(async () => {
    t = await buildTestApp();
    accountId = await insertAccount(t.db, { name: "Northwind", edition: "Premier" });
    owner = await signIn("Owner");
    groupId = (await owner.client.post("/api/groups", { name: "Engineering" })).json().id;
    userId = (
      await owner.client.post("/api/users", { username: "ana", group_ids: [groupId] })
    ).json().id;
  });
  afterAll(() => t.close());

  it("R-ROLE-2: an Owner reads the settings, with their defaults", async () => {
    const read = await owner.client.get("/api/settings");
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual(DEFAULTS);
  });

  it("R-AUD-1: an Owner changes some settings; one record holds each changed setting before and after", async () => {
    const before = (await settingsRecords()).length;
    const changed = await patch(owner.client, {
      minimum_password_length: 14,
      password_requires_numeric: true,
      admin_inactivity_days: 90,
      admin_lockout_threshold: 10, // unchanged: not in the record
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toEqual({
      ...DEFAULTS,
      minimum_password_length: 14,
      password_requires_numeric: true,
      admin_inactivity_days: 90,
    });
    expect(await stored()).toMatchObject({
      admin_password_min_length: 14,
      admin_password_require_digit: true,
      admin_inactivity_days: 90,
    });
    expect((await owner.client.get("/api/settings")).json()).toEqual(changed.json());
    const records = (await settingsRecords()).slice(before);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ actor_id: owner.id, object_id: accountId });
    expect(asObject(records[0]?.before)).toEqual({
      minimum_password_length: 12,
      password_requires_numeric: false,
      admin_inactivity_days: null,
    });
    expect(asObject(records[0]?.after)).toEqual({
      minimum_password_length: 14,
      password_requires_numeric: true,
      admin_inactivity_days: 90,
    });
    // Back to "never" expiring for inactivity (R-ADM-1).
    const never = await patch(owner.client, { admin_inactivity_days: null });
    expect(never.json().admin_inactivity_days).toBeNull();
  });

  it("an invalid value, a wrong type or an unknown field is refused naming the field, and nothing changes", async () => {
    const row = await stored();
    const records = (await settingsRecords()).length;
    for (const [body, field] of [
      [{ helpdesk_bypass: "limit", minimum_password_length: 2 }, "minimum_password_length"],
      [{ helpdesk_bypass_expiration: 0 }, "helpdesk_bypass_expiration"],
      [{ admin_activation_valid_days: 32 }, "admin_activation_valid_days"],
      [{ helpdesk_bypass: "sometimes" }, "helpdesk_bypass"],
      [{ admin_lockout_minutes: "thirty" }, "admin_lockout_minutes"],
      [{ admin_session_idle_minutes: 1.5 }, "admin_session_idle_minutes"],
      // A JSON body carries its types: a number sent as text is refused, not read as a number.
      [{ minimum_password_length: "14" }, "minimum_password_length"],
      [{ admin_inactivity_days: "" }, "admin_inactivity_days"],
      [{ password_requires_special: "yes" }, "password_requires_special"],
      [{ helpdesk_bypass: "deny", timezone: "UTC" }, "timezone"],
      [{ lockout_threshold: 0 }, "lockout_threshold"],
      [{ lockout_threshold: 101 }, "lockout_threshold"],
      [{ lockout_expire_duration: 0 }, "lockout_expire_duration"],
      [{ lockout_expire_duration: 525601 }, "lockout_expire_duration"],
      [{ lockout_expire_duration: "30" }, "lockout_expire_duration"],
      [{ new_user_policy: "bypass" }, "new_user_policy"],
      [{ new_user_policy: null }, "new_user_policy"],
      [{ remembered_browser_days: 0 }, "remembered_browser_days"],
      [{ remembered_browser_days: 91 }, "remembered_browser_days"],
    ] as const) {
      const refused = await patch(owner.client, body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
      expect(refused.json().error).toMatchObject({ code: "invalid", field });
    }
    expect(await stored()).toEqual(row);
    expect(await settingsRecords()).toHaveLength(records);
  });

  it("R-AUTH-3: the users' lockout threshold and duration and the new-user policy round-trip, one record each change", async () => {
    const before = (await settingsRecords()).length;
    const changed = await patch(owner.client, {
      lockout_threshold: 3,
      lockout_expire_duration: 15,
      new_user_policy: "deny",
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      lockout_threshold: 3,
      lockout_expire_duration: 15,
      new_user_policy: "deny",
    });
    // Stored where authentication reads them (src/domain/authentication): the lockout in the
    // account's settings, the new-user policy in its global policy (R-POL-1).
    expect(await stored()).toMatchObject({ user_lockout_threshold: 3, user_lockout_minutes: 15 });
    const global = await t.db
      .selectFrom("policies")
      .select("sections")
      .where("account_id", "=", accountId)
      .where("is_global", "=", true)
      .executeTakeFirstOrThrow();
    expect(global.sections).toMatchObject({ new_user: { new_user_behavior: "deny" } });
    const untilUnlocked = await patch(owner.client, {
      lockout_expire_duration: null,
      new_user_policy: "allow",
    });
    expect(untilUnlocked.json()).toMatchObject({
      lockout_expire_duration: null,
      new_user_policy: "allow",
    });
    expect((await stored()).user_lockout_minutes).toBeNull();
    const records = (await settingsRecords()).slice(before);
    expect(records.map((r) => [asObject(r.before), asObject(r.after)])).toEqual([
      [
        { lockout_threshold: 10, lockout_expire_duration: null, new_user_policy: "enroll" },
        { lockout_threshold: 3, lockout_expire_duration: 15, new_user_policy: "deny" },
      ],
      [
        { lockout_expire_duration: 15, new_user_policy: "deny" },
        { lockout_expire_duration: null, new_user_policy: "allow" },
      ],
    ]);
    await patch(owner.client, { lockout_threshold: 10, new_user_policy: "enroll" });
  });

  it("R-ROLE-4: Help Desk bypass codes under deny, then limit with an expiration", async () => {
    const helpDesk = await signIn("Help Desk");
    const create = (body: object) =>
      helpDesk.client.post(`/api/users/${userId}/bypass-codes`, body);
    expect((await create({ count: 1 })).statusCode).toBe(200);

    expect((await patch(owner.client, { helpdesk_bypass: "deny" })).statusCode).toBe(200);
    const denied = await create({ count: 1, valid_secs: 60 });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.rule).toBe("R-ROLE-4");

    const limit = await patch(owner.client, {
      helpdesk_bypass: "limit",
      helpdesk_bypass_expiration: 30,
    });
    expect(limit.statusCode, limit.body).toBe(200);
    const forever = await create({ count: 1 });
    expect(forever.statusCode).toBe(403);
    expect(forever.json().error.rule).toBe("R-ROLE-4");
    const tooLong = await create({ count: 1, valid_secs: 31 * 60 });
    expect(tooLong.statusCode).toBe(403);
    expect(tooLong.json().error).toMatchObject({ rule: "R-ROLE-4" });
    expect(tooLong.json().error.reason).toContain("30 minutes");
    const within = await create({ count: 1, valid_secs: 30 * 60 });
    expect(within.statusCode, within.body).toBe(200);
    expect(within.json().items[0].expires_at).not.toBeNull();

    await patch(owner.client, { helpdesk_bypass: "allow", helpdesk_bypass_expiration: 60 });
    expect((await create({ count: 1 })).statusCode).toBe(200);
  });

  it("R-ROLE-4: User Managers put users in bypass only while the setting allows it", async () => {
    const manager = await signIn("User Manager");
    const setStatus = (status: string) =>
      manager.client.request({ method: "PATCH", url: `/api/users/${userId}`, body: { status } });

    expect(
      (await patch(owner.client, { user_managers_can_put_users_in_bypass: false })).statusCode,
    ).toBe(200);
    const refused = await setStatus("bypass");
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.rule).toBe("R-ROLE-4");
    const user = await t.db
      .selectFrom("users")
      .select("status")
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    expect(user.status).not.toBe("bypass");

    await patch(owner.client, { user_managers_can_put_users_in_bypass: true });
    const allowed = await setStatus("bypass");
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(allowed.json().status).toBe("bypass");
    await setStatus("active");
  });

  it("R-ROLE-2: an Administrator may; every other role is refused with the rule, reading or changing", async () => {
    const administrator = await signIn("Administrator");
    expect((await administrator.client.get("/api/settings")).statusCode).toBe(200);
    const allowed = await patch(administrator.client, { admin_session_max_hours: 8 });
    expect(allowed.statusCode, allowed.body).toBe(200);

    const row = await stored();
    const records = (await settingsRecords()).length;
    for (const role of [
      "Application Manager",
      "User Manager",
      "Help Desk",
      "Billing",
      "Read-only",
    ] as const) {
      const admin = await signIn(role);
      const read = await admin.client.get("/api/settings");
      expect(read.statusCode, role).toBe(403);
      expect(read.json().error.rule).toBe("R-ROLE-2");
      expect(read.body).not.toContain("helpdesk_bypass_expiration");
      const write = await patch(admin.client, { helpdesk_bypass: "allow" });
      expect(write.statusCode, role).toBe(403);
      expect(write.json().error).toMatchObject({ code: "forbidden", rule: "R-ROLE-2" });
    }
    expect(await stored()).toEqual(row);
    expect(await settingsRecords()).toHaveLength(records);
  });

  it("R-UNIT-4: a restricted Administrator cannot change account-wide settings", async () => {
    const unitId = await insertScopedUnit(t.db, accountId, { name: "Eng", groupIds: [groupId] });
    const restricted = await signIn("Administrator", [unitId]);
    const write = await patch(restricted.client, { helpdesk_bypass: "deny" });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.rule).toBe("R-UNIT-4");
    expect((await stored()).helpdesk_bypass).toBe("allow");
  });
});
