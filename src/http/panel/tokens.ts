import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { associateToken, disassociateToken } from "../../domain/tokens/associate.js";
import { createToken } from "../../domain/tokens/create.js";
import { deleteToken } from "../../domain/tokens/delete.js";
import { TOTP_STEPS } from "../../domain/tokens/fields.js";
import { getToken, listTokens } from "../../domain/tokens/list.js";
import { resyncToken } from "../../domain/tokens/resync.js";
import { updateToken } from "../../domain/tokens/update.js";
import {
  Token,
  TokenInput,
  TokenParams,
  TokenType,
  UserParams,
  UserTokenParams,
} from "./device-schemas.js";
import { Input, Ok, PageOf, PageQuery } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const Code = Type.String({ pattern: "^[0-9]{6,8}$" });

/**
 * Hardware tokens (R-ROLE-2 "Manage 2FA devices" and "View basic ... tokens"; R-ROLE-3;
 * R-UNIT-8f). A token's secret goes in once, on creation, and never comes out.
 */
export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/tokens",
    {
      config: { action: "phones:view" },
      schema: {
        querystring: Input({
          search: Type.Optional(Type.String({ maxLength: 128 })),
          type: Type.Optional(TokenType),
          serial: Type.Optional(Type.String({ maxLength: 128 })),
          ...PageQuery,
        }),
        response: { 200: PageOf(Token) },
      },
    },
    (request) => asAdmin(app, request, "read", (ctx) => listTokens(ctx, request.query)),
  );

  app.post(
    "/tokens",
    {
      config: { action: "tokens:create" },
      schema: { body: Input(TokenInput), response: { 200: Token } },
    },
    (request) => asAdmin(app, request, "write", (ctx) => createToken(ctx, request.body)),
  );

  app.get(
    "/tokens/:tokenId",
    {
      config: { action: "phones:view" },
      schema: { params: TokenParams, response: { 200: Token } },
    },
    (request) => asAdmin(app, request, "read", (ctx) => getToken(ctx, request.params.tokenId)),
  );

  app.patch(
    "/tokens/:tokenId",
    {
      config: { action: "tokens:update" },
      schema: {
        params: TokenParams,
        body: Input({
          totp_step: Type.Optional(Type.Union(TOTP_STEPS.map((s) => Type.Literal(s)))),
        }),
        response: { 200: Token },
      },
    },
    (request) =>
      asAdmin(app, request, "write", (ctx) =>
        updateToken(ctx, request.params.tokenId, request.body),
      ),
  );

  app.delete(
    "/tokens/:tokenId",
    { config: { action: "tokens:delete" }, schema: { params: TokenParams, response: { 200: Ok } } },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) => deleteToken(ctx, request.params.tokenId));
      return { ok: true as const };
    },
  );

  app.post(
    "/tokens/:tokenId/resync",
    {
      config: { action: "tokens:update" },
      schema: {
        params: TokenParams,
        body: Input({ codes: Type.Tuple([Code, Code, Code]) }),
        response: { 200: Ok },
      },
    },
    async (request) => {
      const [code1, code2, code3] = request.body.codes;
      await asAdmin(app, request, "write", (ctx) =>
        resyncToken(ctx, request.params.tokenId, [code1, code2, code3]),
      );
      return { ok: true as const };
    },
  );

  app.get(
    "/users/:userId/tokens",
    {
      config: { action: "phones:view" },
      schema: {
        params: UserParams,
        querystring: Input(PageQuery),
        response: { 200: PageOf(Token) },
      },
    },
    (request) =>
      asAdmin(app, request, "read", (ctx) =>
        listTokens(ctx, { ...request.query, userId: request.params.userId }),
      ),
  );

  app.post(
    "/users/:userId/tokens",
    {
      config: { action: "tokens:create" },
      schema: { params: UserParams, body: Input(TokenInput), response: { 200: Token } },
    },
    (request) =>
      asAdmin(app, request, "write", (ctx) =>
        createToken(ctx, request.body, request.params.userId),
      ),
  );

  app.put(
    "/users/:userId/tokens/:tokenId",
    {
      config: { action: "tokens:create" },
      schema: { params: UserTokenParams, response: { 200: Ok } },
    },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) =>
        associateToken(ctx, request.params.userId, request.params.tokenId),
      );
      return { ok: true as const };
    },
  );

  app.delete(
    "/users/:userId/tokens/:tokenId",
    {
      config: { action: "tokens:delete" },
      schema: { params: UserTokenParams, response: { 200: Ok } },
    },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) =>
        disassociateToken(ctx, request.params.userId, request.params.tokenId),
      );
      return { ok: true as const };
    },
  );
};
