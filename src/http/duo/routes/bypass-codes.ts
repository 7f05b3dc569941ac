import type { FastifyPluginAsync } from "fastify";
import { MAX_CODES_PER_REQUEST } from "../../../domain/bypass-codes/codes.js";
import {
  createBypassCodes,
  MAX_REUSE_COUNT,
  MAX_VALID_SECS,
} from "../../../domain/bypass-codes/create.js";
import { deleteBypassCode } from "../../../domain/bypass-codes/delete.js";
import { getBypassCode, listBypassCodes } from "../../../domain/bypass-codes/list.js";
import type { BypassCodeView } from "../../../domain/bypass-codes/view.js";
import { ok, okPage, readPage, unixSeconds } from "../envelope.js";
import { invalid } from "../params.js";
import { asIntegration, paramsOf } from "../use-case.js";

/** research/duo-api.md §3: bypass code lists page by 100 up to 500. */
const BYPASS_PAGE = { default: 100, max: 500 };

type UserParams = { Params: { userId: string } };
type CodeParams = { Params: { codeId: string } };

/**
 * §5 bypass_code (partly inferred there): never the code itself. `reuse_count` is the uses left,
 * 0 for a code usable any number of times; `admin_email` is empty for codes an integration made.
 */
function duoBypassCode(code: BypassCodeView) {
  return {
    bypass_code_id: code.id,
    admin_email: code.created_by_admin ? code.created_by : "",
    created: unixSeconds(code.created_at),
    expiration: code.expires_at === null ? null : unixSeconds(code.expires_at),
    reuse_count: code.remaining_uses ?? 0,
    user: {
      user_id: code.user.id,
      username: code.user.username,
      realname: code.user.real_name,
      email: code.user.email,
      status: code.user.status,
    },
  };
}

/**
 * research/duo-api.md §4.1 (a user's bypass codes) and §4.4 (the account's), on the panel's use
 * cases: the route's declared action is checked first, then the use case asks again on the user.
 */
export const bypassCodeRoutes: FastifyPluginAsync = async (app) => {
  app.post<UserParams>(
    "/admin/v1/users/:userId/bypass_codes",
    { config: { action: "bypass_codes:create" } },
    async (request) => {
      const params = paramsOf(request);
      const count = params.int("count", { min: 1, max: MAX_CODES_PER_REQUEST });
      const codes = params.list("codes");
      if (count !== undefined && codes !== undefined)
        throw invalid("codes", "give either count or codes, not both");
      if (codes !== undefined && (codes.length < 1 || codes.length > MAX_CODES_PER_REQUEST))
        throw invalid("codes", `must list 1 to ${MAX_CODES_PER_REQUEST} codes`);
      const wanted = {
        count,
        codes,
        validSecs: params.int("valid_secs", { min: 0, max: MAX_VALID_SECS }),
        reuseCount: params.int("reuse_count", { min: 0, max: MAX_REUSE_COUNT }),
        preserveExisting: params.bool("preserve_existing"),
      };
      const created = await asIntegration(app, request, "write", (ctx) =>
        createBypassCodes(ctx, request.params.userId, wanted),
      );
      // §4.1: the answer is the list of the codes, the only time they are shown.
      return ok(created.map((code) => code.code));
    },
  );

  app.get<UserParams>(
    "/admin/v1/users/:userId/bypass_codes",
    { config: { action: "users:view_details" } },
    async (request) => {
      const page = readPage(paramsOf(request), BYPASS_PAGE);
      const found = await asIntegration(app, request, "read", (ctx) =>
        listBypassCodes(ctx, { userId: request.params.userId, ...page }),
      );
      return okPage(found.items.map(duoBypassCode), page, found.total);
    },
  );

  app.get(
    "/admin/v1/bypass_codes",
    { config: { action: "users:view_details" } },
    async (request) => {
      const page = readPage(paramsOf(request), BYPASS_PAGE);
      const found = await asIntegration(app, request, "read", (ctx) => listBypassCodes(ctx, page));
      return okPage(found.items.map(duoBypassCode), page, found.total);
    },
  );

  app.get<CodeParams>(
    "/admin/v1/bypass_codes/:codeId",
    { config: { action: "users:view_details" } },
    async (request) => {
      const code = await asIntegration(app, request, "read", (ctx) =>
        getBypassCode(ctx, request.params.codeId),
      );
      return ok(duoBypassCode(code));
    },
  );

  app.delete<CodeParams>(
    "/admin/v1/bypass_codes/:codeId",
    { config: { action: "bypass_codes:delete" } },
    async (request) => {
      await asIntegration(app, request, "write", (ctx) =>
        deleteBypassCode(ctx, request.params.codeId),
      );
      return ok("");
    },
  );
};
