import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { changeEdition, getDashboard } from "../../domain/accounts/current.js";
import {
  createSubaccount,
  deleteSubaccount,
  updateSubaccount,
} from "../../domain/accounts/manage.js";
import { getSubaccount, listSubaccounts } from "../../domain/accounts/subaccounts.js";
import { listTags } from "../../domain/accounts/tags.js";
import { AccountId, Edition, Input, Ok, PageOf, PageQuery, Tag } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const Subaccount = Type.Object({
  id: Type.String(),
  name: Type.String(),
  edition: Edition,
  nfr: Type.Boolean(),
  tags: Type.Array(Type.String()),
  accessible: Type.Boolean(),
  created_at: Type.String(),
});
const Params = Type.Object({ accountId: AccountId });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Tags = Type.Array(Tag, { maxItems: 100 });

const Count = Type.Integer({ minimum: 0 });
const Dashboard = Type.Object({
  id: Type.String(),
  name: Type.String(),
  edition: Edition,
  nfr: Type.Boolean(),
  is_subaccount: Type.Boolean(),
  counts: Type.Object({
    users: Count,
    groups: Count,
    applications: Count,
    admins: Count,
    subaccounts: Count,
  }),
  active_owners: Count,
  owner_warning: Type.Boolean(),
});

/**
 * The Dashboard and edition of the account the session acts in, and the Accounts pages (R-TEN-1,
 * R-TEN-3, R-TEN-4, R-TAG-3, R-TAG-4, R-TAG-6), at the parent.
 */
export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/account",
    { config: { action: "dashboard:view" }, schema: { response: { 200: Dashboard } } },
    (request) => asAdmin(app, request, "read", getDashboard),
  );

  app.put(
    "/account/edition",
    {
      config: { action: "edition:change" },
      schema: { body: Input({ edition: Edition }), response: { 200: Dashboard } },
    },
    (request) => asAdmin(app, request, "write", (ctx) => changeEdition(ctx, request.body.edition)),
  );

  app.get(
    "/accounts",
    {
      config: { action: "subaccounts:list" },
      schema: {
        querystring: Input({
          search: Type.Optional(Type.String({ maxLength: 100 })),
          tag: Type.Optional(Tag),
          ...PageQuery,
        }),
        response: { 200: PageOf(Subaccount) },
      },
    },
    (request) => asAdmin(app, request, "read", (ctx) => listSubaccounts(ctx, request.query)),
  );

  app.post(
    "/accounts",
    {
      config: { action: "subaccounts:create" },
      schema: {
        body: Input({
          name: Name,
          edition: Type.Optional(Edition),
          nfr: Type.Optional(Type.Boolean()),
          tags: Type.Optional(Tags),
        }),
        response: { 200: Subaccount },
      },
    },
    (request) => asAdmin(app, request, "write", (ctx) => createSubaccount(ctx, request.body)),
  );

  app.get(
    "/accounts/:accountId",
    {
      config: { action: "subaccounts:list" },
      schema: { params: Params, response: { 200: Subaccount } },
    },
    (request) =>
      asAdmin(app, request, "read", (ctx) => getSubaccount(ctx, request.params.accountId)),
  );

  app.patch(
    "/accounts/:accountId",
    {
      // Rename and NFR need it; edition and tags need Owner permissions the use case checks too.
      config: { action: "subaccounts:rename" },
      schema: {
        params: Params,
        body: Input({
          name: Type.Optional(Name),
          edition: Type.Optional(Edition),
          nfr: Type.Optional(Type.Boolean()),
          tags: Type.Optional(Tags),
        }),
        response: { 200: Subaccount },
      },
    },
    (request) =>
      asAdmin(app, request, "write", (ctx) =>
        updateSubaccount(ctx, request.params.accountId, request.body),
      ),
  );

  app.delete(
    "/accounts/:accountId",
    {
      config: { action: "subaccounts:delete" },
      schema: {
        params: Params,
        querystring: Input({ force: Type.Optional(Type.Boolean()) }),
        response: { 200: Ok },
      },
    },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) =>
        deleteSubaccount(ctx, request.params.accountId, { force: request.query.force ?? false }),
      );
      return { ok: true as const };
    },
  );

  app.get(
    "/tags",
    {
      config: { action: "subaccounts:list" },
      schema: {
        response: {
          200: Type.Array(
            Type.Object({
              tag: Type.String(),
              subaccounts: Type.Integer(),
              admins: Type.Integer(),
            }),
          ),
        },
      },
    },
    (request) => asAdmin(app, request, "read", listTags),
  );
};
