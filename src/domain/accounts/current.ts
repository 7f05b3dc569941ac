import { sql } from "kysely";
import type { CompiledAccount, Edition } from "../../authz/index.js";
import { decide, unitScope } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { parseEdition } from "./manage.js";

export interface Dashboard {
  id: string;
  name: string;
  edition: Edition;
  nfr: boolean;
  is_subaccount: boolean;
  /** What the caller may manage here: users and groups within their units (R-UNIT-8a, R-UNIT-8b). */
  counts: {
    users: number;
    groups: number;
    applications: number;
    admins: number;
    subaccounts: number;
  };
  /** R-ROLE-9: the account's own active Owners. */
  active_owners: number;
  /** R-ROLE-9: "fewer than two Owners", only where it means something and can be acted on (ownerWarning). */
  owner_warning: boolean;
}

/** The Dashboard of the account the caller acts in. */
export async function getDashboard(ctx: UseCaseContext): Promise<Dashboard> {
  ctx.authorize("dashboard:view");
  const account = ctx.snapshot.accounts.get(ctx.accountId);
  if (!account) throw new Error(`account ${ctx.accountId} is missing from its own snapshot`);
  const scope =
    ctx.caller.principal.kind === "admin"
      ? unitScope(ctx.snapshot, ctx.caller.principal.adminId, ctx.accountId)
      : null;
  const groupIds = scope && !scope.allGroups ? [...scope.groupIds] : null;
  const applicationIds = scope && !scope.allApplications ? [...scope.applicationIds] : null;
  const { rows } = await sql<Dashboard["counts"]>`
    select
      (select count(*)::int from users u where u.account_id = ${ctx.accountId}
        and (${groupIds === null} or exists (
          select 1 from group_members m where m.user_id = u.id
             and m.group_id = any(${groupIds ?? []}::text[])))) as users,
      (select count(*)::int from groups g where g.account_id = ${ctx.accountId}
        and (${groupIds === null} or g.id = any(${groupIds ?? []}::text[]))) as groups,
      (select count(*)::int from applications a where a.account_id = ${ctx.accountId}
        and (${applicationIds === null} or a.id = any(${applicationIds ?? []}::text[]))) as applications,
      (select count(*)::int from admins d where d.account_id = ${ctx.accountId}) as admins,
      (select count(*)::int from accounts s where s.parent_id = ${ctx.accountId}) as subaccounts`.execute(
    ctx.tx,
  );
  const activeOwners = ctx.snapshot.activeOwners.get(ctx.accountId) ?? 0;
  return {
    id: account.id,
    name: account.name,
    edition: account.edition,
    nfr: account.nfr,
    is_subaccount: !account.isParent,
    counts: rows[0] ?? { users: 0, groups: 0, applications: 0, admins: 0, subaccounts: 0 },
    active_owners: activeOwners,
    owner_warning: activeOwners < 2 && ownerWarningApplies(ctx, account),
  };
}

/**
 * R-ROLE-9 "the panel warns while an account has fewer than two Owners", issue 13 item 7: only
 * where the account has administrators of its own (a subaccount run from the parent has no Owner of
 * its own by design, and "0 active Owners" there alarmed for nothing), and only to a viewer the
 * engine lets add an Owner here, as Add Administrator asks it (admins:create with the role Owner;
 * on Free every new admin is an Owner and no role is named, R-PLAN-1). Anyone else could not act
 * on it.
 */
function ownerWarningApplies(ctx: UseCaseContext, account: CompiledAccount): boolean {
  if (!ctx.snapshot.model.admins.some((admin) => admin.accountId === account.id)) return false;
  const decision = decide(ctx.snapshot, ctx.caller.principal, "admins:create", {
    accountId: account.id,
    object: { kind: "admin" },
    adminChange: account.edition === "Free" ? {} : { role: "Owner" },
  });
  return decision.allow;
}

/**
 * R-TEN-4, R-PLAN-2: changes the plan edition of the account the caller acts in. A downgrade to
 * Free keeps every saved role, subaccount role, tag and unit; they apply again on the way back up.
 */
export async function changeEdition(ctx: UseCaseContext, value: string): Promise<Dashboard> {
  const edition = await setEdition(ctx, value);
  const dashboard = await getDashboard(ctx);
  return { ...dashboard, edition };
}

/** The plan edition of the account the caller acts in, as Billing shows it (research/duo-api.md §4.11). */
export function getEdition(ctx: UseCaseContext): Edition {
  ctx.authorize("billing:view");
  const account = ctx.snapshot.accounts.get(ctx.accountId);
  if (!account) throw new Error(`account ${ctx.accountId} is missing from its own snapshot`);
  return account.edition;
}

/** changeEdition without the Dashboard it answers with: what an API caller needs (R-TEN-4, R-PLAN-2). */
export async function setEdition(ctx: UseCaseContext, value: string): Promise<Edition> {
  ctx.authorize("edition:change");
  const edition = parseEdition(value);
  const before = ctx.snapshot.accounts.get(ctx.accountId)?.edition;
  await ctx.tx.updateTable("accounts").set({ edition }).where("id", "=", ctx.accountId).execute();
  await ctx.audit({
    action: "account_update",
    object: {
      kind: "account",
      id: ctx.accountId,
      name: ctx.snapshot.accounts.get(ctx.accountId)?.name,
    },
    before: { edition: before },
    after: { edition },
  });
  return edition;
}
