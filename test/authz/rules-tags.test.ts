import { describe, expect, it } from "vitest";
import {
  accessibleSubaccounts,
  accessSummaryRows,
  compile,
  decide,
  effectiveRole,
  type Principal,
} from "../../src/authz/index.js";
import { admin, subaccount, tenant } from "./tenant.js";

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
      'You cannot open Cedar County: it is tagged "Government Restricted", and your access tags are "EU". An administrator needs one of its tags, spelt exactly the same (tags are case-sensitive).',
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
    expect(rows[0]).toBe("Administrator,Status,Cedar County,Iris Design,Lowercase Gov,Acme EU");
    expect(rows).toContain("OWN <own@example.com>,Active,Owner,Owner,Owner,Owner");
    expect(rows).toContain("GOVRO <govro@example.com>,Active,Owner,Owner,,");
    expect(rows).toContain("EUHD <euhd@example.com>,Active,,Help Desk,,Help Desk");
    expect(rows.some((row) => row.startsWith("SUBADMIN"))).toBe(false);
  });
});
