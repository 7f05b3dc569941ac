import type { FastifyPluginAsync } from "fastify";
import { associateToken, disassociateToken } from "../../../domain/tokens/associate.js";
import { createToken } from "../../../domain/tokens/create.js";
import { deleteToken } from "../../../domain/tokens/delete.js";
import { MAX_COUNTER, TOKEN_TYPES } from "../../../domain/tokens/fields.js";
import { getToken, listTokens } from "../../../domain/tokens/list.js";
import { resyncToken } from "../../../domain/tokens/resync.js";
import { updateToken } from "../../../domain/tokens/update.js";
import { duoToken, duoTokenWithUsers } from "../device-shapes.js";
import { ok, okPage, readPage } from "../envelope.js";
import { invalid } from "../params.js";
import { asIntegration, deleteIfPresent, paramsOf } from "../use-case.js";

/** research/duo-api.md §3: tokens, and a user's tokens, page by 100 up to 500. */
const TOKENS_PAGE = { default: 100, max: 500 };
/** Hex secrets and keys are checked by the domain; this only bounds what is read. */
const MAX_SECRET = 256;

type TokenParams = { Params: { tokenId: string } };
type UserParams = { Params: { userId: string } };
type UserTokenParams = { Params: { userId: string; tokenId: string } };

/**
 * research/duo-api.md §4.4 (hardware tokens) and §4.1 (a user's tokens), on the panel's use
 * cases. Secrets go in on creation and never come out.
 */
export const tokenRoutes: FastifyPluginAsync = async (app) => {
  app.get("/admin/v1/tokens", { config: { action: "phones:view" } }, async (request) => {
    const params = paramsOf(request);
    const page = readPage(params, TOKENS_PAGE);
    const type = params.oneOf("type", TOKEN_TYPES);
    const serial = params.string("serial", { max: 128 });
    // §4.4: a lookup names both.
    if (type !== undefined && serial === undefined)
      throw invalid("serial", "is required with type");
    if (serial !== undefined && type === undefined)
      throw invalid("type", "is required with serial");
    const found = await asIntegration(app, request, "read", (ctx) =>
      listTokens(ctx, { type, serial, limit: page.limit, offset: page.offset }),
    );
    return okPage(found.items.map(duoTokenWithUsers), page, found.total);
  });

  app.post("/admin/v1/tokens", { config: { action: "tokens:create" } }, async (request) => {
    const params = paramsOf(request);
    const input = {
      type: params.required("type", { max: 2 }) as (typeof TOKEN_TYPES)[number],
      serial: params.required("serial", { max: 128 }),
      secret: params.string("secret", { max: MAX_SECRET }),
      counter: params.int("counter", { min: 0, max: MAX_COUNTER }),
      totp_step: params.int("totp_step", { min: 1, max: 3600 }),
      private_id: params.string("private_id", { max: MAX_SECRET }),
      aes_key: params.string("aes_key", { max: MAX_SECRET }),
    };
    const token = await asIntegration(app, request, "write", (ctx) => createToken(ctx, input));
    return ok(duoTokenWithUsers(token));
  });

  app.get<TokenParams>(
    "/admin/v1/tokens/:tokenId",
    { config: { action: "phones:view" } },
    async (request) => {
      const token = await asIntegration(app, request, "read", (ctx) =>
        getToken(ctx, request.params.tokenId),
      );
      return ok(duoTokenWithUsers(token));
    },
  );

  app.post<TokenParams>(
    "/admin/v1/tokens/:tokenId",
    { config: { action: "tokens:update" } },
    async (request) => {
      const totpStep = paramsOf(request).int("totp_step", { min: 1, max: 3600 });
      const token = await asIntegration(app, request, "write", (ctx) =>
        updateToken(ctx, request.params.tokenId, { totp_step: totpStep }),
      );
      return ok(duoTokenWithUsers(token));
    },
  );

  app.delete<TokenParams>(
    "/admin/v1/tokens/:tokenId",
    { config: { action: "tokens:delete" } },
    async (request) => {
      const id = request.params.tokenId;
      await asIntegration(app, request, "write", (ctx) =>
        deleteIfPresent("hardware_token", id, () => deleteToken(ctx, id)),
      );
      return ok("");
    },
  );

  app.post<TokenParams>(
    "/admin/v1/tokens/:tokenId/resync",
    { config: { action: "tokens:update" } },
    async (request) => {
      const params = paramsOf(request);
      const codes: [string, string, string] = [
        params.required("code1", { max: 10 }),
        params.required("code2", { max: 10 }),
        params.required("code3", { max: 10 }),
      ];
      await asIntegration(app, request, "write", (ctx) =>
        resyncToken(ctx, request.params.tokenId, codes),
      );
      return ok("");
    },
  );

  app.get<UserParams>(
    "/admin/v1/users/:userId/tokens",
    { config: { action: "phones:view" } },
    async (request) => {
      const page = readPage(paramsOf(request), TOKENS_PAGE);
      const found = await asIntegration(app, request, "read", (ctx) =>
        listTokens(ctx, { userId: request.params.userId, ...page }),
      );
      return okPage(found.items.map(duoToken), page, found.total);
    },
  );

  app.post<UserParams>(
    "/admin/v1/users/:userId/tokens",
    { config: { action: "tokens:create" } },
    async (request) => {
      const tokenId = paramsOf(request).required("token_id", { max: 20 });
      await asIntegration(app, request, "write", (ctx) =>
        associateToken(ctx, request.params.userId, tokenId),
      );
      return ok("");
    },
  );

  app.delete<UserTokenParams>(
    "/admin/v1/users/:userId/tokens/:tokenId",
    { config: { action: "tokens:delete" } },
    async (request) => {
      await asIntegration(app, request, "write", (ctx) =>
        disassociateToken(ctx, request.params.userId, request.params.tokenId),
      );
      return ok("");
    },
  );
};
