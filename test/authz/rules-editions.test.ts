import { describe, expect, it } from "vitest";
import {
  accessibleSubaccounts,
  accessSummaryRows,
  compile,
  decide,
  effectiveRole,
  type Principal,
  type Target,
} from "../../src/authz/index.js";
import { admin, subaccount, tenant, unit } from "./tenant.js";

const as = (adminId: string): Principal => ({ kind: "admin", adminId });

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
    // While Free, RO's [US] tag is kept but not applied: everyone acts as an Owner (R-PLAN-1) and
    // reaches every subaccount; back on Premier the tag rules again (R-TAG-2).
    expect(accessibleSubaccounts(free, "RO")).toEqual(["S1"]);
    expect(accessibleSubaccounts(back, "RO")).toEqual([]);
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
    expect(decide(snapshot, as("HD"), "users:delete", user).reason).toBe(
      "Help Desk administrators cannot delete a user; only Owners, Administrators and User Managers can." +
        ' Of "Manage users and directory sync", Help Desk administrators may only change a user\'s full name,' +
        " change a user's email, change a user's notes, change a user's status from Locked Out to Active," +
        " send an enrollment email and sync a single user from the directory.",
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
