import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  officialClient,
  startHttpsServer,
} from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, insertApplication, insertGroup } from "../../helpers/fixtures.js";

/** The global policy as a new account reads it: every section at Gatehouse's default. */
const GLOBAL_DEFAULTS = {
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

const BASE = "/admin/v2/policies";
const POLICY_KEY = /^PO[0-9A-Z]{18}$/;
const NOWHERE = {
  apply_to_apps: { apply_list: [] },
  apply_to_groups_in_apps: { apply_group_policies_list: [] },
};

interface Policy {
  policy_key: string;
  policy_name: string;
  is_global_policy: boolean;
  sections: Record<string, unknown>;
  apply_to_apps: { apply_list: string[] };
  apply_to_groups_in_apps: {
    apply_group_policies_list: { app_integration_key: string; group_id_list: string[] }[];
  };
}

describe(`Duo policies API v2 (research/duo-api.md §4.6) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let accountId: string;
  let writer: Credentials;
  let noWrite: Credentials;
  /** Web SDK applications (policies decide their logins), one per test that applies policies. */
  let apps: Record<
    "placement" | "foreign" | "copy" | "doomed" | "global" | "audit" | "impact",
    string
  >;
  let groupA: string;
  let groupB: string;
  let otherAccountId: string;
  let otherApp: string;
  let otherGroup: string;

  beforeAll(async () => {
    server = await startHttpsServer();
    const { db } = server.database.handle;
    const { secrets } = server.database;
    accountId = await insertAccount(db, { name: "Policy Corp" });
    writer = await createCredentials(server, accountId, "adminapi", [
      "adminapi_read_resource",
      "adminapi_write_resource",
    ]);
    noWrite = await createCredentials(server, accountId, "adminapi", [
      "adminapi_read_resource",
      "adminapi_settings",
      "adminapi_integrations",
      "adminapi_admins",
    ]);
    const web = () => insertApplication(db, secrets, { accountId, type: "websdk" });
    apps = {
      placement: await web(),
      foreign: await web(),
      copy: await web(),
      doomed: await web(),
      global: await web(),
      audit: await web(),
      impact: await web(),
    };
    groupA = await insertGroup(db, accountId, "Alpha group");
    groupB = await insertGroup(db, accountId, "Beta group");
    otherAccountId = await insertAccount(db, { name: "Elsewhere Inc" });
    otherApp = await insertApplication(db, secrets, { accountId: otherAccountId, type: "websdk" });
    otherGroup = await insertGroup(db, otherAccountId, "Their group");
  });
  afterAll(() => server.close());

  const call = (method: string, path: string, params?: object) =>
    officialClient(server, writer, 5)(method, path, params);

  async function create(body: object): Promise<Policy> {
    const answer = await call("POST", BASE, body);
    expect(answer).toMatchObject({ stat: "OK" });
    return answer.response as Policy;
  }

  /** The account's policies as stored, for "nothing changed". */
  const storedPolicies = () =>
    server.database.handle.db
      .selectFrom("policies")
      .select(["id", "name", "is_global", "sections"])
      .where("account_id", "=", accountId)
      .orderBy("id")
      .execute();

  const storedPlacements = async () => ({
    applications: await server.database.handle.db
      .selectFrom("application_policies")
      .select(["application_id", "policy_id"])
      .where("account_id", "=", accountId)
      .orderBy("application_id")
      .execute(),
    groups: await server.database.handle.db
      .selectFrom("group_policies")
      .select(["application_id", "group_id", "policy_id"])
      .where("account_id", "=", accountId)
      .orderBy("application_id")
      .orderBy("group_id")
      .execute(),
  });

  const policyRecords = () =>
    server.database.handle.db
      .selectFrom("audit_log")
      .select(["id", "action", "object_id"])
      .where("account_id", "=", accountId)
      .where("action", "like", "policy_%")
      .orderBy("id")
      .execute();

  /** Everything a refused request must leave as it was. */
  const snapshot = async () => ({
    policies: await storedPolicies(),
    placements: await storedPlacements(),
    records: await policyRecords(),
  });

  it("a new account has one global policy, read by its alias and its key with all five sections' defaults", async () => {
    const stored = await storedPolicies();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ name: "Global Policy", is_global: true });
    const byAlias = await call("GET", `${BASE}/global`);
    const expected = {
      policy_key: stored[0]?.id,
      policy_name: "Global Policy",
      is_global_policy: true,
      sections: GLOBAL_DEFAULTS,
      ...NOWHERE,
    };
    expect(byAlias).toEqual({ stat: "OK", response: expected });
    expect(stored[0]?.id).toMatch(POLICY_KEY);
    expect(await call("GET", `${BASE}/${stored[0]?.id}`)).toEqual({
      stat: "OK",
      response: expected,
    });
  });

  it("POST creates a policy with only the sections it sets, and GET reads it back", async () => {
    const created = await create({
      policy_name: "  Contractors  ",
      sections: {
        new_user: { new_user_behavior: "deny" },
        authorized_networks: {
          allow_without_2fa_networks: ["10.0.0.0/8", "2001:db8::/32"],
          deny_other_networks: true,
        },
      },
    });
    const expected = {
      policy_key: created.policy_key,
      policy_name: "Contractors",
      is_global_policy: false,
      sections: {
        new_user: { new_user_behavior: "deny" },
        authorized_networks: {
          allow_without_2fa_networks: ["10.0.0.0/8", "2001:db8::/32"],
          require_2fa_networks: [],
          deny_other_networks: true,
        },
      },
      ...NOWHERE,
    };
    expect(created).toEqual(expected);
    expect(created.policy_key).toMatch(POLICY_KEY);
    expect(await call("GET", `${BASE}/${created.policy_key}`)).toEqual({
      stat: "OK",
      response: expected,
    });
    const row = (await storedPolicies()).find((policy) => policy.id === created.policy_key);
    expect(row).toEqual({
      id: created.policy_key,
      name: "Contractors",
      is_global: false,
      sections: expected.sections,
    });
  });

  it("PUT merges sections over the policy's, deletes those in sections_to_delete (and those set to null), and renames", async () => {
    const { policy_key: key } = await create({
      policy_name: "Merge me",
      sections: {
        new_user: { new_user_behavior: "deny" },
        authentication_policy: { user_auth_behavior: "bypass" },
      },
    });
    const methods = {
      allowed_auth_list: ["webauthn-roaming", "duo-passcode"],
      blocked_auth_list: ["sms"],
    };
    const merged = await call("PUT", `${BASE}/${key}`, {
      policy_name: "Merged",
      sections: { new_user: { new_user_behavior: "no-mfa" }, authentication_methods: methods },
      sections_to_delete: ["authentication_policy"],
    });
    expect(merged).toEqual({
      stat: "OK",
      response: {
        policy_key: key,
        policy_name: "Merged",
        is_global_policy: false,
        sections: {
          new_user: { new_user_behavior: "no-mfa" },
          authentication_methods: methods,
        },
        ...NOWHERE,
      },
    });
    const inline = await call("PUT", `${BASE}/${key}`, {
      sections: { authentication_methods: null },
    });
    expect(inline).toMatchObject({ stat: "OK", response: { policy_name: "Merged" } });
    expect((inline.response as Policy).sections).toEqual({
      new_user: { new_user_behavior: "no-mfa" },
    });
    const read = await call("GET", `${BASE}/${key}`);
    expect((read.response as Policy).sections).toEqual({
      new_user: { new_user_behavior: "no-mfa" },
    });
  });

  it("an unknown section, key or field is refused by name (400 40002), and nothing is written", async () => {
    const { policy_key: key } = await create({
      policy_name: "Untouched",
      sections: { new_user: { new_user_behavior: "enroll" } },
    });
    const before = await snapshot();
    const browsers = await call("POST", BASE, {
      policy_name: "Browsers",
      sections: { browsers: { blocked_browsers_list: ["ie"] } },
    });
    expect(browsers).toEqual({
      stat: "FAIL",
      code: 40002,
      message: "Invalid request parameters",
      message_detail:
        'sections.browsers: Gatehouse does not enforce the section "browsers"; the sections it enforces are new_user, authentication_policy, authorized_networks, authentication_methods, remembered_devices',
    });
    const cases: [method: string, path: string, body: object, field: string][] = [
      ["PUT", `${BASE}/${key}`, { sections: { browsers: {} } }, "sections.browsers"],
      [
        "PUT",
        `${BASE}/${key}`,
        { sections: { new_user: { new_user_behavior: "deny", user_location: "any" } } },
        "sections.new_user.user_location",
      ],
      ["PUT", `${BASE}/${key}`, { sections_to_delete: ["browsers"] }, "sections_to_delete"],
      ["POST", BASE, { policy_name: "Colour", colour: "blue" }, "colour"],
      ["PUT", `${BASE}/${key}`, { policy_key: key, policy_name: "Renamed" }, "policy_key"],
      [
        "POST",
        BASE,
        { policy_name: "Early", sections_to_delete: ["new_user"] },
        "sections_to_delete",
      ],
      [
        "PUT",
        `${BASE}/${key}`,
        { apply_to_apps: { apply_list: [], apply_to_all: true } },
        "apply_to_apps.apply_to_all",
      ],
      [
        "POST",
        BASE,
        { policy_name: "Fresh", apply_to_apps: { unapply_list: [apps.placement] } },
        "apply_to_apps.unapply_list",
      ],
      [
        "PUT",
        `${BASE}/${key}`,
        {
          apply_to_groups_in_apps: {
            apply_group_policies_list: [
              { app_integration_key: apps.placement, group_id_list: [groupA], position: 1 },
            ],
          },
        },
        "apply_to_groups_in_apps.apply_group_policies_list[0].position",
      ],
      ["POST", BASE, { sections: {} }, "policy_name"],
      ["POST", `${BASE}/copy`, { policy_key: key, new_names: ["x"] }, "new_names"],
    ];
    for (const [method, path, body, field] of cases) {
      const answer = await call(method, path, body);
      expect({ body, answer }).toMatchObject({
        body,
        answer: { stat: "FAIL", code: 40002, message: "Invalid request parameters" },
      });
      expect(answer.message_detail?.startsWith(`${field}: `), answer.message_detail).toBe(true);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("allowed_auth_list naming a method Gatehouse cannot offer is refused; a blocked list may name it", async () => {
    const before = await snapshot();
    const push = await call("POST", BASE, {
      policy_name: "Push",
      sections: { authentication_methods: { allowed_auth_list: ["duo-push", "sms"] } },
    });
    expect(push).toEqual({
      stat: "FAIL",
      code: 40002,
      message: "Invalid request parameters",
      message_detail:
        'sections.authentication_methods.allowed_auth_list: Gatehouse cannot offer "duo-push"; the methods it verifies are duo-passcode, hardware-token, sms, webauthn-roaming, webauthn-platform, bypass',
    });
    expect(await snapshot()).toEqual(before);
    const blocked = await create({
      policy_name: "No push",
      sections: {
        authentication_methods: { allowed_auth_list: ["sms"], blocked_auth_list: ["duo-push"] },
      },
    });
    expect(blocked.sections).toEqual({
      authentication_methods: { allowed_auth_list: ["sms"], blocked_auth_list: ["duo-push"] },
    });
  });

  it("PUT applies a policy to an application and to groups within one, then unapplies them", async () => {
    const { policy_key: key } = await create({ policy_name: "Placement" });
    const applied = await call("PUT", `${BASE}/${key}`, {
      apply_to_apps: { apply_list: [apps.placement] },
      apply_to_groups_in_apps: {
        apply_group_policies_list: [
          { app_integration_key: apps.foreign, group_id_list: [groupB, groupA] },
        ],
      },
    });
    expect(applied).toEqual({
      stat: "OK",
      response: {
        policy_key: key,
        policy_name: "Placement",
        is_global_policy: false,
        sections: {},
        apply_to_apps: { apply_list: [apps.placement] },
        apply_to_groups_in_apps: {
          apply_group_policies_list: [
            { app_integration_key: apps.foreign, group_id_list: [groupB, groupA] },
          ],
        },
      },
    });
    const placements = await storedPlacements();
    expect(placements.applications).toEqual([{ application_id: apps.placement, policy_id: key }]);
    expect(placements.groups.filter((row) => row.policy_id === key)).toHaveLength(2);
    expect((await call("GET", `${BASE}/${key}`)).response).toEqual(applied.response);

    const partly = await call("PUT", `${BASE}/${key}`, {
      apply_to_apps: { unapply_list: [apps.placement] },
      apply_to_groups_in_apps: {
        unapply_group_policies_list: [
          { app_integration_key: apps.foreign, group_id_list: [groupB] },
        ],
      },
    });
    expect(partly.response).toMatchObject({
      apply_to_apps: { apply_list: [] },
      apply_to_groups_in_apps: {
        apply_group_policies_list: [{ app_integration_key: apps.foreign, group_id_list: [groupA] }],
      },
    });
    const none = await call("PUT", `${BASE}/${key}`, {
      apply_to_groups_in_apps: {
        unapply_group_policies_list: [
          { app_integration_key: apps.foreign, group_id_list: [groupA] },
        ],
      },
    });
    expect(none.response).toMatchObject(NOWHERE);
    expect(await storedPlacements()).toEqual({ applications: [], groups: [] });
  });

  it("an application or group of another account is not found (404 40401); an API application is refused; nothing is applied", async () => {
    const { policy_key: key } = await create({ policy_name: "Foreign" });
    const before = await snapshot();
    const foreignApp = await call("PUT", `${BASE}/${key}`, {
      apply_to_apps: { apply_list: [apps.foreign, otherApp] },
    });
    expect(foreignApp).toEqual({
      stat: "FAIL",
      code: 40401,
      message: "Resource not found",
      message_detail: `application ${otherApp} was not found`,
    });
    const foreignGroup = await call("PUT", `${BASE}/${key}`, {
      apply_to_groups_in_apps: {
        apply_group_policies_list: [
          { app_integration_key: apps.foreign, group_id_list: [groupA, otherGroup] },
        ],
      },
    });
    expect(foreignGroup).toEqual({
      stat: "FAIL",
      code: 40401,
      message: "Resource not found",
      message_detail: `group ${otherGroup} was not found`,
    });
    const onCreate = await call("POST", BASE, {
      policy_name: "Foreign on create",
      apply_to_apps: { apply_list: [otherApp] },
    });
    expect(onCreate).toMatchObject({ stat: "FAIL", code: 40401 });
    const api = await call("PUT", `${BASE}/${key}`, {
      apply_to_apps: { apply_list: [writer.ikey] },
    });
    expect(api).toEqual({
      stat: "FAIL",
      code: 40002,
      message: "Invalid request parameters",
      message_detail: `apply_to_apps: ${writer.ikey} is an API application: policies decide logins, and nobody logs in to it`,
    });
    expect(await snapshot()).toEqual(before);
    const theirs = await server.database.handle.db
      .selectFrom("application_policies")
      .select("policy_id")
      .where("account_id", "=", otherAccountId)
      .execute();
    expect(theirs).toEqual([]);
  });

  it("the global policy cannot be deleted or applied, but its sections can be edited", async () => {
    const before = await snapshot();
    const deleted = await call("DELETE", `${BASE}/global`);
    expect(deleted).toEqual({
      stat: "FAIL",
      code: 40002,
      message: "Invalid request parameters",
      message_detail: "policy_key: the global policy cannot be deleted",
    });
    const applied = await call("PUT", `${BASE}/global`, {
      apply_to_apps: { apply_list: [apps.global] },
    });
    expect(applied).toEqual({
      stat: "FAIL",
      code: 40002,
      message: "Invalid request parameters",
      message_detail:
        "apply_to_apps: the global policy applies wherever no other policy does; it is not applied to anything",
    });
    const toGroups = await call("PUT", `${BASE}/global`, {
      apply_to_groups_in_apps: {
        apply_group_policies_list: [{ app_integration_key: apps.global, group_id_list: [groupA] }],
      },
    });
    expect(toGroups).toMatchObject({ stat: "FAIL", code: 40002 });
    expect(await snapshot()).toEqual(before);

    const edited = await call("PUT", `${BASE}/global`, {
      sections: { new_user: { new_user_behavior: "deny" } },
    });
    expect((edited.response as Policy).sections).toEqual({
      ...GLOBAL_DEFAULTS,
      new_user: { new_user_behavior: "deny" },
    });
    // A global section is never unset: deleting one restores its default.
    const restored = await call("PUT", `${BASE}/global`, { sections_to_delete: ["new_user"] });
    expect(restored).toMatchObject({ stat: "OK", response: { is_global_policy: true } });
    expect((restored.response as Policy).sections).toEqual(GLOBAL_DEFAULTS);
  });

  it("copy makes new policies with the source's sections, applied nowhere; the source keeps its place", async () => {
    const sections = {
      authentication_policy: { user_auth_behavior: "deny" },
      remembered_devices: {
        browser_apps: {
          enabled: true,
          user_based: { max_time_value: 12, max_time_units: "hours", confirm_per_app: false },
        },
      },
    };
    const source = await create({
      policy_name: "Source",
      sections,
      apply_to_apps: { apply_list: [apps.copy] },
    });
    expect(source.apply_to_apps).toEqual({ apply_list: [apps.copy] });
    const copied = await call("POST", `${BASE}/copy`, {
      policy_key: source.policy_key,
      new_policy_names_list: ["Copy A", "Copy, with a comma"],
    });
    expect(copied.stat).toBe("OK");
    const { policies } = copied.response as { policies: Policy[] };
    expect(policies).toEqual([
      {
        policy_key: expect.stringMatching(POLICY_KEY),
        policy_name: "Copy A",
        is_global_policy: false,
        sections,
        ...NOWHERE,
      },
      {
        policy_key: expect.stringMatching(POLICY_KEY),
        policy_name: "Copy, with a comma",
        is_global_policy: false,
        sections,
        ...NOWHERE,
      },
    ]);
    const keys = policies.map((policy) => policy.policy_key);
    expect(new Set([...keys, source.policy_key]).size).toBe(3);
    for (const policy of policies)
      expect((await call("GET", `${BASE}/${policy.policy_key}`)).response).toEqual(policy);
    expect((await call("GET", `${BASE}/${source.policy_key}`)).response).toEqual(source);

    const before = await snapshot();
    const taken = await call("POST", `${BASE}/copy`, {
      policy_key: source.policy_key,
      new_policy_names_list: ["Copy B", "copy a"],
    });
    expect(taken).toEqual({
      stat: "FAIL",
      code: 40002,
      message: "Invalid request parameters",
      message_detail: 'policy_name: another policy of this account is named "copy a"',
    });
    const twice = await call("POST", `${BASE}/copy`, {
      policy_key: source.policy_key,
      new_policy_names_list: ["Copy C", "copy c"],
    });
    expect(twice.message_detail).toBe('new_policy_names_list: "copy c" is named twice');
    const missing = await call("POST", `${BASE}/copy`, {
      policy_key: "PO00000000000000000000",
      new_policy_names_list: ["Copy D"],
    });
    expect(missing).toMatchObject({ stat: "FAIL", code: 40401 });
    expect(await snapshot()).toEqual(before);
  });

  it("DELETE removes a policy and where it applied; deleting it again answers the same", async () => {
    const doomed = await create({
      policy_name: "Doomed",
      apply_to_apps: { apply_list: [apps.doomed] },
    });
    expect(await call("DELETE", `${BASE}/${doomed.policy_key}`)).toEqual({
      stat: "OK",
      response: "",
    });
    expect(await call("GET", `${BASE}/${doomed.policy_key}`)).toMatchObject({
      stat: "FAIL",
      code: 40401,
      message: "Resource not found",
    });
    expect((await storedPolicies()).some((policy) => policy.id === doomed.policy_key)).toBe(false);
    expect(
      (await storedPlacements()).applications.some((row) => row.application_id === apps.doomed),
    ).toBe(false);
    const records = (await policyRecords()).length;
    expect(await call("DELETE", `${BASE}/${doomed.policy_key}`)).toEqual({
      stat: "OK",
      response: "",
    });
    expect(await call("DELETE", `${BASE}/PO00000000000000000000`)).toEqual({
      stat: "OK",
      response: "",
    });
    expect(await policyRecords()).toHaveLength(records);
  });

  it('an integration without "Grant write resource" is refused (403 40301) on every policy endpoint, and nothing changes', async () => {
    const { policy_key: key } = await create({ policy_name: "Guarded" });
    const before = await snapshot();
    const denied = officialClient(server, noWrite, 5);
    const requests: [method: string, path: string, body?: object][] = [
      ["GET", BASE],
      ["GET", `${BASE}/global`],
      ["GET", `${BASE}/${key}`],
      ["GET", `${BASE}/summary`],
      ["POST", BASE, { policy_name: "Sneaky" }],
      ["PUT", `${BASE}/${key}`, { policy_name: "Sneaky" }],
      ["PUT", `${BASE}/${key}`, { apply_to_apps: { apply_list: [apps.placement] } }],
      ["POST", `${BASE}/copy`, { policy_key: key, new_policy_names_list: ["Sneaky copy"] }],
      ["DELETE", `${BASE}/${key}`],
    ];
    for (const [method, path, body] of requests) {
      const answer = await denied(method, path, body);
      expect({ method, path, answer }).toMatchObject({
        method,
        path,
        answer: { stat: "FAIL", code: 40301, message: "Access forbidden" },
      });
      expect(answer.message_detail).toContain(
        `R-ROLE-2: Application ${noWrite.ikey} does not have the "adminapi_write_resource" permission`,
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  it("the administrator log records policy_create, policy_update and policy_delete, with the integration as actor", async () => {
    const created = await create({
      policy_name: "Audited",
      sections: { new_user: { new_user_behavior: "no-mfa" } },
    });
    const key = created.policy_key;
    await call("PUT", `${BASE}/${key}`, {
      policy_name: "Audited twice",
      apply_to_apps: { apply_list: [apps.audit] },
    });
    await call("DELETE", `${BASE}/${key}`);
    const records = await server.database.handle.db
      .selectFrom("audit_log")
      .select([
        "action",
        "actor_kind",
        "actor_id",
        "object_kind",
        "object_id",
        "object_name",
        "before",
        "after",
      ])
      .where("object_id", "=", key)
      .orderBy("id")
      .execute();
    const actor = { actor_kind: "application", actor_id: writer.ikey, object_kind: "policy" };
    const applied = { applicationIds: [apps.audit], groups: [] };
    const nowhere = { applicationIds: [], groups: [] };
    const sections = { new_user: { new_user_behavior: "no-mfa" } };
    expect(records).toEqual([
      {
        ...actor,
        action: "policy_create",
        object_id: key,
        object_name: "Audited",
        before: null,
        after: { sections, applied_to: nowhere },
      },
      {
        ...actor,
        action: "policy_update",
        object_id: key,
        object_name: "Audited twice",
        before: { name: "Audited", sections, applied_to: nowhere },
        after: { name: "Audited twice", sections, applied_to: applied },
      },
      {
        ...actor,
        action: "policy_delete",
        object_id: key,
        object_name: "Audited twice",
        before: { sections, applied_to: applied },
        after: null,
      },
    ]);
  });

  it("R-POL-3: POST .../impact answers what the PUT with the same body would change in the last 30 days' logins, and writes nothing", async () => {
    const policy = await create({
      policy_name: "Impact probe",
      apply_to_apps: { apply_list: [apps.impact] },
    });
    const db = server.database.handle.db;
    await db
      .insertInto("authentication_log")
      .values(
        [
          ["203.0.113.5", "nobody"],
          ["203.0.113.6", "nobody"],
          ["192.0.2.1", "nobody"],
          ["203.0.113.5", "somebody"],
        ].map(([ip, username], i) => ({
          txid: `00000000-0000-4000-8000-00000000000${i}`,
          account_id: accountId,
          created_at: new Date(Date.now() - (i + 1) * 86_400_000),
          event_type: "authentication" as const,
          result: "denied" as const,
          reason: "deny_unenrolled_user",
          factor: "not_available",
          user_id: null,
          username: username as string,
          application_id: apps.impact,
          application_name: "Impact",
          access_ip: ip,
        })),
      )
      .execute();
    const before = await snapshot();
    const answer = await call("POST", `${BASE}/${policy.policy_key}/impact`, {
      sections: {
        authorized_networks: {
          allow_without_2fa_networks: ["203.0.113.0/24"],
          require_2fa_networks: [],
          deny_other_networks: false,
        },
      },
    });
    expect(answer).toMatchObject({
      stat: "OK",
      response: {
        days: 30,
        attempts: 4,
        changed_attempts: 3,
        // Names nobody has are as many people as names: each its own row.
        changes: [
          {
            application: { id: apps.impact },
            user: { id: null, username: "nobody" },
            before: "must enroll",
            after: "no second factor",
            attempts: 2,
          },
          {
            application: { id: apps.impact },
            user: { id: null, username: "somebody" },
            before: "must enroll",
            after: "no second factor",
            attempts: 1,
          },
        ],
      },
    });
    expect(await snapshot()).toEqual(before);
    const refused = await call("POST", `${BASE}/${policy.policy_key}/impact`, {
      sections: { browsers: {} },
    });
    expect(refused).toMatchObject({ stat: "FAIL", code: 40002 });
  });

  it("a form body (v2 signature) is refused by name: the policy endpoints take JSON", async () => {
    const before = await snapshot();
    const answer = await officialClient(server, writer, 2)("POST", BASE, { policy_name: "Form" });
    expect(answer).toEqual({
      stat: "FAIL",
      code: 40002,
      message: "Invalid request parameters",
      message_detail: "policy_name: must be sent in a JSON body (sign the request with v5)",
    });
    expect(await snapshot()).toEqual(before);
  });

  describe("in an account of its own", () => {
    let own: Credentials;
    let app: string;
    let group: string;

    beforeAll(async () => {
      const { db } = server.database.handle;
      const id = await insertAccount(db, { name: "Summary Corp" });
      own = await createCredentials(server, id, "adminapi", ["adminapi_write_resource"]);
      app = await insertApplication(db, server.database.secrets, { accountId: id });
      group = await insertGroup(db, id);
    });

    it("GET pages the policies, the global one first, then by name", async () => {
      const ownCall = officialClient(server, own, 5);
      const beta = await ownCall("POST", BASE, { policy_name: "Beta" });
      const alpha = await ownCall("POST", BASE, {
        policy_name: "Alpha",
        apply_to_apps: { apply_list: [app] },
        apply_to_groups_in_apps: {
          apply_group_policies_list: [{ app_integration_key: app, group_id_list: [group] }],
        },
      });
      const first = await ownCall("GET", BASE, { limit: "2" });
      expect(first).toMatchObject({
        stat: "OK",
        metadata: { total_objects: 3, next_offset: 2 },
      });
      expect(first.metadata).not.toHaveProperty("prev_offset");
      const [global, second] = first.response as Policy[];
      expect(global).toMatchObject({ is_global_policy: true, sections: GLOBAL_DEFAULTS });
      expect(second).toEqual(alpha.response);
      const last = await ownCall("GET", BASE, { limit: "2", offset: "2" });
      expect(last).toEqual({
        stat: "OK",
        response: [beta.response],
        metadata: { total_objects: 3, prev_offset: 0 },
      });
      const clamped = await ownCall("GET", BASE, { limit: "5000" });
      expect(clamped).toMatchObject({ stat: "OK", metadata: { total_objects: 3 } });
      expect(clamped.response).toHaveLength(3);
      expect(clamped.metadata).not.toHaveProperty("next_offset");
      const bad = await ownCall("GET", BASE, { limit: "many" });
      expect(bad).toMatchObject({ stat: "FAIL", code: 40002 });
      expect(bad.message_detail).toBe("limit: must be a whole number");
    });

    it("GET summary counts where each policy applies", async () => {
      const ownCall = officialClient(server, own, 5);
      const all = (await ownCall("GET", BASE)).response as Policy[];
      const [global, alpha, beta] = all;
      expect(await ownCall("GET", `${BASE}/summary`)).toEqual({
        stat: "OK",
        response: {
          policies: [
            {
              policy_key: global?.policy_key,
              policy_name: "Global Policy",
              is_global_policy: true,
              applied_to_apps: 0,
              applied_to_groups: 0,
            },
            {
              policy_key: alpha?.policy_key,
              policy_name: "Alpha",
              is_global_policy: false,
              applied_to_apps: 1,
              applied_to_groups: 1,
            },
            {
              policy_key: beta?.policy_key,
              policy_name: "Beta",
              is_global_policy: false,
              applied_to_apps: 0,
              applied_to_groups: 0,
            },
          ],
          policy_count: 3,
        },
      });
    });
  });
});
