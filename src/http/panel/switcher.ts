import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { listSwitchTargets, switchAccount } from "../../domain/switcher.js";
import { AccountId, Edition, Input } from "./schemas.js";
import { asAdmin, signedIn } from "./use-case.js";

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
      asAdmin(
        app,
        request,
        "read",
        async (ctx) => listSwitchTargets(ctx, signedIn(request).accountId, request.query.search),
        "home",
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
      return asAdmin(
        app,
        request,
        "write",
        (ctx) =>
          switchAccount(
            ctx,
            { idHash: session.idHash, accountId: session.accountId },
            request.body.account_id,
          ),
        "home",
      );
    },
  );
};
