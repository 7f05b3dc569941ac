import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { type TSchema, Type } from "typebox";
import { renewActivationLink } from "../../domain/admins/activation-link.js";
import { clearInactivity } from "../../domain/admins/clear-inactivity.js";
import { createAdmin } from "../../domain/admins/create.js";
import { deleteAdmin } from "../../domain/admins/delete.js";
import { MAX_ACTIVATION_DAYS, MAX_UNIT_IDS } from "../../domain/admins/fields.js";
import { getAdmin, listAdmins } from "../../domain/admins/list.js";
import { updateAdmin } from "../../domain/admins/update.js";
import { requireMailer } from "../../domain/email.js";
import { publicUrlOf } from "../public-url.js";
import { IdOf, Input, Ok, PageOf, PageQuery, Role, Tag } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const AdminId = IdOf("DE");
const Params = Type.Object({ adminId: AdminId });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Phone = Type.Union([Type.String({ maxLength: 32 }), Type.Null()]);
const Tags = Type.Array(Tag, { maxItems: 100 });
const UnitIds = Type.Array(IdOf("DN"), { maxItems: MAX_UNIT_IDS });
const ValidDays = Type.Integer({ minimum: 1, maximum: MAX_ACTIVATION_DAYS });
const Status = Type.Union([
  Type.Literal("Active"),
  Type.Literal("Disabled"),
  Type.Literal("Expired"),
  Type.Literal("Pending Activation"),
]);

const Admin = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  role: Role,
  subaccount_role: Type.Union([Role, Type.Null()]),
  status: Status,
  tags: Type.Array(Type.String()),
  restricted_by_units: Type.Boolean(),
  unit_ids: Type.Array(Type.String()),
  directory_synced: Type.Boolean(),
  is_temporary: Type.Boolean(),
  last_sign_in_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
});
/** A POST whose fields are all optional may come without a body (Fastify validates it as null). */
const OptionalBody = <T extends Record<string, TSchema>>(properties: T) =>
  Type.Union([Input(properties), Type.Null()]);
const ActivationLink = Type.Object({
  url: Type.String(),
  expires_at: Type.String(),
  emailed_to: Type.Optional(Type.String()),
});
/** R-ADM-2: also email the link to the admin (refused where no mail server is configured). */
const SendEmail = Type.Optional(Type.Boolean());
const emailing = (app: FastifyInstance, send: boolean | undefined) =>
  send === true ? { emailWith: requireMailer(app.mailer, "send_email") } : {};

/** R-ADM-2: the link points at the panel the Owner is using (the address they reached it by). */

/**
 * The Administrators page (R-ROLE-5: Owners manage admins, in the account the session acts in,
 * R-TEN-2, R-SUB-5), searchable by role, subaccount role and tag (R-TAG-6).
 */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/admins",
    {
      config: { action: "admins:view" },
      schema: {
        querystring: Input({
          search: Type.Optional(Type.String({ maxLength: 100 })),
          role: Type.Optional(Role),
          subaccount_role: Type.Optional(Role),
          tag: Type.Optional(Tag),
          ...PageQuery,
        }),
        response: { 200: PageOf(Admin) },
      },
    },
    (request) => asAdmin(app, request, "read", (ctx) => listAdmins(ctx, request.query)),
  );

  app.get(
    "/admins/:adminId",
    {
      config: { action: "admins:view" },
      schema: { params: Params, response: { 200: Admin } },
    },
    (request) => asAdmin(app, request, "read", (ctx) => getAdmin(ctx, request.params.adminId)),
  );

  app.post(
    "/admins",
    {
      config: { action: "admins:create" },
      schema: {
        body: Input({
          email: Type.String({ minLength: 3, maxLength: 254 }),
          name: Name,
          phone: Type.Optional(Phone),
          role: Type.Optional(Role),
          subaccount_role: Type.Optional(Role),
          tags: Type.Optional(Tags),
          unit_ids: Type.Optional(UnitIds),
          valid_days: Type.Optional(ValidDays),
          send_email: SendEmail,
        }),
        response: { 200: Type.Object({ admin: Admin, activation: ActivationLink }) },
      },
    },
    async (request) => {
      const { send_email: send, ...input } = request.body;
      const options = { publicUrl: publicUrlOf(request), ...emailing(app, send) };
      return asAdmin(app, request, "write", (ctx) => createAdmin(ctx, input, options));
    },
  );

  app.patch(
    "/admins/:adminId",
    {
      config: { action: "admins:update" },
      schema: {
        params: Params,
        body: Input({
          name: Type.Optional(Name),
          phone: Type.Optional(Phone),
          role: Type.Optional(Role),
          subaccount_role: Type.Optional(Role),
          tags: Type.Optional(Tags),
          unit_ids: Type.Optional(UnitIds),
          restricted: Type.Optional(Type.Boolean()),
          // R-ADM-1: the panel disables and re-enables; Expired and Pending Activation are reached otherwise.
          status: Type.Optional(Type.Union([Type.Literal("Active"), Type.Literal("Disabled")])),
        }),
        response: { 200: Admin },
      },
    },
    (request) =>
      asAdmin(app, request, "write", (ctx) =>
        updateAdmin(ctx, request.params.adminId, request.body),
      ),
  );

  app.delete(
    "/admins/:adminId",
    {
      config: { action: "admins:delete" },
      schema: { params: Params, response: { 200: Ok } },
    },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) => deleteAdmin(ctx, request.params.adminId));
      return { ok: true as const };
    },
  );

  app.post(
    "/admins/:adminId/clear-inactivity",
    {
      config: { action: "admins:update" },
      schema: {
        params: Params,
        body: OptionalBody({}),
        response: { 200: Type.Object({ status: Status }) },
      },
    },
    (request) =>
      asAdmin(app, request, "write", (ctx) => clearInactivity(ctx, request.params.adminId)),
  );

  app.post(
    "/admins/:adminId/activation-link",
    {
      config: { action: "admins:update" },
      schema: {
        params: Params,
        body: OptionalBody({ valid_days: Type.Optional(ValidDays), send_email: SendEmail }),
        response: { 200: ActivationLink },
      },
    },
    async (request) => {
      const options = emailing(app, request.body?.send_email);
      return asAdmin(app, request, "write", (ctx) =>
        renewActivationLink(ctx, request.params.adminId, {
          ...(request.body?.valid_days === undefined
            ? {}
            : { valid_days: request.body.valid_days }),
          publicUrl: publicUrlOf(request),
          ...options,
        }),
      );
    },
  );
};
