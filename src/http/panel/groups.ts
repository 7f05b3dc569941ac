import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { getGroup, listGroups } from "../../domain/groups/list.js";
import { createGroup, deleteGroup, updateGroup } from "../../domain/groups/manage.js";
import { addGroupMember, removeGroupMember } from "../../domain/groups/members.js";
import { IdOf, Input, Ok, PageOf, PageQuery } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const GroupStatus = Type.Union([
  Type.Literal("active"),
  Type.Literal("bypass"),
  Type.Literal("disabled"),
]);
const Group = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  status: GroupStatus,
  member_count: Type.Integer(),
  created_at: Type.String(),
});
const Params = Type.Object({ groupId: IdOf("DG") });
const MemberParams = Type.Object({ groupId: IdOf("DG"), userId: IdOf("DU") });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Description = Type.String({ maxLength: 500 });

/** The Groups pages (R-ROLE-2, R-UNIT-6, R-UNIT-8b). */
export const groupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/groups",
    {
      config: { action: "groups:view" },
      schema: {
        querystring: Input({
          search: Type.Optional(Type.String({ maxLength: 100 })),
          ...PageQuery,
        }),
        response: { 200: PageOf(Group) },
      },
    },
    (request) => asAdmin(app, request, "read", (ctx) => listGroups(ctx, request.query)),
  );

  app.post(
    "/groups",
    {
      config: { action: "groups:create" },
      schema: {
        body: Input({
          name: Name,
          description: Type.Optional(Description),
          status: Type.Optional(GroupStatus),
        }),
        response: { 200: Group },
      },
    },
    (request) => asAdmin(app, request, "write", (ctx) => createGroup(ctx, request.body)),
  );

  app.get(
    "/groups/:groupId",
    { config: { action: "groups:view" }, schema: { params: Params, response: { 200: Group } } },
    (request) => asAdmin(app, request, "read", (ctx) => getGroup(ctx, request.params.groupId)),
  );

  app.patch(
    "/groups/:groupId",
    {
      config: { action: "groups:update" },
      schema: {
        params: Params,
        body: Input({
          name: Type.Optional(Name),
          description: Type.Optional(Description),
          status: Type.Optional(GroupStatus),
        }),
        response: { 200: Group },
      },
    },
    (request) =>
      asAdmin(app, request, "write", (ctx) =>
        updateGroup(ctx, request.params.groupId, request.body),
      ),
  );

  app.delete(
    "/groups/:groupId",
    { config: { action: "groups:delete" }, schema: { params: Params, response: { 200: Ok } } },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) => deleteGroup(ctx, request.params.groupId));
      return { ok: true as const };
    },
  );

  app.post(
    "/groups/:groupId/members/:userId",
    {
      config: { action: "groups:manage_members" },
      schema: { params: MemberParams, response: { 200: Ok } },
    },
    async (request) => {
      const { groupId, userId } = request.params;
      await asAdmin(app, request, "write", (ctx) => addGroupMember(ctx, groupId, userId));
      return { ok: true as const };
    },
  );

  app.delete(
    "/groups/:groupId/members/:userId",
    {
      config: { action: "groups:manage_members" },
      schema: { params: MemberParams, response: { 200: Ok } },
    },
    async (request) => {
      const { groupId, userId } = request.params;
      await asAdmin(app, request, "write", (ctx) => removeGroupMember(ctx, groupId, userId));
      return { ok: true as const };
    },
  );
};
