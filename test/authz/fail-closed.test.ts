/**
 * Regressions: each test opens with the hole it closes. All were found by probing the engine with
 * requests the rest of the system can send (a role string loaded from the database, an object id
 * taken from a URL, an integration of the wrong type).
 */
import { describe, expect, it } from "vitest";
import {
  accessSummaryRows,
  compile,
  decide,
  effectiveRole,
  type Principal,
  type Role,
} from "../../src/authz/index.js";
import { admin, subaccount, tenant, unit } from "./tenant.js";

const as = (adminId: string): Principal => ({ kind: "admin", adminId });

const snapshot = compile(
  tenant({
    subaccounts: [subaccount("S1", "Acme", ["Gov"]), subaccount("S2", "Beta")],
    admins: [
      admin("OWNER", "P", "Owner"),
      admin("OWNER2", "P", "Owner"),
      admin("RO", "P", "Read-only", { subaccountRole: "Owner" }),
      admin("HD", "P", "Help Desk"),
      admin("CUST", "S1", "Owner", { subaccountRole: null }),
      admin("CUST2", "S1", "Help Desk", { subaccountRole: null }),
      admin("CUST3", "S2", "Help Desk", { subaccountRole: null }),
      // The database stores roles as strings; Duo also knows "Phishing Manager".
      admin("PHISH", "P", "Phishing Manager" as Role, {
        subaccountRole: "Phishing Manager" as Role,
      }),
      admin("ADM", "P", "Administrator"),
    ],
  }),
);

describe("unknown input fails closed", () => {
  it("R-ROLE-1: a role outside the seven may do nothing, anywhere", () => {
    // Was: the role table had no row for the role, the lookup returned undefined, and undefined
    // read as "no refusal": "Phishing Manager" could delete Owners and change settings.
    for (const [action, accountId] of [
      ["admins:delete", "P"],
      ["settings:modify", "P"],
      ["users:view", "S2"],
      ["profile:edit", "P"],
    ] as const) {
      const decision = decide(snapshot, as("PHISH"), action, {
        accountId,
        object: action === "admins:delete" ? { kind: "admin", id: "OWNER2" } : undefined,
      });
      expect(decision, action).toMatchObject({ allow: false, rule: "R-ROLE-1" });
    }
    expect(effectiveRole(snapshot, "PHISH", "P")).toBeNull();
    const row = [...accessSummaryRows(snapshot)].find((line) => line.startsWith("PHISH"));
    expect(row).toBe("PHISH <phish@example.com>,Active,,");
  });

  it("R-TEN-2: the system acts only in accounts of this tenant", () => {
    // Was: the system principal skipped every account check, so any account id was "allowed".
    expect(
      decide(snapshot, { kind: "system" }, "settings:modify", { accountId: "DA-ELSEWHERE" }),
    ).toMatchObject({ allow: false, rule: "R-TEN-2" });
    expect(decide(snapshot, { kind: "system" }, "settings:modify", { accountId: "S1" }).allow).toBe(
      true,
    );
  });

  it("R-TEN-5: only Admin API and Accounts API applications administer", () => {
    // Was: the application's type was never read at run time, so a principal built from an
    // ordinary integration (a Web SDK application, say) acted with whatever grants it carried.
    const websdk = {
      kind: "application",
      id: "DI-WEB",
      accountId: "P",
      type: "websdk",
      grants: ["adminapi_admins"],
    } as unknown as Principal;
    expect(decide(snapshot, websdk, "admins:create", { accountId: "P" })).toMatchObject({
      allow: false,
      rule: "R-TEN-5",
    });
  });
});

describe("administrators are managed in their own account", () => {
  it("R-SUB-7: subaccount role Owner never reaches the parent, not even by naming a parent admin", () => {
    // Was: the target admin's account was never compared with the account acted in, so a Read-only
    // admin with subaccount role Owner, "acting in" any subaccount, could delete a parent Owner or
    // make a Help Desk admin an Owner at the parent.
    const inS2 = (id: string) => ({ accountId: "S2", object: { kind: "admin" as const, id } });
    expect(decide(snapshot, as("RO"), "admins:delete", inS2("OWNER2"))).toMatchObject({
      allow: false,
      rule: "R-TEN-2",
    });
    expect(
      decide(snapshot, as("RO"), "admins:update", { ...inS2("HD"), adminChange: { role: "Owner" } })
        .allow,
    ).toBe(false);
    expect(decide(snapshot, as("RO"), "admins:view", inS2("OWNER")).allow).toBe(false);
    // What subaccount role Owner does give: the admins of the subaccount itself.
    expect(decide(snapshot, as("RO"), "admins:delete", inS2("CUST3")).allow).toBe(true);
    expect(decide(snapshot, as("OWNER"), "admins:delete", inS2("CUST2")).allow).toBe(false);
    expect(
      decide(snapshot, as("OWNER"), "admins:delete", {
        accountId: "S1",
        object: { kind: "admin", id: "CUST2" },
      }).allow,
    ).toBe(true);
  });

  it("R-SUB-5: an end-customer Owner cannot touch the parent's administrators", () => {
    // Was: CUST, Owner of S1 only, could delete OWNER2 by sending account S1 and object OWNER2.
    const decision = decide(snapshot, as("CUST"), "admins:delete", {
      accountId: "S1",
      object: { kind: "admin", id: "OWNER2" },
    });
    expect(decision).toMatchObject({ allow: false, rule: "R-TEN-2" });
    expect(decision.reason).toContain("owner2@example.com is an administrator of Parent MSP");
  });

  it("R-TEN-2: an API application manages only the admins of the account it calls for", () => {
    const api: Principal = {
      kind: "application",
      id: "DI1",
      accountId: "P",
      type: "accountsapi",
      grants: ["adminapi_admins"],
    };
    expect(
      decide(snapshot, api, "admins:delete", {
        accountId: "S1",
        object: { kind: "admin", id: "OWNER2" },
      }).allow,
    ).toBe(false);
    expect(
      decide(snapshot, api, "admins:update", {
        accountId: "S1",
        object: { kind: "admin", id: "CUST2" },
      }).allow,
    ).toBe(true);
  });
});

describe("Admin API and Accounts API applications", () => {
  it("R-ROLE-2: Administrators manage applications, except the Admin API and Accounts API types", () => {
    // Was: the application's type was loaded (db/queries/object-facts.ts) but never read, so an
    // Administrator or Application Manager could edit or delete the Admin API application.
    const app = (type: string) => ({
      accountId: "P",
      object: { kind: "application" as const, id: "DI9", type },
    });
    expect(decide(snapshot, as("ADM"), "applications:update", app("websdk")).allow).toBe(true);
    for (const type of ["adminapi", "accountsapi"]) {
      for (const action of ["applications:update", "applications:delete", "applications:create"]) {
        expect(decide(snapshot, as("ADM"), action, app(type)), `${action} ${type}`).toMatchObject({
          allow: false,
          rule: "R-ROLE-2",
        });
      }
      expect(decide(snapshot, as("OWNER"), "applications:delete", app(type)).allow).toBe(true);
      // Seeing it is still "View basic ... applications".
      expect(decide(snapshot, as("ADM"), "applications:view", app(type)).allow).toBe(true);
    }
  });
});

describe("malformed objects fail closed", () => {
  it("R-UNIT-8a: a user object without its groups is out of a restricted admin's scope, not an exception", () => {
    const restricted = compile(
      tenant({
        admins: [admin("HD", "P", "Help Desk", { restricted: true })],
        units: [unit("U", "P", { groupIds: ["G1"], adminIds: ["HD"] })],
      }),
    );
    const malformed = { accountId: "P", object: { kind: "user", id: "U1" } } as never;
    expect(decide(restricted, as("HD"), "phones:update", malformed)).toMatchObject({
      allow: false,
      rule: "R-UNIT-8a",
    });
    const create = { accountId: "P", object: { kind: "user" } } as never;
    expect(decide(restricted, as("HD"), "users:sync_one", create).allow).toBe(false);
  });
});
