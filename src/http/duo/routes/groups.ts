import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import {
  GROUP_STATUSES,
  type GroupView,
  getGroup,
  listGroups,
} from "../../../domain/groups/list.js";
import {
  createGroup,
  deleteGroup,
  type GroupChange,
  updateGroup,
} from "../../../domain/groups/manage.js";
import { listUsers } from "../../../domain/users/list.js";
import { ok, okPage, readPage } from "../envelope.js";
import { invalid, type ParamReader } from "../params.js";
import { asIntegration, paramsOf } from "../use-case.js";
import { duoGroupV1, duoGroupV2, readList, withDuoFieldNames } from "../user-shapes.js";

/** research/duo-api.md §3: groups and a group's users page by 100 up to 500. */
const GROUPS_PAGE = { default: 100, max: 500 };

type GroupParams = { Params: { groupId: string } };

/** §4.2: the legacy per-group method flags. Gatehouse restricts no method per group. */
const METHOD_FLAGS = [
  "push_enabled",
  "sms_enabled",
  "voice_enabled",
  "mobile_otp_enabled",
  "u2f_enabled",
] as const;

/** §4.2: the fields POST /groups and POST /groups/{id} share, in the use case's names. */
function readGroupFields(params: ParamReader): GroupChange {
  for (const flag of METHOD_FLAGS)
    if (params.bool(flag) === false)
      throw invalid(flag, "Gatehouse does not restrict authentication methods per group");
  return {
    name: params.string("name", { max: 100 }),
    description: params.string("desc", { max: 500 }),
    status: params.oneOf("status", GROUP_STATUSES),
  };
}

/**
 * research/duo-api.md §4.2: groups and their users, through the panel's use cases as the
 * integration. v1 objects carry the legacy method flags, v2 objects do not.
 */
export const groupRoutes: FastifyPluginAsync = async (app) => {
  const list =
    <T>(shape: (group: GroupView) => T) =>
    async (request: FastifyRequest) => {
      const params = paramsOf(request);
      const page = readPage(params, GROUPS_PAGE);
      const ids = readList(params, "group_id_list", 20);
      const found = await asIntegration(app, request, "read", (ctx) =>
        listGroups(ctx, { ids, limit: page.limit, offset: page.offset }),
      );
      return okPage(found.items.map(shape), page, found.total);
    };

  app.get("/admin/v1/groups", { config: { action: "groups:view" } }, list(duoGroupV1));
  app.get("/admin/v2/groups", { config: { action: "groups:view" } }, list(duoGroupV2));

  for (const [version, shape] of [
    ["v1", duoGroupV1],
    ["v2", duoGroupV2],
  ] as const) {
    app.get<GroupParams>(
      `/admin/${version}/groups/:groupId`,
      { config: { action: "groups:view" } },
      async (request) => {
        const group = await asIntegration(app, request, "read", (ctx) =>
          getGroup(ctx, request.params.groupId),
        );
        return ok(shape(group));
      },
    );
  }

  app.get<GroupParams>(
    "/admin/v2/groups/:groupId/users",
    { config: { action: "groups:view" } },
    async (request) => {
      const page = readPage(paramsOf(request), GROUPS_PAGE);
      const groupId = request.params.groupId;
      const found = await asIntegration(app, request, "read", async (ctx) => {
        await getGroup(ctx, groupId);
        return listUsers(ctx, { groupId, limit: page.limit, offset: page.offset });
      });
      const users = found.items.map((user) => ({ user_id: user.id, username: user.username }));
      return okPage(users, page, found.total);
    },
  );

  app.post("/admin/v1/groups", { config: { action: "groups:create" } }, async (request) => {
    const params = paramsOf(request);
    const name = params.required("name", { max: 100 });
    const fields = readGroupFields(params);
    const group = await asIntegration(app, request, "write", (ctx) =>
      withDuoFieldNames(createGroup(ctx, { ...fields, name })),
    );
    return ok(duoGroupV1(group));
  });

  app.post<GroupParams>(
    "/admin/v1/groups/:groupId",
    { config: { action: "groups:update" } },
    async (request) => {
      const change = readGroupFields(paramsOf(request));
      const group = await asIntegration(app, request, "write", (ctx) =>
        withDuoFieldNames(updateGroup(ctx, request.params.groupId, change)),
      );
      return ok(duoGroupV1(group));
    },
  );

  app.delete<GroupParams>(
    "/admin/v1/groups/:groupId",
    { config: { action: "groups:delete" } },
    async (request) => {
      await asIntegration(app, request, "write", (ctx) => deleteGroup(ctx, request.params.groupId));
      return ok("");
    },
  );
};
