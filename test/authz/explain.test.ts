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
      "eu@example.com is a parent-level administrator of Parent MSP (the parent account, Premier), status Active",
    );
    expect(facts).toContain("acting in Cedar County (subaccount with tags [Gov], Premier)");
    expect(facts).toContain("R-TAG-2: cannot access Cedar County");
    expect(facts.at(-1)).toBe(`denied: ${decision.reason}`);
  });

  it("R-ROLE-3, R-UNIT-4: the R-ROLE-2 cell and the units are facts too", () => {
    const { facts } = explain(snapshot, as("US"), "users:delete", { accountId: "P" });
    expect(facts).toContain("R-UNIT-4: restricted to units [N-US] in Parent MSP");
    expect(facts).toContain(
      'users:delete is in the row "Manage users and directory sync"; for Help Desk the cell is ✅* (limited, R-ROLE-3)',
    );
    expect(facts.at(-1)).toMatch(/^denied: R-ROLE-3: /);
  });
});
