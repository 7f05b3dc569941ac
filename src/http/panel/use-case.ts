import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Action } from "../../authz/index.js";
import { actorOf } from "../../domain/auth/failures.js";
import type { LiveSession } from "../../domain/auth/sessions.js";
import {
  type Caller,
  runUseCase,
  type TenantState,
  tenantStateOf,
  type UseCaseContext,
  type UseCaseMode,
} from "../../domain/context.js";
import { maySessionStay, switchAccount } from "../../domain/switcher.js";
import { clientOf } from "../auth/session-plugin.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The tenant state the route's action gate decided on, for the handler's reads (TenantState). */
    panelTenant: TenantState | undefined;
  }
  interface FastifyContextConfig {
    /**
     * The action a panel route needs, checked before its handler runs in the account the session
     * acts in; the use case then decides again on the exact object. A route with neither this nor
     * `public` is refused (the guard fails closed), and a test walks every route to prove it.
     */
    action?: Action;
  }
}

export function signedIn(request: FastifyRequest): LiveSession {
  const session = request.session;
  if (session?.stage !== "active") throw new Error("panel routes run behind the panel guard");
  return session;
}

export function callerOf(session: LiveSession, request: FastifyRequest): Caller {
  return {
    principal: { kind: "admin", adminId: session.admin.id },
    actor: actorOf(session.admin),
    homeAccountId: session.admin.account_id,
    client: clientOf(request),
  };
}

/**
 * Runs a use case for the signed-in admin, in the account their session acts in, or in their home
 * account (`where: "home"`: the switcher, so a session in a subaccount can always find its way back).
 * A read in the account the route gate decided for reuses that decision's tenant state; a write
 * reads and locks its own, and after it the request's later reads do too.
 */
export function asAdmin<T>(
  app: FastifyInstance,
  request: FastifyRequest,
  mode: UseCaseMode,
  work: (ctx: UseCaseContext) => Promise<T>,
  where: "session" | "home" = "session",
): Promise<T> {
  const session = signedIn(request);
  const accountId = where === "home" ? session.admin.account_id : session.accountId;
  const caller = callerOf(session, request);
  if (mode === "read")
    return runUseCase(app.services, caller, accountId, mode, work, request.panelTenant);
  request.panelTenant = undefined;
  return runUseCase(app.services, caller, accountId, mode, work);
}

/** preHandler: the route's declared action, decided for the session's account (after panelGuard). */
export function routeActionGuard(app: FastifyInstance) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const config = request.routeOptions.config;
    if (config.public) return;
    const action = config.action;
    if (action === undefined)
      throw new Error(`${request.method} ${request.routeOptions.url} declares no action`);
    const session = signedIn(request);
    const home = session.admin.account_id;
    if (session.accountId !== home) {
      const stays = await asAdmin(
        app,
        request,
        "read",
        async (ctx) => maySessionStay(ctx, session),
        "home",
      );
      if (!stays) {
        await asAdmin(app, request, "write", (ctx) => switchAccount(ctx, session, home), "home");
        session.accountId = home;
      }
    }
    request.panelTenant = await asAdmin(app, request, "read", async (ctx) => {
      ctx.authorize(action);
      return tenantStateOf(ctx);
    });
  };
}
