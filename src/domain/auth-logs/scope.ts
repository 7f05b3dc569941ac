import { type RawBuilder, type SqlBool, sql } from "kysely";
import { unitScope } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";

/**
 * R-UNIT-8g for the authentication and telephony logs: what a restricted admin's units reach, as
 * ids a query can test. Null: the caller sees every event of the account (a global admin, a
 * parent-level admin in a subaccount, an API application).
 */
export interface LogScope {
  allGroups: boolean;
  allApplications: boolean;
  groupIds: string[];
  applicationIds: string[];
}

/** The caller's scope in `accountId`, from the snapshot the use case decided on (never refetched). */
export function logScopeOf(ctx: UseCaseContext, accountId: string): LogScope | null {
  const principal = ctx.caller.principal;
  if (principal.kind !== "admin") return null;
  const scope = unitScope(ctx.snapshot, principal.adminId, accountId);
  if (scope === null || scope.all) return null;
  return {
    allGroups: scope.allGroups,
    allApplications: scope.allApplications,
    groupIds: [...scope.groupIds],
    applicationIds: [...scope.applicationIds],
  };
}

/**
 * R-UNIT-8a as a log meets it: the event's user (`userColumn`, a column holding a user id) is in
 * scope when they are now a member of one of the units' groups; with "all users", every event that
 * names a user of the account. An event of no known user (a mistyped username) is nobody's, so
 * only its application can bring it into scope.
 */
export function userInScope(userColumn: string, scope: LogScope): RawBuilder<SqlBool> {
  if (scope.allGroups) return sql<SqlBool>`${sql.ref(userColumn)} is not null`;
  if (scope.groupIds.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`exists (select 1 from group_members gm
    where gm.user_id = ${sql.ref(userColumn)} and gm.group_id in (${sql.join(scope.groupIds)}))`;
}

/** R-UNIT-8c: the event's application is one of the units' (any application, with "all"). */
export function applicationInScope(
  applicationColumn: string,
  scope: LogScope,
): RawBuilder<SqlBool> {
  if (scope.allApplications) return sql<SqlBool>`${sql.ref(applicationColumn)} is not null`;
  if (scope.applicationIds.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`${sql.ref(applicationColumn)} in (${sql.join(scope.applicationIds)})`;
}

/** R-UNIT-8g: an authentication event is in scope by its user OR by its application. */
export function authEventInScope(alias: string, scope: LogScope): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${userInScope(`${alias}.user_id`, scope)} or ${applicationInScope(`${alias}.application_id`, scope)})`;
}
