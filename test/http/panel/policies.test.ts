import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import {
  insertAccount,
  insertApplication,
  insertGroup,
  insertUser,
} from "../../helpers/fixtures.js";
import { insertScopedUnit, signInAdmin } from "../../helpers/panel-admins.js";
import type { PanelClient } from "../../helpers/panel-client.js";

const DEFAULT_GLOBAL_SECTIONS = {
  new_user: { new_user_behavior: "enroll" },
  authentication_policy: { user_auth_behavior: "enforce" },
  authorized_networks: {
    allow_without_2fa_networks: [],
    require_2fa_networks: [],
    deny_other_networks: false,
  },
  authentication_methods: {
    allowed_auth_list: [
      "duo-passcode",
      "hardware-token",
      "sms",
      "webauthn-roaming",
      "webauthn-platform",
      "bypass",
    ],
    blocked_auth_list: [],
  },
  remembered_devices: {
    browser_apps: {
      enabled: false,
      user_based: { max_time_value: 1, max_time_units: "days", confirm_per_app: true },
    },
  },
};

const POLICY_KEY = /^PO[0-9A-Z]{18}$/;

describe(`policies over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let accountId: string;
  let owner: PanelClient;
  let globalKey: string;
  /** In the restricted admin's unit. */
  let inApp: string;
  let inGroup: string;
  /** Outside it. */
  let outApp: string;
  let outGroup: string;
  let unitId: string;
  let number = 0;

  const signIn = async (role: Role, unitIds?: string[]) =>
    (await signInAdmin(t, accountId, { role, unitIds })).client;
  const patch = (client: PanelClient, key: string, body: object) =>
    client.request({ method: "PATCH", url: `/api/policies/${key}`, body });
  const remove = (client: PanelClient, key: string) =>
    client.request({ method: "DELETE", url: `/api/policies/${key}` });
  const create = async (body: object) => {
    const response = await owner.post("/api/policies", { name: `Fixture ${++number}`, ...body });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { key: string; name: string };
  };

  /** Every policy row, placement and change record of the account: what a refusal must leave. */
  const state = async () => ({
    policies: await t.db
      .selectFrom("policies")
      .select(["id", "name", "sections"])
      .where("account_id", "=", accountId)
      .orderBy("id")
      .execute(),
    applications: await t.db
      .selectFrom("application_policies")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("application_id")
      .execute(),
    groups: await t.db
      .selectFrom("group_policies")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("application_id")
      .orderBy("group_id")
      .execute(),
    records: await t.db
      .selectFrom("audit_log")
      .select("id")
      .where("account_id", "=", accountId)
      .where("action", "<>", "access_denied")
      .execute(),
  });

  /** The request is refused with `status` (and `rule` for a 403), and nothing changed. */
  const refused = async (
    request: () => Promise<{ statusCode: number; body: string; json(): unknown }>,
    status: number,
    error: { rule?: string; field?: string; code?: string },
  ) => {
    const before = await state();
    const response = await request();
    expect(response.statusCode, response.body).toBe(status);
    expect((response.json() as { error: object }).error).toMatchObject(error);
    expect(await state()).toEqual(before);
  };

  beforeAll(async () => {
    t = await buildTestApp();
    accountId = await insertAccount(t.db, { name: "Northwind", edition: "Premier" });
    owner = await signIn("Owner");
    inApp = await insertApplication(t.db, t.database.secrets, { accountId });
    outApp = await insertApplication(t.db, t.database.secrets, { accountId });
    inGroup = await insertGroup(t.db, accountId, "Engineering");
    outGroup = await insertGroup(t.db, accountId, "Finance");
    unitId = await insertScopedUnit(t.db, accountId, {
      name: "Engineering unit",
      groupIds: [inGroup],
      applicationIds: [inApp],
    });
    globalKey = (await owner.get("/api/policies/global")).json().key;
  });
  afterAll(() => t.close());

  it("R-POL-1: the global policy is read by its alias, with every section set", async () => {
    const read = await owner.get("/api/policies/global");
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual({
      key: globalKey,
      name: "Global Policy",
      is_global: true,
      sections: DEFAULT_GLOBAL_SECTIONS,
      application_ids: [],
      groups: [],
    });
    expect(globalKey).toMatch(POLICY_KEY);
  });

  for (const role of ["Owner", "Administrator"] as const)
    it(`R-ROLE-2: an ${role} creates, edits, copies and deletes a policy, and edits the global one`, async () => {
      const client = await signIn(role);
      const created = await client.post("/api/policies", {
        name: `${role} policy`,
        sections: { new_user: { new_user_behavior: "deny" } },
        apply_to_applications: [inApp],
      });
      expect(created.statusCode, created.body).toBe(200);
      const key = created.json().key;
      expect(key).toMatch(POLICY_KEY);
      expect(created.json()).toEqual({
        key,
        name: `${role} policy`,
        is_global: false,
        sections: { new_user: { new_user_behavior: "deny" } },
        application_ids: [inApp],
        groups: [],
      });

      const edited = await patch(client, key, {
        name: `${role} policy, edited`,
        sections: {
          new_user: null,
          authentication_policy: { user_auth_behavior: "bypass" },
        },
        apply_to_groups: [{ application_id: outApp, group_ids: [outGroup] }],
        unapply_from_applications: [inApp],
      });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json()).toEqual({
        key,
        name: `${role} policy, edited`,
        is_global: false,
        sections: { authentication_policy: { user_auth_behavior: "bypass" } },
        application_ids: [],
        groups: [{ application_id: outApp, group_ids: [outGroup] }],
      });
      expect((await client.get(`/api/policies/${key}`)).json()).toEqual(edited.json());

      const copied = await client.post(`/api/policies/${key}/copy`, {
        names: [`${role} copy`],
      });
      expect(copied.statusCode, copied.body).toBe(200);
      const [copy] = copied.json().items;
      expect(copied.json()).toEqual({
        items: [
          {
            key: copy.key,
            name: `${role} copy`,
            is_global: false,
            sections: { authentication_policy: { user_auth_behavior: "bypass" } },
            application_ids: [],
            groups: [],
          },
        ],
      });
      expect(copy.key).not.toBe(key);

      for (const gone of [key, copy.key]) {
        const deleted = await remove(client, gone);
        expect(deleted.statusCode, deleted.body).toBe(200);
        expect(deleted.json()).toEqual({ ok: true });
        expect((await client.get(`/api/policies/${gone}`)).statusCode).toBe(404);
      }

      const global = await patch(client, "global", {
        sections: { authentication_policy: { user_auth_behavior: "deny" } },
      });
      expect(global.statusCode, global.body).toBe(200);
      expect(global.json().sections).toEqual({
        ...DEFAULT_GLOBAL_SECTIONS,
        authentication_policy: { user_auth_behavior: "deny" },
      });
      // Removing a section of the global policy restores its default: it sets every section.
      const restored = await patch(client, "global", { sections: { authentication_policy: null } });
      expect(restored.statusCode, restored.body).toBe(200);
      expect(restored.json().sections).toEqual(DEFAULT_GLOBAL_SECTIONS);
    });

  it("R-ROLE-2: an Application Manager reads policies and applies an existing one to applications and groups, but creates, edits, copies and deletes none", async () => {
    const manager = await signIn("Application Manager");
    const policy = await create({ sections: { new_user: { new_user_behavior: "no-mfa" } } });

    const list = await manager.get("/api/policies");
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items[0].key).toBe(globalKey);
    expect(list.json().items.map((item: { key: string }) => item.key)).toContain(policy.key);
    expect(list.json().total).toBe(list.json().items.length);
    expect((await manager.get(`/api/policies/${policy.key}`)).statusCode).toBe(200);

    const applied = await patch(manager, policy.key, {
      apply_to_applications: [outApp],
      apply_to_groups: [{ application_id: inApp, group_ids: [inGroup, outGroup] }],
    });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toEqual({
      key: policy.key,
      name: policy.name,
      is_global: false,
      sections: { new_user: { new_user_behavior: "no-mfa" } },
      application_ids: [outApp],
      groups: [{ application_id: inApp, group_ids: [inGroup, outGroup] }],
    });
    const unapplied = await patch(manager, policy.key, {
      unapply_from_applications: [outApp],
      unapply_from_groups: [{ application_id: inApp, group_ids: [outGroup] }],
    });
    expect(unapplied.statusCode, unapplied.body).toBe(200);
    expect(unapplied.json().application_ids).toEqual([]);
    expect(unapplied.json().groups).toEqual([{ application_id: inApp, group_ids: [inGroup] }]);

    const rule = { code: "forbidden", rule: "R-ROLE-2" };
    await refused(() => manager.post("/api/policies", { name: "Not mine" }), 403, rule);
    await refused(() => patch(manager, policy.key, { name: "Renamed" }), 403, rule);
    await refused(
      () => patch(manager, policy.key, { sections: { new_user: { new_user_behavior: "deny" } } }),
      403,
      rule,
    );
    await refused(
      () => patch(manager, "global", { sections: { authentication_policy: null } }),
      403,
      rule,
    );
    await refused(
      () => manager.post(`/api/policies/${policy.key}/copy`, { names: ["C"] }),
      403,
      rule,
    );
    await refused(() => remove(manager, policy.key), 403, rule);
  });

  for (const role of ["User Manager", "Help Desk", "Billing", "Read-only"] as const)
    it(`R-ROLE-2: a ${role} is refused reading and changing policies, and nothing changes`, async () => {
      const client = await signIn(role);
      const policy = await create({});
      const rule = { code: "forbidden", rule: "R-ROLE-2" };
      for (const url of [
        "/api/policies",
        "/api/policies/global",
        `/api/policies/${policy.key}`,
        `/api/policies/effective?user_id=DU${"9".repeat(18)}&application_id=${inApp}`,
      ])
        await refused(() => client.get(url), 403, rule);
      await refused(() => client.post("/api/policies", { name: "Not mine" }), 403, rule);
      await refused(() => patch(client, policy.key, { name: "Renamed" }), 403, rule);
      await refused(() => patch(client, policy.key, { apply_to_applications: [inApp] }), 403, rule);
      await refused(
        () => client.post(`/api/policies/${policy.key}/copy`, { names: ["C"] }),
        403,
        rule,
      );
      await refused(() => remove(client, policy.key), 403, rule);
    });

  it("R-UNIT-8d: a restricted Administrator works on policies within their units, copies one they may not edit, and only reads the global policy", async () => {
    const restricted = await signIn("Administrator", [unitId]);
    const rule = { code: "forbidden", rule: "R-UNIT-8d" };

    const mine = await restricted.post("/api/policies", {
      name: "Engineering policy",
      sections: { authentication_policy: { user_auth_behavior: "enforce" } },
      apply_to_applications: [inApp],
      apply_to_groups: [{ application_id: inApp, group_ids: [inGroup] }],
    });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().application_ids).toEqual([inApp]);
    expect(mine.json().groups).toEqual([{ application_id: inApp, group_ids: [inGroup] }]);
    const key = mine.json().key;
    const renamed = await patch(restricted, key, { name: "Engineering policy, renamed" });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().name).toBe("Engineering policy, renamed");

    await refused(
      () => restricted.post("/api/policies", { name: "Finance", apply_to_applications: [outApp] }),
      403,
      rule,
    );
    await refused(() => patch(restricted, key, { apply_to_applications: [outApp] }), 403, rule);
    await refused(
      () =>
        patch(restricted, key, {
          apply_to_groups: [{ application_id: inApp, group_ids: [outGroup] }],
        }),
      403,
      rule,
    );

    const theirs = await create({
      sections: { new_user: { new_user_behavior: "deny" } },
      apply_to_applications: [outApp],
    });
    expect((await restricted.get(`/api/policies/${theirs.key}`)).statusCode).toBe(200);
    await refused(() => patch(restricted, theirs.key, { name: "Mine now" }), 403, rule);
    await refused(() => patch(restricted, theirs.key, { sections: { new_user: null } }), 403, rule);
    await refused(() => remove(restricted, theirs.key), 403, rule);
    const copied = await restricted.post(`/api/policies/${theirs.key}/copy`, {
      names: ["My copy of theirs"],
    });
    expect(copied.statusCode, copied.body).toBe(200);
    expect(copied.json().items).toEqual([
      {
        key: expect.stringMatching(POLICY_KEY),
        name: "My copy of theirs",
        is_global: false,
        sections: { new_user: { new_user_behavior: "deny" } },
        application_ids: [],
        groups: [],
      },
    ]);
    const copyKey = copied.json().items[0].key;
    const editedCopy = await patch(restricted, copyKey, {
      sections: { new_user: { new_user_behavior: "enroll" } },
      apply_to_applications: [inApp],
    });
    expect(editedCopy.statusCode, editedCopy.body).toBe(200);

    const global = await restricted.get("/api/policies/global");
    expect(global.statusCode, global.body).toBe(200);
    expect(global.json().sections).toEqual(DEFAULT_GLOBAL_SECTIONS);
    await refused(
      () =>
        patch(restricted, "global", {
          sections: { authentication_policy: { user_auth_behavior: "bypass" } },
        }),
      403,
      rule,
    );
    await refused(() => patch(restricted, "global", { name: "Ours" }), 403, rule);
    await refused(() => remove(restricted, "global"), 403, rule);
  });

  it("R-POL-1: an unknown section, or an unknown key in a section, is refused naming the field; nothing is written", async () => {
    await refused(
      () =>
        owner.post("/api/policies", {
          name: "Push",
          sections: { duo_mobile_app: { require_up_to_date_os: true } },
        }),
      400,
      { code: "invalid", field: "sections.duo_mobile_app" },
    );
    const policy = await create({});
    await refused(
      () =>
        patch(owner, policy.key, {
          sections: { new_user: { new_user_behavior: "deny", allow_enrollment: true } },
        }),
      400,
      { code: "invalid", field: "sections.new_user.allow_enrollment" },
    );
    await refused(
      () =>
        patch(owner, policy.key, {
          sections: {
            authorized_networks: {
              deny_other_networks: false,
              require_2fa_networks: ["10.0.0.0/33"],
            },
          },
        }),
      400,
      { code: "invalid", field: "sections.authorized_networks.require_2fa_networks" },
    );
    await refused(() => owner.post("/api/policies", { name: "X", applied: [] }), 400, {
      code: "invalid",
      field: "applied",
    });
  });

  it("the policies routes are in the panel's OpenAPI document", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
    const methods = (path: string) => Object.keys(doc.paths[path] ?? {}).sort();
    expect(methods("/api/policies")).toEqual(["get", "post"]);
    expect(methods("/api/policies/effective")).toEqual(["get"]);
    expect(methods("/api/policies/{key}")).toEqual(["delete", "get", "patch"]);
    expect(methods("/api/policies/{key}/copy")).toEqual(["post"]);
  });

  it("R-POL-1: the effective policy names, section by section, the global, application or group policy it comes from", async () => {
    const app = await insertApplication(t.db, t.database.secrets, { accountId });
    const group = await insertGroup(t.db, accountId, "Contractors");
    const userId = await insertUser(t.db, accountId, {
      username: "ana",
      realName: "Ana",
      groupIds: [group],
    });
    const onApp = await create({
      sections: {
        authentication_policy: { user_auth_behavior: "bypass" },
        new_user: { new_user_behavior: "deny" },
      },
      apply_to_applications: [app],
    });
    const onGroup = await create({
      sections: {
        authorized_networks: {
          allow_without_2fa_networks: ["192.0.2.0/24"],
          require_2fa_networks: [],
          deny_other_networks: true,
        },
        new_user: { new_user_behavior: "no-mfa" },
      },
      apply_to_groups: [{ application_id: app, group_ids: [group] }],
    });
    const appName = (await owner.get(`/api/applications/${app}`)).json().name;

    const effective = await owner.get(
      `/api/policies/effective?user_id=${userId}&application_id=${app}`,
    );
    expect(effective.statusCode, effective.body).toBe(200);
    const global = { key: globalKey, name: "Global Policy", level: "global" };
    expect(effective.json()).toEqual({
      user: { id: userId, username: "ana" },
      application: { id: app, name: appName },
      policy: {
        new_user: {
          value: { new_user_behavior: "no-mfa" },
          from: { key: onGroup.key, name: onGroup.name, level: "group" },
        },
        authentication_policy: {
          value: { user_auth_behavior: "bypass" },
          from: { key: onApp.key, name: onApp.name, level: "application" },
        },
        authorized_networks: {
          value: {
            allow_without_2fa_networks: ["192.0.2.0/24"],
            require_2fa_networks: [],
            deny_other_networks: true,
          },
          from: { key: onGroup.key, name: onGroup.name, level: "group" },
        },
        authentication_methods: {
          value: DEFAULT_GLOBAL_SECTIONS.authentication_methods,
          from: global,
        },
        remembered_devices: { value: DEFAULT_GLOBAL_SECTIONS.remembered_devices, from: global },
      },
    });

    // Without the group policy, its sections fall through to the application's, then the global one.
    const unapplied = await patch(owner, onGroup.key, {
      unapply_from_groups: [{ application_id: app, group_ids: [group] }],
    });
    expect(unapplied.statusCode, unapplied.body).toBe(200);
    const after = (
      await owner.get(`/api/policies/effective?user_id=${userId}&application_id=${app}`)
    ).json().policy;
    expect(after.new_user.from).toEqual({ key: onApp.key, name: onApp.name, level: "application" });
    expect(after.authorized_networks).toEqual({
      value: DEFAULT_GLOBAL_SECTIONS.authorized_networks,
      from: global,
    });

    const missingUser = await owner.get(
      `/api/policies/effective?user_id=DU${"9".repeat(18)}&application_id=${app}`,
    );
    expect(missingUser.statusCode, missingUser.body).toBe(404);
  });

  it("R-POL-1: of two group policies on one application, a member of both gets the one applied first; taking a group from another policy is on record", async () => {
    const app = await insertApplication(t.db, t.database.secrets, { accountId });
    const [first, second] = [
      await insertGroup(t.db, accountId, "Night shift"),
      await insertGroup(t.db, accountId, "Auditors"),
    ];
    const userId = await insertUser(t.db, accountId, {
      username: "bo",
      realName: "Bo",
      groupIds: [second as string, first as string],
    });
    const deny = await create({
      sections: { authentication_policy: { user_auth_behavior: "deny" } },
      apply_to_groups: [{ application_id: app, group_ids: [first] }],
    });
    const bypass = await create({
      sections: { authentication_policy: { user_auth_behavior: "bypass" } },
      apply_to_groups: [{ application_id: app, group_ids: [second] }],
    });
    const source = async () =>
      (await owner.get(`/api/policies/effective?user_id=${userId}&application_id=${app}`)).json()
        .policy.authentication_policy.from.key;
    expect(await source()).toBe(deny.key);
    // The second policy takes the first group too: it is then the only one there.
    const taken = await patch(owner, bypass.key, {
      apply_to_groups: [{ application_id: app, group_ids: [first] }],
    });
    expect(taken.statusCode, taken.body).toBe(200);
    expect((await owner.get(`/api/policies/${deny.key}`)).json().groups).toEqual([]);
    expect(await source()).toBe(bypass.key);
    const record = await t.db
      .selectFrom("audit_log")
      .select("after")
      .where("action", "=", "policy_update")
      .where("object_id", "=", bypass.key)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect((record.after as { replaced?: unknown }).replaced).toEqual([
      { policy_id: deny.key, application_id: app, group_id: first },
    ]);
  });
});
