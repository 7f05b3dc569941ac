import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { getGroup } from "../../domain/groups/list.js";
import { createUser } from "../../domain/users/create.js";
import { deleteUser } from "../../domain/users/delete.js";
import { getUser, listUsers } from "../../domain/users/list.js";
import { updateUser } from "../../domain/users/update.js";
import { IdOf, Input, Ok, PageOf, PageQuery } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const UserStatus = Type.Union([
  Type.Literal("active"),
  Type.Literal("bypass"),
  Type.Literal("disabled"),
  Type.Literal("locked out"),
  Type.Literal("pending deletion"),
]);
/** The statuses an admin sets (Locked Out and Pending Deletion are reached otherwise). */
const SettableStatus = Type.Union([
  Type.Literal("active"),
  Type.Literal("bypass"),
  Type.Literal("disabled"),
]);
const GroupId = IdOf("DG");
const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  aliases: Type.Array(Type.String()),
  real_name: Type.String(),
  // R-ROLE-3: absent for admins who see only name, username and status.
  email: Type.Optional(Type.String()),
  notes: Type.Optional(Type.String()),
  status: UserStatus,
  groups: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  created_at: Type.String(),
  last_login_at: Type.Union([Type.String(), Type.Null()]),
});
const Params = Type.Object({ userId: IdOf("DU") });
const Username = Type.String({ minLength: 1, maxLength: 100 });
const fields = {
  aliases: Type.Optional(Type.Array(Username, { maxItems: 8 })),
  real_name: Type.Optional(Type.String({ maxLength: 100 })),
  email: Type.Optional(Type.String({ maxLength: 254 })),
  notes: Type.Optional(Type.String({ maxLength: 1000 })),
  status: Type.Optional(SettableStatus),
};

/** The Users pages (R-ROLE-2, R-ROLE-3, R-UNIT-8a). */
export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/users",
    {
      config: { action: "users:view" },
      schema: {
        querystring: Input({
          search: Type.Optional(Type.String({ maxLength: 100 })),
          /** Only members of this group: a group outside the caller's units is not found (R-UNIT-8b). */
          group_id: Type.Optional(GroupId),
          ...PageQuery,
        }),
        response: { 200: PageOf(User) },
      },
    },
    (request) =>
      asAdmin(app, request, "read", async (ctx) => {
        const { group_id: groupId, ...query } = request.query;
        if (groupId === undefined) return listUsers(ctx, query);
        await getGroup(ctx, groupId);
        return listUsers(ctx, { ...query, groupId });
      }),
  );

  app.post(
    "/users",
    {
      config: { action: "users:create" },
      schema: {
        body: Input({
          username: Username,
          ...fields,
          group_ids: Type.Optional(Type.Array(GroupId, { maxItems: 100 })),
        }),
        response: { 200: User },
      },
    },
    (request) => asAdmin(app, request, "write", (ctx) => createUser(ctx, request.body)),
  );

  app.get(
    "/users/:userId",
    { config: { action: "users:view" }, schema: { params: Params, response: { 200: User } } },
    (request) => asAdmin(app, request, "read", (ctx) => getUser(ctx, request.params.userId)),
  );

  app.patch(
    "/users/:userId",
    {
      // Only a coarse gate: each changed field is authorised with its own action in updateUser
      // (users:update_name, update_email, update_notes, update_username, unlock, set_bypass,
      // set_status), so Help Desk may change a full name but not a username (R-ROLE-3).
      config: { action: "users:view" },
      schema: {
        params: Params,
        body: Input({ username: Type.Optional(Username), ...fields }),
        response: { 200: User },
      },
    },
    (request) =>
      asAdmin(app, request, "write", (ctx) => updateUser(ctx, request.params.userId, request.body)),
  );

  app.delete(
    "/users/:userId",
    { config: { action: "users:delete" }, schema: { params: Params, response: { 200: Ok } } },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) => deleteUser(ctx, request.params.userId));
      return { ok: true as const };
    },
  );
};
