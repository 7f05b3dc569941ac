import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AccessDelta,
  type Action,
  ADMIN_STATUSES,
  accessSummaryRows,
  applyChange,
  compile,
  decide,
  isAction,
  type ModelChange,
  ROLES,
  simulate,
} from "../../src/authz/index.js";
import { requestArb, tenantArb } from "./arbitraries.js";
import { refConfiguredRole, refDecide, refEffectiveRole } from "./reference.js";

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
            // Issue 13 item 7: the rule id is the decision's `rule`, never part of its sentence.
            expect(decision.reason).not.toMatch(/R-[A-Z]+-\d/);
            expect(decide(snapshot, principal, action, target)).toEqual(decision);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("issue 13 item 6, R-SUM-1: the access summary is the reference's configured access for every parent-level admin, whatever their status", () => {
    fc.assert(
      fc.property(tenantArb, (model) => {
        const [header = "", ...rows] = [...accessSummaryRows(compile(model))];
        expect(header).toBe(
          ["Administrator", "Status", ...model.subaccounts.map((s) => s.name)].join(","),
        );
        const parentLevel = model.admins.filter((a) => a.accountId === model.parent.id);
        expect(rows).toEqual(
          parentLevel.map((admin) =>
            [
              `${admin.name} <${admin.email}>`,
              admin.status,
              ...model.subaccounts.map((sub) => refConfiguredRole(model, admin.id, sub.id) ?? ""),
            ].join(","),
          ),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("issue 13 item 6, R-SUM-1: simulate's gains, losses and role changes are exactly the reference's difference in configured access and status", () => {
    const changeArb = (modelIds: { admins: string[]; subs: string[]; units: string[] }) =>
      fc.oneof(
        fc.record(
          {
            kind: fc.constant("admin" as const),
            adminId: fc.constantFrom(...modelIds.admins),
            role: fc.constantFrom(...ROLES),
            subaccountRole: fc.constantFrom(...ROLES),
            tags: fc.subarray(["EU", "eu", "Gov"]),
            status: fc.constantFrom(...ADMIN_STATUSES),
            delete: fc.constant(true),
          },
          { requiredKeys: ["kind", "adminId"] },
        ),
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
          const expected = {
            gains: [] as string[],
            losses: [] as string[],
            changes: [] as string[],
          };
          for (const admin of model.admins) {
            const later = next.admins.find((a) => a.id === admin.id);
            const wasActive = admin.status === "Active";
            const isActive = (later ?? admin).status === "Active";
            for (const accountId of accounts) {
              const before = refConfiguredRole(model, admin.id, accountId);
              const after = refConfiguredRole(next, admin.id, accountId);
              const entry = `${admin.id}/${accountId}/${admin.status}/${(later ?? admin).status}`;
              // Configured access that appears, or that starts to apply because the admin becomes Active.
              if (after !== null && (before === null || (!wasActive && isActive)))
                expected.gains.push(entry);
              else if (before !== null && (after === null || (wasActive && !isActive)))
                expected.losses.push(entry);
              else if (before !== null && after !== null && before !== after)
                expected.changes.push(entry);
            }
          }
          const seen = (deltas: readonly AccessDelta[]) =>
            deltas.map((d) => `${d.adminId}/${d.accountId}/${d.statusBefore}/${d.status}`).sort();
          expect(seen(result.gains)).toEqual(expected.gains.sort());
          expect(seen(result.losses)).toEqual(expected.losses.sort());
          expect(seen(result.changes)).toEqual(expected.changes.sort());
          // An Active admin's configured access is their access: there the preview is decide()'s.
          for (const delta of [...result.gains, ...result.losses, ...result.changes]) {
            if (delta.statusBefore === "Active")
              expect(delta.before).toBe(refEffectiveRole(model, delta.adminId, delta.accountId));
          }
        },
      ),
      { numRuns: 300 },
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
