import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ACTION_NAMES,
  API_GRANTS,
  compile,
  decide,
  explain,
  type Principal,
  ROLES,
} from "../../src/authz/index.js";
import { requestArb, tenantArb } from "./arbitraries.js";
import { admin, subaccount, tenant } from "./tenant.js";

const as = (adminId: string): Principal => ({ kind: "admin", adminId });
const RULE_ID = /R-[A-Z]+-\d/;

/** Issue 13 item 7: refusals and explanations are sentences a person reads without the SPEC. */
describe("reasons in plain words (issue 13 item 7)", () => {
  const snapshot = compile(
    tenant({
      subaccounts: [subaccount("S-GOV", "Acme", ["Gov"]), subaccount("S-EU", "Euro", ["EU", "eu"])],
      admins: [
        admin("OWN", "P", "Owner"),
        admin("HD", "P", "Help Desk"),
        admin("EUHD", "P", "Help Desk", { tags: ["EU"] }),
        admin("NEW", "P", "Administrator", { status: "Pending Activation" }),
      ],
    }),
  );

  it("issue 13 item 7, R-ROLE-2: a role's refusal names the role in words and who can, not the table", () => {
    expect(decide(snapshot, as("HD"), "edition:change", { accountId: "P" })).toEqual({
      allow: false,
      rule: "R-ROLE-2",
      reason:
        "Help Desk administrators cannot change the plan edition or cancel the subscription; only Owners can.",
    });
    expect(decide(snapshot, as("HD"), "groups:create", { accountId: "P" }).reason).toBe(
      "Help Desk administrators cannot create a group; only Owners, Administrators and User Managers can.",
    );
  });

  it("issue 13 item 7, R-TAG-2: a subaccount the admin cannot open says which tags it has and which they have", () => {
    expect(decide(snapshot, as("HD"), "users:view", { accountId: "S-GOV" })).toEqual({
      allow: false,
      rule: "R-TAG-2",
      reason:
        'You cannot open Acme: it is tagged "Gov", and you have no access tags. An administrator needs one of its tags, spelt exactly the same (tags are case-sensitive).',
    });
    expect(decide(snapshot, as("EUHD"), "users:view", { accountId: "S-GOV" }).reason).toContain(
      'it is tagged "Gov", and your access tags are "EU".',
    );
    expect(decide(snapshot, as("OWN"), "users:view", { accountId: "S-EU" }).allow).toBe(true);
  });

  it("issue 13 item 7, R-ADM-1: a pending admin's refusal says they have not activated yet", () => {
    expect(decide(snapshot, as("NEW"), "users:view", { accountId: "P" })).toEqual({
      allow: false,
      rule: "R-ADM-1",
      reason:
        "new@example.com has not activated their account yet; only active administrators can sign in and act.",
    });
  });

  it("issue 13 item 7: the R-ROLE-2 cell is explained in words, not as a row and an empty cell", () => {
    const { facts } = explain(snapshot, as("HD"), "edition:change", { accountId: "P" });
    expect(facts).toContain(
      'To change the plan edition or cancel the subscription is part of "Change plan edition, cancel subscription"; Help Desk administrators have none of it.',
    );
    expect(facts.join("\n")).not.toContain("the cell is");
  });

  it("issue 13 item 7: every role's refusal of every action quotes no rule id and ends as a sentence", () => {
    for (const role of ROLES) {
      const one = compile(tenant({ admins: [admin("X", "P", role), admin("O", "P", "Owner")] }));
      for (const action of ACTION_NAMES) {
        const decision = decide(one, as("X"), action, { accountId: "P" });
        expect(decision.reason, `${role} ${action}`).not.toMatch(RULE_ID);
        expect(decision.reason, `${role} ${action}`).toMatch(/\.$/);
      }
    }
  });

  it("issue 13 item 7: on random tenants no reason or explanation fact quotes a rule id, for admins, applications and the system", () => {
    fc.assert(
      fc.property(
        tenantArb.chain((model) =>
          fc.tuple(
            fc.constant(model),
            fc.array(requestArb(model), { minLength: 1, maxLength: 30 }),
            fc.subarray([...API_GRANTS]),
            fc.constantFrom("adminapi", "accountsapi", "websdk" as const),
          ),
        ),
        ([model, requests, grants, type]) => {
          const tenantSnapshot = compile(model);
          const application = {
            kind: "application",
            id: "DIAPP",
            accountId: "P",
            type,
            grants,
          } as Principal;
          for (const { principal, action, target } of requests) {
            for (const who of [principal, application, { kind: "system" } as Principal]) {
              const { decision, facts } = explain(tenantSnapshot, who, action, target);
              expect(decision.reason, JSON.stringify({ who, action })).not.toMatch(RULE_ID);
              for (const fact of facts) expect(fact, action).not.toMatch(RULE_ID);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
