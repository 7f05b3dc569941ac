import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Action,
  applyChange,
  compile,
  decide,
  isAction,
  type ModelChange,
  ROLES,
  simulate,
} from "../../src/authz/index.js";
import { requestArb, tenantArb } from "./arbitraries.js";
import { refDecide, refEffectiveRole } from "./reference.js";

describe("the engine agrees with the reference on random tenants", () => {
  it("R-TAG-2, R-ROLE-2, R-UNIT-4, R-PLAN-1: every decision matches the reference, and repeats itself", () => {
    fc.assert(
      fc.property(
        tenantArb.chain((model) =>
          fc.tuple(
            fc.constant(model),
            fc.array(requestArb(model), { minLength: 1, maxLength: 40 }),
          ),
        ),
        ([model, requests]) => {
          const snapshot = compile(model);
          for (const { principal, action, target } of requests) {
            const decision = decide(snapshot, principal, action, target);
            const expected =
              isAction(action) && refDecide(model, principal, action as Action, target);
            if (decision.allow !== expected) {
              throw new Error(
                `engine ${decision.allow} vs reference ${expected}: ${decision.reason} for ${JSON.stringify({ principal, action, target })}`,
              );
            }
            if (!decision.allow)
              expect(decision.reason.startsWith(`${decision.rule}: `)).toBe(true);
            expect(decide(snapshot, principal, action, target)).toEqual(decision);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("simulate's gains and losses are exactly the reference's difference between the two models", () => {
    const changeArb = (modelIds: { admins: string[]; subs: string[]; units: string[] }) =>
      fc.oneof(
        fc.record({
          kind: fc.constant("admin" as const),
          adminId: fc.constantFrom(...modelIds.admins),
          role: fc.constantFrom(...ROLES),
          tags: fc.subarray(["EU", "eu", "Gov"]),
        }),
        fc.record({
          kind: fc.constant("parent" as const),
          edition: fc.constantFrom("Free", "Premier" as const),
        }),
        ...(modelIds.subs.length
          ? [
              fc.record({
                kind: fc.constant("subaccount" as const),
                accountId: fc.constantFrom(...modelIds.subs),
                tags: fc.subarray(["EU", "eu", "Gov"]),
              }),
            ]
          : []),
        ...(modelIds.units.length
          ? [
              fc.record({
                kind: fc.constant("unit" as const),
                unitId: fc.constantFrom(...modelIds.units),
                delete: fc.constant(true),
              }),
            ]
          : []),
      );
    fc.assert(
      fc.property(
        tenantArb.chain((model) =>
          fc.tuple(
            fc.constant(model),
            changeArb({
              admins: model.admins.map((a) => a.id),
              subs: model.subaccounts.map((s) => s.id),
              units: model.units.map((u) => u.id),
            }) as fc.Arbitrary<ModelChange>,
          ),
        ),
        ([model, change]) => {
          const result = simulate(compile(model), change);
          const next = applyChange(model, change);
          const accounts = ["P", ...model.subaccounts.map((s) => s.id)];
          const gains: string[] = [];
          const losses: string[] = [];
          for (const admin of model.admins) {
            for (const accountId of accounts) {
              const before = refEffectiveRole(model, admin.id, accountId);
              const after = refEffectiveRole(next, admin.id, accountId);
              if (before === null && after !== null) gains.push(`${admin.id}/${accountId}`);
              if (before !== null && after === null) losses.push(`${admin.id}/${accountId}`);
            }
          }
          expect(result.gains.map((d) => `${d.adminId}/${d.accountId}`).sort()).toEqual(
            gains.sort(),
          );
          expect(result.losses.map((d) => `${d.adminId}/${d.accountId}`).sort()).toEqual(
            losses.sort(),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("invariants under random sequences of allowed changes", () => {
  it("R-ROLE-9: no sequence of changes the engine allows leaves an account that had an active Owner without one", () => {
    const step = fc.record({
      actor: fc.nat(),
      subject: fc.nat(),
      kind: fc.constantFrom("demote", "disable", "delete" as const),
      role: fc.constantFrom(...ROLES.filter((role) => role !== "Owner")),
    });
    fc.assert(
      fc.property(tenantArb, fc.array(step, { minLength: 1, maxLength: 30 }), (initial, steps) => {
        let model = initial;
        const owners = (m: typeof model, accountId: string) =>
          m.admins.filter(
            (a) => a.accountId === accountId && a.role === "Owner" && a.status === "Active",
          ).length;
        for (const s of steps) {
          const actor = model.admins[s.actor % model.admins.length];
          const subject = model.admins[s.subject % model.admins.length];
          if (!actor || !subject) break;
          const action = s.kind === "delete" ? "admins:delete" : "admins:update";
          const adminChange =
            s.kind === "demote"
              ? { role: s.role }
              : s.kind === "disable"
                ? { status: "Disabled" as const }
                : {};
          const decision = decide(compile(model), { kind: "admin", adminId: actor.id }, action, {
            accountId: subject.accountId,
            object: { kind: "admin", id: subject.id },
            adminChange,
          });
          if (!decision.allow) continue;
          const before = owners(model, subject.accountId);
          model = applyChange(model, {
            kind: "admin",
            adminId: subject.id,
            ...adminChange,
            delete: s.kind === "delete",
          });
          if (before > 0)
            expect(owners(model, subject.accountId), decision.reason).toBeGreaterThan(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
