import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { MAX_ACTIVATION_SECONDS } from "../../domain/activations/create.js";
import { createPhoneActivation } from "../../domain/phones/activation.js";
import { associatePhone, disassociatePhone } from "../../domain/phones/associate.js";
import { createPhone } from "../../domain/phones/create.js";
import { deletePhone } from "../../domain/phones/delete.js";
import { getPhone, listPhones } from "../../domain/phones/list.js";
import { updatePhone } from "../../domain/phones/update.js";
import { activationLinks } from "../auth-api/activation-links.js";
import { publicUrlOf } from "../public-url.js";
import { Phone, PhoneInput, PhoneParams, UserParams, UserPhoneParams } from "./device-schemas.js";
import { IdOf, Input, Ok, PageOf, PageQuery } from "./schemas.js";
import { asAdmin } from "./use-case.js";

/**
 * Phones (R-ROLE-2 "Manage 2FA devices" and "View basic ... phones"; R-ROLE-3: not Application
 * Manager's; R-UNIT-8f: a restricted admin's are those of users in their units).
 */
export const phoneRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/phones",
    {
      config: { action: "phones:view" },
      schema: {
        querystring: Input({
          search: Type.Optional(Type.String({ maxLength: 100 })),
          number: Type.Optional(Type.String({ maxLength: 32 })),
          extension: Type.Optional(Type.String({ maxLength: 15 })),
          ...PageQuery,
        }),
        response: { 200: PageOf(Phone) },
      },
    },
    (request) => asAdmin(app, request, "read", (ctx) => listPhones(ctx, request.query)),
  );

  app.post(
    "/phones",
    {
      config: { action: "phones:create" },
      schema: { body: Input(PhoneInput), response: { 200: Phone } },
    },
    (request) => asAdmin(app, request, "write", (ctx) => createPhone(ctx, request.body)),
  );

  app.get(
    "/phones/:phoneId",
    {
      config: { action: "phones:view" },
      schema: { params: PhoneParams, response: { 200: Phone } },
    },
    (request) => asAdmin(app, request, "read", (ctx) => getPhone(ctx, request.params.phoneId)),
  );

  app.patch(
    "/phones/:phoneId",
    {
      config: { action: "phones:update" },
      schema: { params: PhoneParams, body: Input(PhoneInput), response: { 200: Phone } },
    },
    (request) =>
      asAdmin(app, request, "write", (ctx) =>
        updatePhone(ctx, request.params.phoneId, request.body),
      ),
  );

  app.delete(
    "/phones/:phoneId",
    { config: { action: "phones:delete" }, schema: { params: PhoneParams, response: { 200: Ok } } },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) => deletePhone(ctx, request.params.phoneId));
      return { ok: true as const };
    },
  );

  // "Set up authenticator app": a single-use link, shown once (R-AUTH-5); Help Desk may (R-ROLE-3).
  app.post(
    "/phones/:phoneId/activation",
    {
      config: { action: "phones:send_activation" },
      schema: {
        params: PhoneParams,
        body: Input({
          user_id: Type.Optional(IdOf("DU")),
          valid_secs: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ACTIVATION_SECONDS })),
        }),
        response: {
          200: Type.Object({
            user_id: Type.String(),
            username: Type.String(),
            activation_url: Type.String(),
            activation_barcode: Type.String(),
            expires_at: Type.String(),
          }),
        },
      },
    },
    async (request) => {
      const created = await asAdmin(app, request, "write", (ctx) =>
        createPhoneActivation(ctx, request.params.phoneId, {
          userId: request.body.user_id,
          validSeconds: request.body.valid_secs,
        }),
      );
      const links = activationLinks(publicUrlOf(request), created.activation.token);
      return {
        user_id: created.userId,
        username: created.username,
        activation_url: links.page,
        activation_barcode: links.barcode,
        expires_at: created.activation.expiresAt.toISOString(),
      };
    },
  );

  app.get(
    "/users/:userId/phones",
    {
      config: { action: "phones:view" },
      schema: {
        params: UserParams,
        querystring: Input(PageQuery),
        response: { 200: PageOf(Phone) },
      },
    },
    (request) =>
      asAdmin(app, request, "read", (ctx) =>
        listPhones(ctx, { ...request.query, userId: request.params.userId }),
      ),
  );

  app.post(
    "/users/:userId/phones",
    {
      config: { action: "phones:create" },
      schema: { params: UserParams, body: Input(PhoneInput), response: { 200: Phone } },
    },
    (request) =>
      asAdmin(app, request, "write", (ctx) =>
        createPhone(ctx, request.body, request.params.userId),
      ),
  );

  app.put(
    "/users/:userId/phones/:phoneId",
    {
      config: { action: "phones:create" },
      schema: { params: UserPhoneParams, response: { 200: Ok } },
    },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) =>
        associatePhone(ctx, request.params.userId, request.params.phoneId),
      );
      return { ok: true as const };
    },
  );

  app.delete(
    "/users/:userId/phones/:phoneId",
    {
      config: { action: "phones:delete" },
      schema: { params: UserPhoneParams, response: { 200: Ok } },
    },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) =>
        disassociatePhone(ctx, request.params.userId, request.params.phoneId),
      );
      return { ok: true as const };
    },
  );
};
