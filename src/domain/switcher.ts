import { accessibleSubaccounts, decide, type Edition } from "../authz/index.js";
import type { UseCaseContext } from "./context.js";
import { NotFound } from "./errors.js";

/** One entry of the account switcher. */
export interface SwitchTarget {
  id: string;
  name: string;
  edition: Edition;
  nfr: boolean;
  /** The admin's own account: switching back to it is always allowed. */
  home: boolean;
  /** The account the session acts in now. */
  current: boolean;
}

export interface Switcher {
  /** The account the session acts in. */
  current: string;
  /** The home account first, then the accessible subaccounts by name. */
  accounts: SwitchTarget[];
}

/** The session being switched: its id hash and the account it acts in now. */
export interface SessionRef {
  idHash: string;
  accountId: string;
}

/** The admin behind the context: use cases here run in the admin's home account (ctx.accountId). */
function adminIdOf(ctx: UseCaseContext): string {
  const principal = ctx.caller.principal;
  if (principal.kind !== "admin") throw new Error("the account switcher is for administrators");
  return principal.adminId;
}

/**
 * R-TAG-5: what the account switcher offers: the admin's home account and the subaccounts they can
 * access (R-TAG-2), never the others. `ctx` acts in the admin's home account.
 */
export function listSwitchTargets(
  ctx: UseCaseContext,
  currentAccountId: string,
  search?: string,
): Switcher {
  const adminId = adminIdOf(ctx);
  ctx.authorize("accounts:switch");
  const home = ctx.snapshot.accounts.get(ctx.accountId);
  if (!home) throw new NotFound("account", ctx.accountId);
  const needle = search?.trim().toLowerCase();
  const subaccounts = accessibleSubaccounts(ctx.snapshot, adminId)
    .flatMap((id) => {
      const sub = ctx.snapshot.accounts.get(id);
      return sub ? [sub] : [];
    })
    .filter((sub) => !needle || sub.name.toLowerCase().includes(needle))
    .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
  const entry = (account: typeof home, isHome: boolean): SwitchTarget => ({
    id: account.id,
    name: account.name,
    edition: account.edition,
    nfr: account.nfr,
    home: isHome,
    current: account.id === currentAccountId,
  });
  return {
    current: currentAccountId,
    accounts: [entry(home, true), ...subaccounts.map((sub) => entry(sub, false))],
  };
}

/**
 * R-TAG-5: switches the session into `targetId`. Back home is always allowed; another account only
 * where the engine lets the admin in (R-TAG-2, R-SUB-5, R-TEN-2), else Forbidden naming the rule
 * (the denied attempt is logged by runUseCase). R-AUD-1: a switch is recorded.
 * `ctx` acts in the admin's home account, so a session in a subaccount can always leave it.
 */
export async function switchAccount(
  ctx: UseCaseContext,
  session: SessionRef,
  targetId: string,
): Promise<Switcher> {
  const adminId = adminIdOf(ctx);
  if (targetId !== ctx.accountId) ctx.authorize("accounts:switch", { accountId: targetId });
  const target = ctx.snapshot.accounts.get(targetId);
  if (!target) throw new NotFound("account", targetId);
  if (session.accountId !== targetId) {
    await ctx.tx
      .updateTable("admin_sessions")
      .set({ account_id: targetId })
      .where("id_hash", "=", session.idHash)
      .where("admin_id", "=", adminId)
      .execute();
    await ctx.audit({
      action: "admin_switch_account",
      object: { kind: "account", id: target.id, name: target.name },
      before: { account_id: session.accountId },
      after: { account_id: targetId },
    });
  }
  return listSwitchTargets(ctx, targetId);
}

/**
 * Whether a session may stay in the subaccount it acts in. One left in a subaccount the admin can
 * no longer enter (its tags, or the admin's, changed meanwhile) is switched home by the caller,
 * instead of refusing every request, sign-out and the switch home included, until it expires.
 * `ctx` acts in the admin's home account.
 */
export function maySessionStay(ctx: UseCaseContext, session: SessionRef): boolean {
  if (session.accountId === ctx.accountId) return true;
  return decide(ctx.snapshot, ctx.caller.principal, "accounts:switch", {
    accountId: session.accountId,
  }).allow;
}
