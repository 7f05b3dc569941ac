import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { runUseCase, type UseCaseContext, type UseCaseMode } from "../../domain/context.js";
import { listSwitchTargets, switchAccount } from "../../domain/switcher.js";
import { AccountId, Edition, Input } from "./schemas.js";
import { callerOf, signedIn } from "./use-case.js";

const Switcher = Type.Object({
  current: Type.String(),
  accounts: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      edition: Edition,
      nfr: Type.Boolean(),
      home: Type.Boolean(),
      current: Type.Boolean(),
    }),
  ),
});

/**
 * The switcher's use cases run in the admin's home account, not the one the session acts in: a
 * session in a subaccount can always list its way out and switch back home (R-TAG-5).
 */
function atHome<T>(
  app: FastifyInstance,
  request: FastifyRequest,
  mode: UseCaseMode,
  work: (ctx: UseCaseContext) => Promise<T>,
): Promise<T> {
  const session = signedIn(request);
  return runUseCase(app.services, callerOf(session, request), session.admin.account_id, mode, work);
}

/** R-TAG-5: the account switcher. */
export const switcherRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/switcher",
    {
      config: { action: "accounts:switch" },
      schema: {
        querystring: Input({ search: Type.Optional(Type.String({ maxLength: 100 })) }),
        response: { 200: Switcher },
      },
    },
    (request) =>
      atHome(app, request, "read", async (ctx) =>
        listSwitchTargets(ctx, signedIn(request).accountId, request.query.search),
      ),
  );

  app.post(
    "/switcher",
    {
      config: { action: "accounts:switch" },
      schema: { body: Input({ account_id: AccountId }), response: { 200: Switcher } },
    },
    (request) => {
      const session = signedIn(request);
      return atHome(app, request, "write", (ctx) =>
        switchAccount(
          ctx,
          { idHash: session.idHash, accountId: session.accountId },
          request.body.account_id,
        ),
      );
    },
  );
};
