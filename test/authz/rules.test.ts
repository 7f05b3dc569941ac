import { describe, expect, it } from "vitest";
import {
  type AdminChange,
  type ApiGrant,
  accessibleSubaccounts,
  accessSummaryRows,
  compile,
  decide,
  effectiveRole,
  type Principal,
  type Target,
  unitScope,
} from "../../src/authz/index.js";
import { account, admin, subaccount, tenant, unit } from "./tenant.js";

const as = (adminId: string): Principal => ({ kind: "admin", adminId });

describe("access tags and subaccount roles", () => {
  const model = tenant({
    subaccounts: [
      subaccount("S-GOV", "Cedar County", ["Government Restricted"]),
      subaccount("S-OPEN", "Iris Design", []),
      subaccount("S-gov", "Lowercase Gov", ["government restricted"]),
      subaccount("S-EU", "Acme EU", ["EU"]),
    ],
    admins: [
      admin("OWN", "P", "Owner", { tags: ["EU"] }),
      admin("GOVRO", "P", "Read-only", {
        tags: ["Government Restricted"],
        subaccountRole: "Owner",
      }),
      admin("EUHD", "P", "Help Desk", { tags: ["EU"] }),
      admin("SUBADMIN", "S-EU", "Owner", { subaccountRole: null }),
    ],
  });
  const snapshot = compile(model);

  it('R-TAG-2: admins tagged "Government Restricted" reach subaccounts with that tag; others do not', () => {
    expect(decide(snapshot, as("GOVRO"), "users:view", { accountId: "S-GOV" }).allow).toBe(true);
    const denied = decide(snapshot, as("EUHD"), "users:view", { accountId: "S-GOV" });
    expect(denied).toMatchObject({ allow: false, rule: "R-TAG-2" });
    expect(denied.reason).toBe(
      "R-TAG-2: subaccount Cedar County has tags [Government Restricted]; you have [EU]; tags are case-sensitive",
    );
  });

  it("R-TAG-1, R-TAG-2: tags are case-sensitive", () => {
    expect(decide(snapshot, as("GOVRO"), "users:view", { accountId: "S-gov" }).allow).toBe(false);
  });

  it("R-TAG-2b: a subaccount without tags is open to every parent-level admin", () => {
    expect(accessibleSubaccounts(snapshot, "EUHD")).toEqual(["S-OPEN", "S-EU"]);
  });

  it("R-TAG-2a: an Owner with a tag still reaches untagged and differently tagged subaccounts", () => {
    expect(accessibleSubaccounts(snapshot, "OWN")).toEqual(["S-GOV", "S-OPEN", "S-gov", "S-EU"]);
  });

  it("R-SUB-7: a Read-only admin with subaccount role Owner is Owner in the subaccounts, never at the parent", () => {
    expect(effectiveRole(snapshot, "GOVRO", "S-GOV")).toBe("Owner");
    expect(
      decide(snapshot, as("GOVRO"), "users:delete", {
        accountId: "S-GOV",
        object: { kind: "user", id: "U1", groupIds: [] },
      }).allow,
    ).toBe(true);
    expect(
      decide(snapshot, as("GOVRO"), "users:delete", {
        accountId: "P",
        object: { kind: "user", id: "U1", groupIds: [] },
      }),
    ).toMatchObject({
      allow: false,
      rule: "R-ROLE-2",
    });
  });

  it("R-SUB-5: an admin of a subaccount reaches only that subaccount", () => {
    expect(decide(snapshot, as("SUBADMIN"), "users:view", { accountId: "S-EU" }).allow).toBe(true);
    expect(decide(snapshot, as("SUBADMIN"), "users:view", { accountId: "P" })).toMatchObject({
      allow: false,
      rule: "R-SUB-5",
    });
    expect(decide(snapshot, as("SUBADMIN"), "users:view", { accountId: "S-OPEN" })).toMatchObject({
      allow: false,
      rule: "R-SUB-5",
    });
    expect(accessibleSubaccounts(snapshot, "SUBADMIN")).toEqual([]);
  });

  it("R-SUB-4: subaccount roles and tags are edited only by Owners at the parent", () => {
    expect(decide(snapshot, as("OWN"), "tags:manage", { accountId: "P" }).allow).toBe(true);
    expect(decide(snapshot, as("GOVRO"), "tags:manage", { accountId: "S-GOV" })).toMatchObject({
      allow: false,
      rule: "R-SUB-4",
    });
    expect(decide(snapshot, as("GOVRO"), "tags:manage", { accountId: "P" })).toMatchObject({
      allow: false,
      rule: "R-ROLE-2",
    });
  });

  it("R-TEN-2: an account outside the tenant is unreachable", () => {
    expect(decide(snapshot, as("OWN"), "users:view", { accountId: "ELSEWHERE" })).toMatchObject({
      allow: false,
      rule: "R-TEN-2",
    });
  });

  it("R-SUM-1: the access summary lists parent-level admins by subaccount with their subaccount role or nothing", () => {
    const rows = [...accessSummaryRows(snapshot)];
    expect(rows[0]).toBe("Administrator,Cedar County,Iris Design,Lowercase Gov,Acme EU");
    expect(rows).toContain("OWN <own@example.com>,Owner,Owner,Owner,Owner");
    expect(rows).toContain("GOVRO <govro@example.com>,Owner,Owner,,");
    expect(rows).toContain("EUHD <euhd@example.com>,,Help Desk,,Help Desk");
    expect(rows.some((row) => row.startsWith("SUBADMIN"))).toBe(false);
  });
});

describe("administrative units: the Acme help desk example", () => {
  // Acme: the US team assists only US users, the EU team only EU users, level two assists everyone,
  // no help desk team manages applications; the networking team manages the VPN app but no users.
  const model = tenant({
    parent: account("P", "Acme Corp"),
    admins: [
      admin("OWNER", "P", "Owner"),
      admin("US-HD", "P", "Help Desk", { restricted: true }),
      admin("EU-HD", "P", "Help Desk", { restricted: true }),
      admin("L2-HD", "P", "Help Desk"),
      admin("NET", "P", "Application Manager", { restricted: true }),
      admin("ORPHAN", "P", "User Manager", { restricted: true }),
    ],
    units: [
      unit("UNIT-US", "P", { groupIds: ["G-US"], adminIds: ["US-HD"] }),
      unit("UNIT-EU", "P", { groupIds: ["G-EU"], adminIds: ["EU-HD"] }),
      unit("UNIT-NET", "P", { applicationIds: ["APP-VPN"], adminIds: ["NET"] }),
    ],
  });
  const snapshot = compile(model);
  const phoneOf = (groupIds: string[]): Target => ({
    accountId: "P",
    object: { kind: "user", id: "U1", groupIds },
  });

  it("R-UNIT-4: the EU help desk resets phones of EU users only; the level-two team of everyone", () => {
    expect(decide(snapshot, as("EU-HD"), "phones:update", phoneOf(["G-EU"])).allow).toBe(true);
    expect(decide(snapshot, as("EU-HD"), "phones:update", phoneOf(["G-US"]))).toMatchObject({
      allow: false,
      rule: "R-UNIT-8a",
    });
    expect(decide(snapshot, as("US-HD"), "phones:update", phoneOf(["G-US", "G-EU"])).allow).toBe(
      true,
    );
    expect(decide(snapshot, as("L2-HD"), "phones:update", phoneOf(["G-US"])).allow).toBe(true);
  });

  it("R-UNIT-8i: the help desk units choose no applications, so they manage none", () => {
    expect(unitScope(snapshot, "EU-HD", "P")).toMatchObject({
      all: false,
      allApplications: false,
      applicationIds: new Set(),
    });
  });

  it("R-UNIT-8c: the networking team manages the VPN application and no other, and no users", () => {
    const vpn: Target = { accountId: "P", object: { kind: "application", id: "APP-VPN" } };
    expect(decide(snapshot, as("NET"), "applications:update", vpn).allow).toBe(true);
    expect(
      decide(snapshot, as("NET"), "applications:update", {
        accountId: "P",
        object: { kind: "application", id: "APP-HR" },
      }),
    ).toMatchObject({
      allow: false,
      rule: "R-UNIT-8c",
    });
    expect(decide(snapshot, as("NET"), "users:delete", phoneOf([])).allow).toBe(false);
  });

  it("R-UNIT-6, R-UNIT-8a: a restricted admin creates users only into their units' groups", () => {
    const create = (groupIds: string[]): Target => ({
      accountId: "P",
      object: { kind: "user", groupIds },
    });
    const manager = compile({
      ...model,
      units: [...model.units, unit("UNIT-UM", "P", { groupIds: ["G-EU"], adminIds: ["ORPHAN"] })],
    });
    expect(decide(manager, as("ORPHAN"), "users:create", create(["G-EU"])).allow).toBe(true);
    expect(decide(manager, as("ORPHAN"), "users:create", create([]))).toMatchObject({
      allow: false,
      rule: "R-UNIT-8a",
    });
    expect(decide(manager, as("ORPHAN"), "users:create", create(["G-EU", "G-US"])).allow).toBe(
      false,
    );
    expect(
      decide(manager, as("ORPHAN"), "groups:create", { accountId: "P", object: { kind: "group" } })
        .allow,
    ).toBe(true);
  });

  it("R-UNIT-5: deleting an admin's last unit leaves them restricted with nothing but their profile", () => {
    expect(decide(snapshot, as("ORPHAN"), "users:view", phoneOf(["G-EU"]))).toMatchObject({
      allow: false,
      rule: "R-UNIT-5",
    });
    expect(decide(snapshot, as("ORPHAN"), "profile:edit", { accountId: "P" }).allow).toBe(true);
    const unitDeleted = compile({ ...model, units: model.units.filter((u) => u.id !== "UNIT-EU") });
    expect(decide(unitDeleted, as("EU-HD"), "phones:update", phoneOf(["G-EU"])).rule).toBe(
      "R-UNIT-5",
    );
  });

  it("R-UNIT-8e: restricted admins cannot run a full directory sync", () => {
    const um = compile({
      ...model,
      units: [...model.units, unit("UNIT-UM", "P", { allGroups: true, adminIds: ["ORPHAN"] })],
    });
    expect(decide(um, as("ORPHAN"), "directory:sync_full", { accountId: "P" })).toMatchObject({
      allow: false,
      rule: "R-UNIT-8e",
    });
    expect(decide(um, as("ORPHAN"), "users:sync_one", phoneOf(["G-ANY"])).allow).toBe(true);
  });

  it("R-UNIT-8d: policies touching anything out of scope cannot be edited; the global policy is read-only", () => {
    const policy = (applicationIds: string[], global = false): Target => ({
      accountId: "P",
      object: { kind: "policy", id: "POL", global, applicationIds, groupIds: [] },
    });
    const admins = compile({
      ...model,
      admins: [...model.admins, admin("NETADM", "P", "Administrator", { restricted: true })],
      units: [unit("U", "P", { applicationIds: ["APP-VPN"], adminIds: ["NETADM"] })],
    });
    expect(decide(admins, as("NETADM"), "policies:update", policy(["APP-VPN"])).allow).toBe(true);
    expect(
      decide(admins, as("NETADM"), "policies:update", policy(["APP-VPN", "APP-HR"])).rule,
    ).toBe("R-UNIT-8d");
    expect(decide(admins, as("NETADM"), "policies:update", policy([], true)).rule).toBe(
      "R-UNIT-8d",
    );
  });

  it("R-SUB-6: units belong to their account; a parent-level admin acts on all of a subaccount", () => {
    const withSub = compile({ ...model, subaccounts: [subaccount("S1", "Acme Labs")] });
    expect(unitScope(withSub, "EU-HD", "S1")).toMatchObject({ all: true });
    expect(
      decide(withSub, as("EU-HD"), "phones:update", {
        accountId: "S1",
        object: { kind: "user", id: "U9", groupIds: ["G-X"] },
      }).allow,
    ).toBe(true);
  });
});

describe("editions", () => {
  const paid = tenant({
    subaccounts: [subaccount("S1", "Sub", ["EU"], "Free")],
    admins: [
      admin("O", "P", "Owner"),
      admin("RO", "P", "Read-only", { tags: ["US"], restricted: true }),
      admin("SUBHD", "S1", "Help Desk", { subaccountRole: null }),
    ],
    units: [unit("U1", "P", { groupIds: ["G1"], adminIds: ["RO"] })],
  });

  it("R-PLAN-1: in the Free edition every admin acts as an Owner; roles cannot be assigned", () => {
    const free = compile({ ...paid, parent: { ...paid.parent, edition: "Free" } });
    expect(effectiveRole(free, "RO", "P")).toBe("Owner");
    expect(
      decide(free, as("O"), "admins:update", {
        accountId: "P",
        object: { kind: "admin", id: "RO" },
        adminChange: { role: "Billing" },
      }),
    ).toMatchObject({
      allow: false,
      rule: "R-PLAN-1",
    });
  });

  it("R-PLAN-2: downgrading to Free and back restores every role, tag and unit exactly", () => {
    const before = compile(paid);
    const free = compile({ ...paid, parent: { ...paid.parent, edition: "Free" } });
    const back = compile({ ...paid, parent: { ...paid.parent, edition: "Premier" } });
    expect(back.model).toEqual(before.model);
    for (const id of ["O", "RO"]) {
      for (const accountId of ["P", "S1"])
        expect(effectiveRole(back, id, accountId)).toBe(effectiveRole(before, id, accountId));
    }
    expect([...accessSummaryRows(back)]).toEqual([...accessSummaryRows(before)]);
    expect(accessibleSubaccounts(free, "RO")).toEqual([]);
  });

  it("R-PLAN-3: units are ignored while Free and cannot be managed there", () => {
    const free = compile({ ...paid, parent: { ...paid.parent, edition: "Free" } });
    expect(
      decide(free, as("RO"), "users:delete", {
        accountId: "P",
        object: { kind: "user", id: "U", groupIds: ["G-OTHER"] },
      }).allow,
    ).toBe(true);
    expect(decide(free, as("O"), "units:manage", { accountId: "P" })).toMatchObject({
      allow: false,
      rule: "R-PLAN-3",
    });
  });

  it("R-PLAN-4: a subaccount's edition governs only the admins added directly to it", () => {
    const snapshot = compile(paid);
    // S1 is Free: its own Help Desk admin acts as Owner there (R-PLAN-1) ...
    expect(effectiveRole(snapshot, "SUBHD", "S1")).toBe("Owner");
    // ... while parent-level admins keep the parent's (Premier) delegation in it.
    const reader = compile({
      ...paid,
      admins: [...paid.admins, admin("EURO", "P", "Read-only", { tags: ["EU"] })],
    });
    expect(effectiveRole(reader, "EURO", "S1")).toBe("Read-only");
  });
});

describe("administrator management", () => {
  const model = tenant({
    subaccounts: [subaccount("S1", "Sub")],
    admins: [
      admin("O1", "P", "Owner"),
      admin("AD", "P", "Administrator"),
      admin("SYNCED", "P", "Help Desk", { directorySynced: true }),
      admin("SUBO", "S1", "Owner", { subaccountRole: null }),
    ],
  });
  const snapshot = compile(model);
  const change = (id: string, adminChange: Target["adminChange"], accountId = "P"): Target => ({
    accountId,
    object: { kind: "admin", id },
    adminChange,
  });

  it("R-ROLE-5: only Owners manage administrators", () => {
    expect(
      decide(snapshot, as("O1"), "admins:update", change("AD", { role: "Billing" })).allow,
    ).toBe(true);
    expect(
      decide(snapshot, as("AD"), "admins:update", change("SYNCED", { status: "Disabled" })),
    ).toMatchObject({ allow: false, rule: "R-ROLE-2" });
  });

  it("R-ROLE-6: nobody changes their own role, subaccount role, tags or units", () => {
    const two = compile({ ...model, admins: [...model.admins, admin("O2", "P", "Owner")] });
    const ownChanges: AdminChange[] = [
      { role: "Billing" },
      { subaccountRole: "Billing" },
      { tags: ["EU"] },
      { unitIds: ["U"] },
    ];
    for (const own of ownChanges) {
      expect(decide(two, as("O1"), "admins:update", change("O1", own))).toMatchObject({
        allow: false,
        rule: "R-ROLE-6",
      });
    }
  });

  it("R-ROLE-7: every admin edits their own profile", () => {
    expect(decide(snapshot, as("SYNCED"), "profile:edit", { accountId: "P" }).allow).toBe(true);
  });

  it("R-ROLE-8: a directory-synced admin's role changes only by an upgrade to Owner", () => {
    expect(
      decide(snapshot, as("O1"), "admins:update", change("SYNCED", { role: "Billing" })),
    ).toMatchObject({ allow: false, rule: "R-ROLE-8" });
    expect(
      decide(
        snapshot,
        as("O1"),
        "admins:update",
        change("SYNCED", { role: "Owner", subaccountRole: "Owner" }),
      ).allow,
    ).toBe(true);
  });

  it("R-SUB-2: an Owner's subaccount role is Owner", () => {
    expect(
      decide(
        snapshot,
        as("O1"),
        "subaccount_roles:edit",
        change("SYNCED", { role: "Owner", subaccountRole: "Billing" }),
      ),
    ).toMatchObject({
      allow: false,
      rule: "R-SUB-2",
    });
  });

  it("R-UNIT-8h: Owners cannot be restricted by units", () => {
    expect(
      decide(
        snapshot,
        as("O1"),
        "admins:update",
        change("AD", { role: "Owner", restricted: true }),
      ),
    ).toMatchObject({ allow: false, rule: "R-UNIT-8h" });
  });

  it("R-ROLE-9: the last active Owner cannot be removed, disabled or demoted", () => {
    const withTwo = compile({ ...model, admins: [...model.admins, admin("O2", "P", "Owner")] });
    for (const adminChange of [{ role: "Administrator" }, { status: "Disabled" }] as const) {
      expect(decide(withTwo, as("O2"), "admins:update", change("O1", adminChange)).allow).toBe(
        true,
      );
      expect(
        decide(snapshot, { kind: "system" }, "admins:update", change("O1", adminChange)),
      ).toMatchObject({ allow: false, rule: "R-ROLE-9" });
    }
    expect(decide(snapshot, { kind: "system" }, "admins:delete", change("O1", {}))).toMatchObject({
      allow: false,
      rule: "R-ROLE-9",
    });
    // The subaccount's own last Owner is protected too.
    expect(decide(snapshot, as("O1"), "admins:delete", change("SUBO", {}, "S1"))).toMatchObject({
      allow: false,
      rule: "R-ROLE-9",
    });
  });

  it("R-UNIT-1: only Owners manage administrative units", () => {
    expect(decide(snapshot, as("O1"), "units:manage", { accountId: "P" }).allow).toBe(true);
    expect(decide(snapshot, as("AD"), "units:manage", { accountId: "P" })).toMatchObject({
      allow: false,
      rule: "R-ROLE-2",
    });
  });

  it("R-ADM-1: only Active admins act", () => {
    const disabled = compile({
      ...model,
      admins: model.admins.map((a) => (a.id === "AD" ? { ...a, status: "Disabled" as const } : a)),
    });
    expect(decide(disabled, as("AD"), "dashboard:view", { accountId: "P" })).toMatchObject({
      allow: false,
      rule: "R-ADM-1",
    });
  });
});

describe("role limits (R-ROLE-3, R-ROLE-4)", () => {
  const base = tenant({
    admins: [
      admin("HD", "P", "Help Desk"),
      admin("UM", "P", "User Manager"),
      admin("AM", "P", "Application Manager"),
    ],
  });
  const withSettings = (settings: Partial<(typeof base)["parent"]["settings"]>) =>
    compile({
      ...base,
      parent: { ...base.parent, settings: { ...base.parent.settings, ...settings } },
    });
  const user: Target = { accountId: "P", object: { kind: "user", id: "U", groupIds: [] } };

  it("R-ROLE-3: Help Desk renames a user but does not change the username, unlocks but does not set other statuses", () => {
    const snapshot = compile(base);
    expect(decide(snapshot, as("HD"), "users:update_name", user).allow).toBe(true);
    expect(decide(snapshot, as("HD"), "users:update_username", user)).toMatchObject({
      allow: false,
      rule: "R-ROLE-3",
    });
    expect(decide(snapshot, as("HD"), "users:unlock", user).allow).toBe(true);
    expect(decide(snapshot, as("HD"), "users:set_bypass", user).rule).toBe("R-ROLE-3");
    expect(decide(snapshot, as("HD"), "users:delete", user).reason).toContain(
      "Help Desk has only part of",
    );
  });

  it("R-ROLE-3: Application Manager sees no phone numbers, bypass codes or notes", () => {
    expect(decide(compile(base), as("AM"), "users:view", user).allow).toBe(true);
    expect(decide(compile(base), as("AM"), "users:view_details", user).rule).toBe("R-ROLE-3");
  });

  it("R-ROLE-4: Help Desk bypass codes: allow, limit to the expiration, or deny", () => {
    const code = (minutes: number | null): Target => ({
      ...user,
      bypassExpirationMinutes: minutes,
    });
    expect(
      decide(
        withSettings({ helpdesk_bypass: "allow" }),
        as("HD"),
        "bypass_codes:create",
        code(null),
      ).allow,
    ).toBe(true);
    const limit = withSettings({ helpdesk_bypass: "limit", helpdesk_bypass_expiration: 60 });
    expect(decide(limit, as("HD"), "bypass_codes:create", code(60)).allow).toBe(true);
    expect(decide(limit, as("HD"), "bypass_codes:create", code(61))).toMatchObject({
      allow: false,
      rule: "R-ROLE-4",
    });
    expect(decide(limit, as("HD"), "bypass_codes:create", code(null))).toMatchObject({
      allow: false,
      rule: "R-ROLE-4",
    });
    expect(
      decide(withSettings({ helpdesk_bypass: "deny" }), as("HD"), "bypass_codes:create", code(5))
        .rule,
    ).toBe("R-ROLE-4");
  });

  it("R-ROLE-4: enrollment emails for Help Desk and bypass status for User Managers follow the settings", () => {
    expect(decide(compile(base), as("HD"), "users:send_enrollment", user).rule).toBe("R-ROLE-4");
    expect(
      decide(
        withSettings({ helpdesk_can_send_enroll_email: true }),
        as("HD"),
        "users:send_enrollment",
        user,
      ).allow,
    ).toBe(true);
    expect(decide(compile(base), as("UM"), "users:set_bypass", user).allow).toBe(true);
    expect(
      decide(
        withSettings({ user_managers_can_put_users_in_bypass: false }),
        as("UM"),
        "users:set_bypass",
        user,
      ).rule,
    ).toBe("R-ROLE-4");
  });
});

describe("API applications (R-TEN-5)", () => {
  const snapshot = compile(
    tenant({
      subaccounts: [subaccount("S1", "Sub", ["Gov"])],
      admins: [admin("O1", "P", "Owner")],
    }),
  );
  const adminApi = (grants: ApiGrant[], accountId = "P"): Principal => ({
    kind: "application",
    id: "DI1",
    accountId,
    type: "adminapi",
    grants,
  });

  it("R-TEN-5: an Admin API application at the parent acts in any subaccount within its grants, tags or not", () => {
    expect(
      decide(snapshot, adminApi(["adminapi_read_resource"]), "users:view", { accountId: "S1" })
        .allow,
    ).toBe(true);
    expect(
      decide(snapshot, adminApi(["adminapi_read_resource"]), "users:delete", { accountId: "S1" })
        .allow,
    ).toBe(false);
  });

  it("R-TEN-5: an Accounts API application manages subaccounts and calls the Admin API only for children", () => {
    const accounts: Principal = {
      kind: "application",
      id: "DI2",
      accountId: "P",
      type: "accountsapi",
      grants: [],
    };
    expect(decide(snapshot, accounts, "subaccounts:create", { accountId: "P" }).allow).toBe(true);
    expect(decide(snapshot, accounts, "users:delete", { accountId: "S1" }).allow).toBe(true);
    expect(decide(snapshot, accounts, "users:delete", { accountId: "P" }).allow).toBe(false);
  });

  it("R-TEN-5: a subaccount's application acts in that subaccount only", () => {
    expect(
      decide(snapshot, adminApi(["adminapi_read_resource"], "S1"), "users:view", { accountId: "P" })
        .rule,
    ).toBe("R-TEN-5");
  });

  it("R-ADM-1: Owners cannot be disabled through the API", () => {
    const decision = decide(snapshot, adminApi(["adminapi_admins"]), "admins:update", {
      accountId: "P",
      object: { kind: "admin", id: "O1" },
      adminChange: { status: "Disabled" },
    });
    expect(decision).toMatchObject({ allow: false, rule: "R-ADM-1" });
  });
});
