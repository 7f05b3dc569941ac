import { describe, expect, it } from "vitest";
import {
  type AdminStatus,
  accessSummaryRows,
  compile,
  decide,
  effectiveRole,
  type Principal,
  simulate,
  type TenantModel,
} from "../../src/authz/index.js";
import { admin, subaccount, tenant } from "./tenant.js";

const as = (adminId: string): Principal => ({ kind: "admin", adminId });

/**
 * Issue 13 item 6, R-SUM-1 Decision: the summary and the preview show the access each admin is
 * configured to have, with their status beside it; decide() still lets only Active admins act.
 */
describe("configured access of admins who are not Active (R-SUM-1 Decision, R-ADM-1)", () => {
  const model = (status: AdminStatus = "Pending Activation"): TenantModel =>
    tenant({
      subaccounts: [
        subaccount("S-GOV", "Cedar County", ["Gov"]),
        subaccount("S-EU", "Acme EU", ["EU"]),
        subaccount("S-OPEN", "Iris Design", []),
      ],
      admins: [
        admin("OWN", "P", "Owner"),
        admin("NEWOWNER", "P", "Owner", { status }),
        admin("NEWHD", "P", "Help Desk", { status, tags: ["EU"], subaccountRole: "Read-only" }),
      ],
    });

  it("issue 13 item 6, R-SUM-1: a pending Owner's row shows Owner in every subaccount", () => {
    const snapshot = compile(model());
    const rows = [...accessSummaryRows(snapshot)];
    expect(rows[0]).toBe("Administrator,Status,Cedar County,Acme EU,Iris Design");
    expect(rows).toContain("NEWOWNER <newowner@example.com>,Pending Activation,Owner,Owner,Owner");
    expect(rows).toContain("NEWHD <newhd@example.com>,Pending Activation,,Read-only,Read-only");
    // R-ADM-1: the row is what activation gives, not a permission today.
    for (const accountId of ["P", "S-GOV", "S-EU", "S-OPEN"]) {
      expect(decide(snapshot, as("NEWOWNER"), "users:view", { accountId })).toMatchObject({
        allow: false,
        rule: "R-ADM-1",
      });
      expect(effectiveRole(snapshot, "NEWOWNER", accountId)).toBeNull();
    }
  });

  it.each(["Disabled", "Expired"] as const)(
    "issue 13 item 6, R-SUM-1: a %s admin's row shows their configured access and their status",
    (status) => {
      const rows = [...accessSummaryRows(compile(model(status)))];
      expect(rows).toContain(`NEWOWNER <newowner@example.com>,${status},Owner,Owner,Owner`);
      expect(rows).toContain(`NEWHD <newhd@example.com>,${status},,Read-only,Read-only`);
    },
  );

  it("issue 13 item 6, R-TAG-2: a pending admin's tag change previews as gaining access, with their status", () => {
    const snapshot = compile(model());
    const result = simulate(snapshot, { kind: "admin", adminId: "NEWHD", tags: ["EU", "Gov"] });
    expect(result.gains).toEqual([
      {
        adminId: "NEWHD",
        email: "newhd@example.com",
        accountId: "S-GOV",
        accountName: "Cedar County",
        before: null,
        after: "Read-only",
        statusBefore: "Pending Activation",
        status: "Pending Activation",
      },
    ]);
    expect(result.losses).toEqual([]);
    const dropped = simulate(snapshot, { kind: "admin", adminId: "NEWHD", tags: [] });
    expect(dropped.losses.map((d) => [d.accountId, d.before, d.after, d.status])).toEqual([
      ["S-EU", "Read-only", null, "Pending Activation"],
    ]);
  });

  it("issue 13 item 6, R-SUB-1: a pending admin's role and subaccount role changes preview as role changes", () => {
    const snapshot = compile(model());
    const role = simulate(snapshot, { kind: "admin", adminId: "NEWHD", role: "User Manager" });
    expect(role.changes.map((d) => [d.accountId, d.before, d.after, d.status])).toEqual([
      ["P", "Help Desk", "User Manager", "Pending Activation"],
    ]);
    const sub = simulate(snapshot, {
      kind: "admin",
      adminId: "NEWHD",
      subaccountRole: "Administrator",
    });
    expect(sub.changes.map((d) => [d.accountId, d.before, d.after]).sort()).toEqual([
      ["S-EU", "Read-only", "Administrator"],
      ["S-OPEN", "Read-only", "Administrator"],
    ]);
    // Was: both previews said nobody gains or loses access.
    expect(role.changes.length + sub.changes.length).toBeGreaterThan(0);
  });

  it("issue 13 item 6, R-ADM-1: disabling an Active admin previews as losing access, enabling one as gaining it", () => {
    const active = compile(model("Active"));
    const disabled = simulate(active, { kind: "admin", adminId: "NEWHD", status: "Disabled" });
    expect(disabled.losses.map((d) => [d.accountId, d.before, d.after, d.status]).sort()).toEqual([
      ["P", "Help Desk", "Help Desk", "Disabled"],
      ["S-EU", "Read-only", "Read-only", "Disabled"],
      ["S-OPEN", "Read-only", "Read-only", "Disabled"],
    ]);
    expect(disabled.gains).toEqual([]);
    const enabled = simulate(compile(model("Disabled")), {
      kind: "admin",
      adminId: "NEWHD",
      status: "Active",
    });
    expect(enabled.gains.map((d) => [d.accountId, d.statusBefore, d.status]).sort()).toEqual([
      ["P", "Disabled", "Active"],
      ["S-EU", "Disabled", "Active"],
      ["S-OPEN", "Disabled", "Active"],
    ]);
  });

  it("issue 13 item 6, R-UNIT-4: a pending admin's unit change previews as a scope change, with their status", () => {
    const base = model();
    const snapshot = compile({
      ...base,
      admins: base.admins.map((a) => (a.id === "NEWHD" ? { ...a, restricted: true } : a)),
      units: [
        {
          id: "N1",
          accountId: "P",
          name: "North",
          allGroups: false,
          allApplications: false,
          adminIds: [],
          groupIds: ["G1"],
          applicationIds: [],
        },
      ],
    });
    const result = simulate(snapshot, { kind: "admin", adminId: "NEWHD", unitIds: ["N1"] });
    expect(result.scopes).toEqual([
      {
        adminId: "NEWHD",
        email: "newhd@example.com",
        status: "Pending Activation",
        groups: { before: [], after: ["G1"] },
        applications: { before: [], after: [] },
      },
    ]);
  });
});
