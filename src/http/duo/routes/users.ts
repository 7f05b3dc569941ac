import type { FastifyPluginAsync } from "fastify";
import type { UseCaseContext } from "../../../domain/context.js";
import { listGroups } from "../../../domain/groups/list.js";
import { addGroupMember, removeGroupMember } from "../../../domain/groups/members.js";
import { createUser } from "../../../domain/users/create.js";
import { deleteUser } from "../../../domain/users/delete.js";
import { SETTABLE_USER_STATUSES } from "../../../domain/users/fields.js";
import { getUser, listUsers, type UserQuery } from "../../../domain/users/list.js";
import { NO_DEVICES, relatedOf } from "../../../domain/users/related.js";
import type { UserChange } from "../../../domain/users/update.js";
import { updateUser } from "../../../domain/users/update.js";
import type { UserView } from "../../../domain/users/view.js";
import { ok, okPage, readPage } from "../envelope.js";
import { invalid, type ParamReader } from "../params.js";
import { asIntegration, deleteIfPresent, paramsOf } from "../use-case.js";
import {
  applyAliasSlots,
  type DuoUser,
  duoGroupV1,
  duoUser,
  readAliasSlots,
  readList,
  withDuoFieldNames,
} from "../user-shapes.js";

/** research/duo-api.md §3: the user list pages by 100 up to 300; a user's sub-lists up to 500. */
const USERS_PAGE = { default: 100, max: 300 };
const SUB_LIST_PAGE = { default: 100, max: 500 };

type UserParams = { Params: { userId: string } };
type UserGroupParams = { Params: { userId: string; groupId: string } };

/**
 * A user as the Admin API returns it (§5), with its phones and tokens: those the view came with
 * (listUsers and getUser fetch them with the groups, in one statement for a whole page), or else
 * (a user just created or updated) in one more.
 */
async function duoUserOf(ctx: UseCaseContext, user: UserView): Promise<DuoUser> {
  const devices =
    user.devices ??
    (await relatedOf(ctx, [user.id], { groups: false, devices: true })).devicesOf(user.id);
  return duoUser(user, devices);
}

/** Gatehouse keeps one full name (`realname`); a split first and last name would be lost. */
function refuseSplitNames(params: ParamReader): void {
  for (const name of ["firstname", "lastname"])
    if (params.has(name)) throw invalid(name, "is not kept by Gatehouse; send realname instead");
}

/** §4.1: the fields POST /users and POST /users/{id} share, in the use cases' names. */
function readUserFields(params: ParamReader): Omit<UserChange, "username" | "aliases"> {
  refuseSplitNames(params);
  return {
    real_name: params.string("realname", { max: 100 }),
    email: params.string("email", { max: 254 }),
    notes: params.string("notes", { max: 1000 }),
    status: params.oneOf("status", SETTABLE_USER_STATUSES),
  };
}

/** §4.1 GET /users: at most one of the lookups, each an exact match. */
function readUserFilters(params: ParamReader): Pick<UserQuery, "usernames" | "emails" | "ids"> {
  const username = params.string("username", { max: 100 });
  const email = params.string("email", { max: 254 });
  const usernames = readList(params, "username_list", 100);
  const ids = readList(params, "user_id_list", 20);
  const given = [username, email, usernames, ids].filter((filter) => filter !== undefined);
  if (given.length > 1)
    throw invalid("username", "give only one of username, email, username_list, user_id_list");
  if (username !== undefined) return { usernames: [username] };
  if (email !== undefined) return { emails: [email] };
  if (usernames !== undefined) return { usernames };
  if (ids !== undefined) return { ids };
  return {};
}

/**
 * research/duo-api.md §4.1: the users, their groups. Every handler runs the panel's use cases as
 * the integration (DESIGN: another door, not another implementation); the route's declared action
 * is checked before it, and each use case asks the engine again for what it does.
 */
export const userRoutes: FastifyPluginAsync = async (app) => {
  app.get("/admin/v1/users", { config: { action: "users:view" } }, async (request) => {
    const params = paramsOf(request);
    const page = readPage(params, USERS_PAGE);
    const filters = readUserFilters(params);
    const found = await asIntegration(app, request, "read", (ctx) =>
      listUsers(ctx, { ...filters, limit: page.limit, offset: page.offset, devices: true }),
    );
    return okPage(
      found.items.map((user) => duoUser(user, user.devices ?? NO_DEVICES)),
      page,
      found.total,
    );
  });

  app.post("/admin/v1/users", { config: { action: "users:create" } }, async (request) => {
    const params = paramsOf(request);
    const username = params.required("username", { max: 100 });
    const fields = readUserFields(params);
    const slots = readAliasSlots(params);
    const aliases = slots && applyAliasSlots([], slots);
    const user = await asIntegration(app, request, "write", async (ctx) =>
      duoUserOf(ctx, await withDuoFieldNames(createUser(ctx, { username, aliases, ...fields }))),
    );
    return ok(user);
  });

  app.get<UserParams>(
    "/admin/v1/users/:userId",
    { config: { action: "users:view" } },
    async (request) => {
      const user = await asIntegration(app, request, "read", async (ctx) =>
        duoUserOf(ctx, await getUser(ctx, request.params.userId, { devices: true })),
      );
      return ok(user);
    },
  );

  app.post<UserParams>(
    "/admin/v1/users/:userId",
    {
      // The grant every edit needs (adminapi_write_resource); updateUser then authorises each
      // changed field with its own action (users:update_name, update_username, set_status, …).
      config: { action: "users:update_name" },
    },
    async (request) => {
      const params = paramsOf(request);
      const id = request.params.userId;
      const change: UserChange = {
        username: params.string("username", { max: 100 }),
        ...readUserFields(params),
      };
      const slots = readAliasSlots(params);
      const user = await asIntegration(app, request, "write", async (ctx) => {
        const aliases = slots && applyAliasSlots((await getUser(ctx, id)).aliases, slots);
        const updated = await withDuoFieldNames(updateUser(ctx, id, { ...change, aliases }));
        return duoUserOf(ctx, updated);
      });
      return ok(user);
    },
  );

  app.delete<UserParams>(
    "/admin/v1/users/:userId",
    { config: { action: "users:delete" } },
    async (request) => {
      const id = request.params.userId;
      await asIntegration(app, request, "write", (ctx) =>
        deleteIfPresent("user", id, () => deleteUser(ctx, id)),
      );
      return ok("");
    },
  );

  app.get<UserParams>(
    "/admin/v1/users/:userId/groups",
    { config: { action: "groups:view" } },
    async (request) => {
      const page = readPage(paramsOf(request), SUB_LIST_PAGE);
      const id = request.params.userId;
      const found = await asIntegration(app, request, "read", async (ctx) => {
        await getUser(ctx, id);
        return listGroups(ctx, { memberId: id, limit: page.limit, offset: page.offset });
      });
      return okPage(found.items.map(duoGroupV1), page, found.total);
    },
  );

  app.post<UserParams>(
    "/admin/v1/users/:userId/groups",
    { config: { action: "groups:manage_members" } },
    async (request) => {
      const groupId = paramsOf(request).required("group_id", { max: 20 });
      await asIntegration(app, request, "write", (ctx) =>
        addGroupMember(ctx, groupId, request.params.userId),
      );
      return ok("");
    },
  );

  app.delete<UserGroupParams>(
    "/admin/v1/users/:userId/groups/:groupId",
    { config: { action: "groups:manage_members" } },
    async (request) => {
      await asIntegration(app, request, "write", (ctx) =>
        removeGroupMember(ctx, request.params.groupId, request.params.userId),
      );
      return ok("");
    },
  );
};
