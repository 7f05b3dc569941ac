/**
 * The same rules in node-casbin and in CASL, each written as its experts would make it fast while
 * staying idiomatic, for the benchmark's comparison. They model what the benchmark's requests
 * exercise (Active parent-level admins, Premier, default settings): roles and subaccount roles,
 * access tags, administrative units.
 */
import { AbilityBuilder, createMongoAbility, type MongoAbility, subject } from "@casl/ability";
import { type Enforcer, newEnforcer, newModelFromString } from "casbin";
import { PARENT_ONLY, PARENT_OWNER_ONLY } from "../../src/authz/action-facts.js";
import {
  ACTION_NAMES,
  ACTIONS,
  type Action,
  ROLE_ACTIONS,
  type Role,
  type TenantModel,
} from "../../src/authz/index.js";
import { ACCOUNT_WIDE } from "../../src/authz/scope.js";
import type { BenchRequest } from "./tenant.js";

/** With default settings, R-ROLE-4 takes one action from Help Desk. */
function allowedActions(role: Role, domain: "parent" | "sub"): Action[] {
  return ACTION_NAMES.filter(
    (action) =>
      ROLE_ACTIONS.get(role)?.has(action) &&
      !(role === "Help Desk" && action === "users:send_enrollment") &&
      !(domain === "sub" && (PARENT_ONLY.has(action) || PARENT_OWNER_ONLY.has(action))),
  );
}

interface Facts {
  adminRole: Map<string, Role>;
  adminTags: Map<string, Set<string>>;
  subTags: Map<string, string[]>;
  scope: Map<string, { groups: Set<string> | "all"; apps: Set<string> | "all" } | "none">;
  parentId: string;
}

function facts(model: TenantModel): Facts {
  const scope: Facts["scope"] = new Map();
  for (const admin of model.admins) {
    if (!admin.restricted) continue;
    const units = model.units.filter((u) => u.adminIds.includes(admin.id));
    if (units.length === 0) {
      scope.set(admin.id, "none");
      continue;
    }
    scope.set(admin.id, {
      groups: units.some((u) => u.allGroups) ? "all" : new Set(units.flatMap((u) => u.groupIds)),
      apps: units.some((u) => u.allApplications)
        ? "all"
        : new Set(units.flatMap((u) => u.applicationIds)),
    });
  }
  return {
    adminRole: new Map(model.admins.map((a) => [a.id, a.role])),
    adminTags: new Map(model.admins.map((a) => [a.id, new Set(a.tags)])),
    subTags: new Map(model.subaccounts.map((s) => [s.id, s.tags])),
    scope,
    parentId: model.parent.id,
  };
}

function reaches(f: Facts, adminId: string, accountId: string): boolean {
  if (accountId === f.parentId || f.adminRole.get(adminId) === "Owner") return true;
  const tags = f.subTags.get(accountId);
  if (!tags) return false;
  if (tags.length === 0) return true;
  const mine = f.adminTags.get(adminId);
  return tags.some((tag) => mine?.has(tag));
}

function objectKey(request: BenchRequest): string {
  const object = request.target.object;
  if (!object || !("id" in object) || object.id === undefined) return "";
  if (object.kind === "user") return `user:${object.groupIds.join("|")}`;
  return `${object.kind}:${object.id}`;
}

function inScope(f: Facts, adminId: string, domain: string, action: Action, key: string): boolean {
  if (domain !== "parent" || action === "profile:edit") return true;
  const scope = f.scope.get(adminId);
  if (scope === undefined) return true;
  if (scope === "none" || ACCOUNT_WIDE.has(action)) return false;
  if (key === "") return true;
  const [kind, rest = ""] = key.split(":");
  if (kind === "user")
    return (
      scope.groups === "all" || rest.split("|").some((g) => (scope.groups as Set<string>).has(g))
    );
  if (kind === "group") return scope.groups === "all" || scope.groups.has(rest);
  if (kind === "application") return scope.apps === "all" || scope.apps.has(rest);
  return true;
}

const CASBIN_MODEL = `
[request_definition]
r = sub, dom, acc, act, obj

[policy_definition]
p = sub, dom, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.dom == p.dom && r.act == p.act && g(r.sub, p.sub, r.dom) && reaches(r.sub, r.acc) && inScope(r.sub, r.dom, r.act, r.obj)
`;

/** RBAC with domains: "parent" holds account roles, "sub" subaccount roles; role -> can:<action> is the hierarchy, one policy row per action. */
export async function casbinDecider(
  model: TenantModel,
): Promise<(request: BenchRequest) => boolean> {
  const f = facts(model);
  const enforcer: Enforcer = await newEnforcer(newModelFromString(CASBIN_MODEL));
  await enforcer.addFunction("reaches", (sub: string, acc: string) => reaches(f, sub, acc));
  await enforcer.addFunction("inScope", (sub: string, dom: string, act: string, obj: string) =>
    inScope(f, sub, dom, act as Action, obj),
  );
  const domains = ["parent", "sub"] as const;
  await enforcer.addPolicies(
    domains.flatMap((dom) => ACTION_NAMES.map((action) => [`can:${action}`, dom, action])),
  );
  const grouping: string[][] = [];
  for (const dom of domains) {
    for (const role of ROLE_ACTIONS.keys())
      for (const action of allowedActions(role, dom)) grouping.push([role, `can:${action}`, dom]);
  }
  for (const admin of model.admins) {
    grouping.push([admin.id, admin.role, "parent"]);
    grouping.push([
      admin.id,
      admin.role === "Owner" ? "Owner" : (admin.subaccountRole ?? admin.role),
      "sub",
    ]);
  }
  await enforcer.addGroupingPolicies(grouping);
  return (request) =>
    enforcer.enforceSync(
      request.adminId,
      request.target.accountId === f.parentId ? "parent" : "sub",
      request.target.accountId,
      request.action,
      objectKey(request),
    );
}

/** One ability per (admin, account), built on first use and cached. */
export function caslDecider(model: TenantModel): (request: BenchRequest) => boolean {
  const f = facts(model);
  const admins = new Map(model.admins.map((a) => [a.id, a]));
  const cache = new Map<string, MongoAbility>();
  const build = (adminId: string, accountId: string): MongoAbility => {
    const { can, build: done } = new AbilityBuilder(createMongoAbility);
    const admin = admins.get(adminId);
    if (admin && reaches(f, adminId, accountId)) {
      const domain = accountId === f.parentId ? "parent" : "sub";
      const role =
        domain === "parent"
          ? admin.role
          : admin.role === "Owner"
            ? "Owner"
            : (admin.subaccountRole ?? admin.role);
      const scope = domain === "parent" ? f.scope.get(adminId) : undefined;
      for (const action of allowedActions(role, domain)) {
        if (scope === undefined || action === "profile:edit") {
          can(action, "all");
          continue;
        }
        if (scope === "none" || ACCOUNT_WIDE.has(action)) continue;
        const kind = ACTIONS[action].object;
        if (kind === "user")
          can(
            action,
            "User",
            scope.groups === "all" ? {} : { groupIds: { $in: [...scope.groups] } },
          );
        else if (kind === "group")
          can(action, "Group", scope.groups === "all" ? {} : { id: { $in: [...scope.groups] } });
        else if (kind === "application")
          can(action, "Application", scope.apps === "all" ? {} : { id: { $in: [...scope.apps] } });
        else can(action, "all");
      }
    }
    return done();
  };
  return (request) => {
    const key = `${request.adminId}|${request.target.accountId}`;
    let ability = cache.get(key);
    if (!ability) {
      ability = build(request.adminId, request.target.accountId);
      cache.set(key, ability);
    }
    const object = request.target.object;
    if (!object || !("id" in object) || object.id === undefined) {
      const kind = ACTIONS[request.action].object;
      return ability.can(
        request.action,
        kind === "user"
          ? "User"
          : kind === "group"
            ? "Group"
            : kind === "application"
              ? "Application"
              : "Account",
      );
    }
    if (object.kind === "user")
      return ability.can(request.action, subject("User", { groupIds: object.groupIds }));
    if (object.kind === "group")
      return ability.can(request.action, subject("Group", { id: object.id }));
    if (object.kind === "application")
      return ability.can(request.action, subject("Application", { id: object.id }));
    return ability.can(request.action, "Account");
  };
}
