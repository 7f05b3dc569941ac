import { describe, expect, it } from "vitest";
import { ACTION_NAMES, type Action, compile, decide, ROLES } from "../../src/authz/index.js";
import { EXPECTED_AT_HOME, EXPECTED_IN_SUBACCOUNT } from "./expectations.js";
import { admin, subaccount, tenant } from "./tenant.js";

/** Every role × every action, at the parent and in a subaccount, against the hand-written expectations. */
describe("R-ROLE-2 matrix", () => {
  const snapshot = compile(
    tenant({
      subaccounts: [subaccount("S1", "Acme")],
      admins: ROLES.map((role) => admin(`A-${role}`, "P", role)),
    }),
  );
  const cases = ROLES.flatMap((role) => ACTION_NAMES.map((action) => [role, action] as const));

  it.each(cases)("R-ROLE-2: %s at the parent: %s", (role, action) => {
    const decision = decide(snapshot, { kind: "admin", adminId: `A-${role}` }, action, {
      accountId: "P",
    });
    expect(decision.allow, decision.reason).toBe(EXPECTED_AT_HOME[role].includes(action));
    // Issue 13 item 7: the rule apart, the reason a sentence in words, quoting no rule id.
    if (!decision.allow) {
      expect(decision.rule).toMatch(/^R-[A-Z]+-\d+[a-z]?$/);
      expect(decision.reason).not.toMatch(/R-[A-Z]+-\d/);
      expect(decision.reason).toMatch(/\.$/);
    }
  });

  it.each(cases)("R-SUB-1: subaccount role %s in a subaccount: %s", (role, action) => {
    const decision = decide(snapshot, { kind: "admin", adminId: `A-${role}` }, action, {
      accountId: "S1",
    });
    expect(decision.allow, decision.reason).toBe(EXPECTED_IN_SUBACCOUNT[role].includes(action));
  });

  it("the expectations name only actions that exist, and every role has a row", () => {
    for (const role of ROLES) {
      for (const action of EXPECTED_AT_HOME[role]) expect(ACTION_NAMES).toContain(action);
    }
  });

  it("unknown actions and principals fail closed", () => {
    expect(
      decide(snapshot, { kind: "admin", adminId: "A-Owner" }, "users:obliterate", {
        accountId: "P",
      }).allow,
    ).toBe(false);
    expect(
      decide(snapshot, { kind: "admin", adminId: "nobody" }, "dashboard:view", { accountId: "P" })
        .allow,
    ).toBe(false);
    expect(
      decide(snapshot, { kind: "alien" } as never, "dashboard:view", { accountId: "P" }).allow,
    ).toBe(false);
  });

  it("a misspelt action does not compile", () => {
    // @ts-expect-error: "users:delet" is not an Action
    const misspelt: Action = "users:delet";
    expect(ACTION_NAMES).not.toContain(misspelt);
  });
});
