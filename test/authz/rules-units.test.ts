import { describe, expect, it } from "vitest";
import { compile, decide, type Principal, type Target, unitScope } from "../../src/authz/index.js";
import { account, admin, subaccount, tenant, unit } from "./tenant.js";

const as = (adminId: string): Principal => ({ kind: "admin", adminId });

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

  it('R-UNIT-8a: a unit of "all users" covers a user in no group, as the lists show them; a specific unit does not', () => {
    const allUsers = compile({
      ...model,
      units: [...model.units, unit("UNIT-UM", "P", { allGroups: true, adminIds: ["ORPHAN"] })],
    });
    expect(decide(allUsers, as("ORPHAN"), "users:update_name", phoneOf([])).allow).toBe(true);
    expect(decide(snapshot, as("EU-HD"), "phones:update", phoneOf([]))).toMatchObject({
      allow: false,
      rule: "R-UNIT-8a",
    });
    // Creating still takes an in-scope group in the same request, whatever the unit.
    const create: Target = { accountId: "P", object: { kind: "user", groupIds: [] } };
    expect(decide(allUsers, as("ORPHAN"), "users:create", create).rule).toBe("R-UNIT-8a");
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
