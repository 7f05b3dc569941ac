import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { MAX_CODES_PER_REQUEST } from "../../domain/bypass-codes/codes.js";
import {
  createBypassCodes,
  MAX_REUSE_COUNT,
  MAX_VALID_SECS,
} from "../../domain/bypass-codes/create.js";
import { deleteBypassCode, deleteUserBypassCodes } from "../../domain/bypass-codes/delete.js";
import { listBypassCodes } from "../../domain/bypass-codes/list.js";
import { MAX_PAGE_SIZE } from "../../domain/paging.js";
import { IdOf, Input, Ok, PageQuery } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const UserParams = Type.Object({ userId: IdOf("DU") });
const CodeParams = Type.Object({ userId: IdOf("DU"), codeId: IdOf("DB") });
const BypassCode = Type.Object({
  id: Type.String(),
  user: Type.Object({
    id: Type.String(),
    username: Type.String(),
    real_name: Type.String(),
    email: Type.String(),
    status: Type.String(),
  }),
  created_at: Type.String(),
  expires_at: Type.Union([Type.String(), Type.Null()]),
  reuse_count: Type.Integer(),
  remaining_uses: Type.Union([Type.Integer(), Type.Null()]),
  created_by: Type.String(),
  created_by_admin: Type.Boolean(),
});

/**
 * A user's bypass codes (R-ROLE-2 "Manage 2FA devices and bypass codes", R-ROLE-3, R-ROLE-4,
 * R-UNIT-8f). The codes themselves appear once, in the answer to their creation.
 */
export const bypassCodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/users/:userId/bypass-codes",
    {
      // The devices capability's gate. bypass_codes:create itself is decided in the use case with
      // the expiration asked for, which R-ROLE-4 "limit" needs; decided here without it, a Help
      // Desk admin under "limit" would be refused even within the limit.
      config: { action: "bypass_codes:delete" },
      schema: {
        params: UserParams,
        body: Input({
          count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CODES_PER_REQUEST })),
          codes: Type.Optional(
            Type.Array(Type.String({ pattern: "^[0-9]{6,20}$" }), {
              minItems: 1,
              maxItems: MAX_CODES_PER_REQUEST,
            }),
          ),
          valid_secs: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_VALID_SECS })),
          reuse_count: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_REUSE_COUNT })),
          preserve_existing: Type.Optional(Type.Boolean()),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ ...BypassCode.properties, code: Type.String() })),
          }),
        },
      },
    },
    async (request) => {
      const body = request.body;
      const items = await asAdmin(app, request, "write", (ctx) =>
        createBypassCodes(ctx, request.params.userId, {
          count: body.count,
          codes: body.codes,
          validSecs: body.valid_secs,
          reuseCount: body.reuse_count,
          preserveExisting: body.preserve_existing,
        }),
      );
      return { items };
    },
  );

  app.get(
    "/users/:userId/bypass-codes",
    {
      config: { action: "users:view_details" },
      schema: {
        params: UserParams,
        querystring: Input({
          limit: PageQuery.limit,
          offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
        }),
        response: {
          200: Type.Object({ items: Type.Array(BypassCode), total: Type.Integer() }),
        },
      },
    },
    async (request) => {
      const page = await asAdmin(app, request, "read", (ctx) =>
        listBypassCodes(ctx, {
          userId: request.params.userId,
          limit: Math.min(request.query.limit, MAX_PAGE_SIZE),
          offset: request.query.offset,
        }),
      );
      return { items: page.items, total: page.total };
    },
  );

  app.delete(
    "/users/:userId/bypass-codes/:codeId",
    {
      config: { action: "bypass_codes:delete" },
      schema: { params: CodeParams, response: { 200: Ok } },
    },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) =>
        deleteBypassCode(ctx, request.params.codeId, request.params.userId),
      );
      return { ok: true as const };
    },
  );

  app.delete(
    "/users/:userId/bypass-codes",
    {
      config: { action: "bypass_codes:delete" },
      schema: { params: UserParams, response: { 200: Type.Object({ deleted: Type.Integer() }) } },
    },
    async (request) => {
      const deleted = await asAdmin(app, request, "write", (ctx) =>
        deleteUserBypassCodes(ctx, request.params.userId),
      );
      return { deleted };
    },
  );
};
