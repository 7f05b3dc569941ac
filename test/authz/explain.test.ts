import { describe, expect, it } from "vitest";
import { compile, decide, explain, type Principal } from "../../src/authz/index.js";
import { admin, subaccount, tenant, unit } from "./tenant.js";

const as = (adminId: string): Principal => ({ kind: "admin", adminId });

describe("explain", () => {
  const snapshot = compile(
    tenant({
      subaccounts: [subaccount("S-GOV", "Cedar County", ["Gov"])],
      admins: [
        admin("EU", "P", "Help Desk", { tags: ["EU"], subaccountRole: "Administrator" }),
        admin("US", "P", "Help Desk", { restricted: true }),
      ],
      units: [unit("N-US", "P", { groupIds: ["G-US"], adminIds: ["US"] })],
    }),
  );

  it("R-TAG-2: the chain names the admin, the account, the tags, and ends with the deciding rule", () => {
    const { decision, facts } = explain(snapshot, as("EU"), "users:view", { accountId: "S-GOV" });
    expect(decision).toEqual(decide(snapshot, as("EU"), "users:view", { accountId: "S-GOV" }));
    expect(facts[0]).toBe(
      "eu@example.com is a parent-level administrator of Parent MSP (the parent account, Premier edition); status: Active.",
    );
    expect(facts).toContain('Role: Help Desk; in subaccounts: Administrator; access tags: "EU".');
    expect(facts).toContain('Acting in Cedar County (a subaccount tagged "Gov", Premier edition).');
    expect(facts).toContain("Cannot open Cedar County: no access tag in common.");
    expect(facts.at(-1)).toBe(`Denied: ${decision.reason}`);
  });

  it("R-ROLE-3, R-UNIT-4: the R-ROLE-2 cell and the units are facts too", () => {
    const { facts } = explain(snapshot, as("US"), "users:delete", { accountId: "P" });
    expect(facts).toContain('Restricted to the administrative unit "N-US" in Parent MSP.');
    expect(facts).toContain(
      'To delete a user is part of "Manage users and directory sync"; Help Desk administrators have only part of it.',
    );
    expect(facts.at(-1)).toMatch(/^Denied: Help Desk administrators cannot delete a user; /);
  });
});
