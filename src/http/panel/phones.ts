import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { associatePhone, disassociatePhone } from "../../domain/phones/associate.js";
import { createPhone } from "../../domain/phones/create.js";
import { deletePhone } from "../../domain/phones/delete.js";
import { getPhone, listPhones } from "../../domain/phones/list.js";
import { updatePhone } from "../../domain/phones/update.js";
import { Phone, PhoneInput, PhoneParams, UserParams, UserPhoneParams } from "./device-schemas.js";
import { Input, Ok, PageOf, PageQuery } from "./schemas.js";
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
