/** The rules of SPEC sections 2-5 that rules.test.ts does not name, each on its seed scenario. */
import { describe, expect, it } from "vitest";
import {
  accessibleSubaccounts,
  compile,
  decide,
  effectiveRole,
  type Principal,
  simulate,
  unitScope,
} from "../../src/authz/index.js";
import { admin, subaccount, tenant, unit } from "./tenant.js";

const as = (adminId: string): Principal => ({ kind: "admin", adminId });

describe("subaccount roles and the account switcher", () => {
  const snapshot = compile(
    tenant({
      subaccounts: [
        subaccount("S-GOV", "Cedar County", ["Government Restricted"]),
        subaccount("S-OPEN", "Iris Design"),
      ],
      admins: [
        admin("SYNCED", "P", "User Manager", { subaccountRole: null, directorySynced: true }),
        admin("EU", "P", "Help Desk", { tags: ["EU"] }),
      ],
    }),
  );

  it("R-SUB-3: without a saved subaccount role (a synced admin), the account role applies in subaccounts", () => {
    expect(effectiveRole(snapshot, "SYNCED", "S-OPEN")).toBe("User Manager");
    expect(decide(snapshot, as("SYNCED"), "users:create", { accountId: "S-OPEN" }).allow).toBe(
      true,
    );
  });

  it("R-TAG-4: every parent-level admin lists all subaccounts; opening one they cannot access shows why and nothing of it", () => {
    expect(decide(snapshot, as("EU"), "subaccounts:list", { accountId: "P" }).allow).toBe(true);
    const opened = decide(snapshot, as("EU"), "users:view", { accountId: "S-GOV" });
    expect(opened).toMatchObject({ allow: false, rule: "R-TAG-2" });
    expect(opened.reason).toContain(
      'You cannot open Cedar County: it is tagged "Government Restricted", and your access tags are "EU".',
    );
  });

  it("R-TAG-5: the switcher offers only accessible subaccounts and refuses the others with a reason", () => {
    expect(accessibleSubaccounts(snapshot, "EU")).toEqual(["S-OPEN"]);
    expect(decide(snapshot, as("EU"), "accounts:switch", { accountId: "S-OPEN" }).allow).toBe(true);
    const refused = decide(snapshot, as("EU"), "accounts:switch", { accountId: "S-GOV" });
    expect(refused.allow).toBe(false);
    expect(refused).toMatchObject({ rule: "R-TAG-2" });
    expect(refused.reason).toMatch(/^You cannot open Cedar County: /);
  });
});

describe("administrative units: scopes, overlaps, preview and API", () => {
  const model = tenant({
    admins: [
      admin("O", "P", "Owner"),
      admin("US", "P", "Help Desk", { restricted: true }),
      admin("NET", "P", "Application Manager", { restricted: true }),
      admin("ALL", "P", "User Manager", { restricted: true }),
    ],
    units: [
      unit("N-US", "P", { groupIds: ["G-US", "G-SHARED"], adminIds: ["US"] }),
      unit("N-EU", "P", { groupIds: ["G-EU", "G-SHARED"], applicationIds: ["APP-VPN"] }),
      unit("N-NET", "P", { applicationIds: ["APP-RDP"], adminIds: ["NET"] }),
      unit("N-ALL", "P", { allGroups: true, allApplications: true, adminIds: ["ALL"] }),
    ],
  });
  const snapshot = compile(model);

  it('R-UNIT-2: a unit manages "all users" or chosen groups, and "all applications" or chosen ones', () => {
    expect(unitScope(snapshot, "ALL", "P")).toMatchObject({
      allGroups: true,
      allApplications: true,
    });
    const us = unitScope(snapshot, "US", "P");
    expect(us?.allGroups).toBe(false);
    expect([...(us?.groupIds ?? [])].sort()).toEqual(["G-SHARED", "G-US"]);
    expect([...(us?.applicationIds ?? [])]).toEqual([]);
  });

  it("R-UNIT-3: a group can sit in many units, each granting it; an application belongs to one", () => {
    // G-SHARED is in N-US and N-EU: the US help desk manages its members through N-US.
    const shared = {
      accountId: "P",
      object: { kind: "user" as const, id: "U1", groupIds: ["G-SHARED"] },
    };
    expect(decide(snapshot, as("US"), "phones:update", shared).allow).toBe(true);
    const vpn = { accountId: "P", object: { kind: "application" as const, id: "APP-VPN" } };
    expect(decide(snapshot, as("NET"), "applications:update", vpn)).toMatchObject({
      allow: false,
      rule: "R-UNIT-8c",
    });
  });

  it("R-UNIT-7: before saving, the preview tells how many groups and applications the admin will manage, and which", () => {
    const preview = simulate(snapshot, {
      kind: "admin",
      adminId: "NET",
      unitIds: ["N-NET", "N-EU"],
    });
    const scope = preview.scopes.find((delta) => delta.adminId === "NET");
    expect(scope?.groups).toEqual({ before: [], after: ["G-EU", "G-SHARED"] });
    expect(scope?.applications).toEqual({ before: ["APP-RDP"], after: ["APP-RDP", "APP-VPN"] });
    // Nothing is saved: the snapshot still answers as before.
    expect([...(unitScope(snapshot, "NET", "P")?.applicationIds ?? [])]).toEqual(["APP-RDP"]);
  });

  it("R-UNIT-9: units are managed through the Admin API with the administrators grant", () => {
    const api = (grants: ("adminapi_admins" | "adminapi_read_resource")[]): Principal => ({
      kind: "application",
      id: "DI1",
      accountId: "P",
      type: "adminapi",
      grants,
    });
    expect(
      decide(snapshot, api(["adminapi_admins"]), "units:manage", { accountId: "P" }).allow,
    ).toBe(true);
    expect(
      decide(snapshot, api(["adminapi_read_resource"]), "units:manage", { accountId: "P" }),
    ).toMatchObject({ allow: false, rule: "R-ROLE-2" });
  });
});
