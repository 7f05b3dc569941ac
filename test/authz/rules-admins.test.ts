import { describe, expect, it } from "vitest";
import {
  type AdminChange,
  type ApiGrant,
  compile,
  decide,
  type Principal,
  type Target,
} from "../../src/authz/index.js";
import { admin, subaccount, tenant } from "./tenant.js";

const as = (adminId: string): Principal => ({ kind: "admin", adminId });

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
