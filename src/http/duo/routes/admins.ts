import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from "fastify";
import { ROLES } from "../../../authz/index.js";
import { renewActivationLink } from "../../../domain/admins/activation-link.js";
import {
  deleteActivation,
  listActivations,
  revokeActivationLink,
} from "../../../domain/admins/activations.js";
import { clearInactivity } from "../../../domain/admins/clear-inactivity.js";
import { createAdmin } from "../../../domain/admins/create.js";
import { deleteAdmin } from "../../../domain/admins/delete.js";
import { MAX_ACTIVATION_DAYS, MAX_UNIT_IDS } from "../../../domain/admins/fields.js";
import { getAdmin, listAdmins } from "../../../domain/admins/list.js";
import { resetAdmin } from "../../../domain/admins/reset.js";
import { type AdminChangeInput, updateAdmin } from "../../../domain/admins/update.js";
import { findAdmin } from "../../../domain/admins/view.js";
import type { UseCaseContext } from "../../../domain/context.js";
import { requireMailer } from "../../../domain/email.js";
import { publicUrlOf } from "../../public-url.js";
import { ADMIN_PARAM_NAMES, duoActivation, duoAdmin, withDuoNames } from "../admin-shapes.js";
import { ok, okPage, readPage } from "../envelope.js";
import { invalid, type ParamReader } from "../params.js";
import { asIntegration, paramsOf } from "../use-case.js";
import { unitRoutes } from "./units.js";

type AdminParams = { Params: { admin_id: string } };
type ActivationParams = { Params: { activation_id: string } };

const PAGE = { default: 100, max: 500 };
const MAX_TAGS = 100;

/** §4.7: "no leading `+` means +1 is assumed"; "" clears the number. */
function phoneOf(reader: ParamReader): string | null | undefined {
  const text = reader.string("phone", { max: 32 });
  if (text === undefined) return undefined;
  const phone = text.trim();
  if (phone === "") return null;
  return phone.startsWith("+") ? phone : `+1${phone}`;
}

function listOf(reader: ParamReader, name: string, max: number): string[] | undefined {
  const items = reader.list(name);
  if (items !== undefined && items.length > max) throw invalid(name, `at most ${max} items`);
  return items;
}

/** The fields of Add and Edit Administrator, as Duo names them, with Gatehouse's extras. */
function delegationOf(reader: ParamReader) {
  const role = reader.oneOf("role", ROLES);
  const subaccountRole = reader.oneOf("subaccount_role", ROLES);
  const tags = listOf(reader, "access_tags", MAX_TAGS);
  const restricted = reader.bool("restricted_by_admin_units");
  const unitIds = listOf(reader, "admin_units", MAX_UNIT_IDS);
  return {
    ...(role === undefined ? {} : { role }),
    ...(subaccountRole === undefined ? {} : { subaccount_role: subaccountRole }),
    ...(tags === undefined ? {} : { tags }),
    ...(restricted === undefined ? {} : { restricted }),
    ...(unitIds === undefined ? {} : { unit_ids: unitIds }),
  };
}

/**
 * Duo creates an Owner when no role is given (PY 4.x's add_admin cannot send one). In a Free
 * account no role is assigned at all (R-PLAN-1): every admin acts as an Owner there anyway.
 */
function defaultRole(ctx: UseCaseContext): { role?: "Owner" } {
  return ctx.snapshot.accounts.get(ctx.accountId)?.edition === "Free" ? {} : { role: "Owner" };
}

const validDaysOf = (reader: ParamReader) =>
  reader.int("valid_days", { min: 1, max: MAX_ACTIVATION_DAYS });

/** R-ADM-2: `send_email=1` emails the link too (refused where no mail server is configured). */
const emailWithOf = (app: FastifyInstance, reader: ParamReader) =>
  reader.bool("send_email") === true ? { emailWith: requireMailer(app.mailer, "send_email") } : {};

/**
 * research/duo-api.md §4.7: administrators (grant `adminapi_admins`), through the panel's use cases
 * (R-ROLE-5, R-ROLE-9, R-ADM-1 "not through the API", R-SUB-2, R-UNIT-8h), in the integration's
 * account or the child its `account_id` names (R-TEN-5). Administrative units (§4.8) come along.
 */
export const adminRoutes: FastifyPluginAsync = async (app) => {
  app.get("/admin/v1/admins", { config: { action: "admins:view" } }, async (request) => {
    const page = readPage(paramsOf(request), PAGE);
    const found = await asIntegration(app, request, "read", (ctx) =>
      listAdmins(ctx, { limit: page.limit, offset: page.offset }),
    );
    return okPage(
      found.items.map((admin) => duoAdmin(admin)),
      page,
      found.total ?? 0,
    );
  });

  app.post("/admin/v1/admins", { config: { action: "admins:create" } }, async (request) => {
    const reader = paramsOf(request);
    const email = reader.required("email", { max: 254 });
    const name = reader.required("name", { max: 100 });
    const phone = phoneOf(reader);
    const delegation = delegationOf(reader);
    const validDays = validDaysOf(reader);
    const emailing = emailWithOf(app, reader);
    const created = await asIntegration(app, request, "write", (ctx) =>
      withDuoNames(ADMIN_PARAM_NAMES, () =>
        createAdmin(
          ctx,
          {
            email,
            name,
            ...(phone === undefined ? {} : { phone }),
            ...defaultRole(ctx),
            ...delegation,
            ...(validDays === undefined ? {} : { valid_days: validDays }),
          },
          { publicUrl: publicUrlOf(request), ...emailing },
        ),
      ),
    );
    return ok(duoAdmin(created.admin, created.activation));
  });

  app.get(
    "/admin/v1/admins/activations",
    { config: { action: "admins:view" } },
    async (request) => {
      const page = readPage(paramsOf(request), PAGE);
      const found = await asIntegration(app, request, "read", (ctx) =>
        listActivations(ctx, { limit: page.limit, offset: page.offset }),
      );
      return okPage(
        found.items.map((activation) => duoActivation(activation)),
        page,
        found.total,
      );
    },
  );

  // §4.7: an activation in Duo is an admin-to-be; here it is an admin Pending Activation with a link.
  app.post(
    "/admin/v1/admins/activations",
    { config: { action: "admins:create" } },
    async (request) => {
      const reader = paramsOf(request);
      const email = reader.required("email", { max: 254 });
      const name = reader.string("admin_name", { max: 100 });
      const role = reader.oneOf("admin_role", ROLES);
      const validDays = validDaysOf(reader);
      const emailing = emailWithOf(app, reader);
      const answer = await asIntegration(app, request, "write", async (ctx) => {
        const created = await withDuoNames(
          { fields: { name: "admin_name", role: "admin_role" } },
          () =>
            createAdmin(
              ctx,
              {
                email,
                name: name ?? email,
                ...(role === undefined ? {} : { role }),
                ...(validDays === undefined ? {} : { valid_days: validDays }),
              },
              { publicUrl: publicUrlOf(request), ...emailing },
            ),
        );
        const [activation] = (
          await listActivations(ctx, { limit: 1, offset: 0, admin_id: created.admin.id })
        ).items;
        if (!activation) throw new Error("a new admin has its activation link");
        return duoActivation(activation, created.activation);
      });
      return ok(answer);
    },
  );

  app.delete<ActivationParams>(
    "/admin/v1/admins/activations/:activation_id",
    { config: { action: "admins:delete" } },
    async (request) => {
      await asIntegration(app, request, "write", (ctx) =>
        deleteActivation(ctx, request.params.activation_id),
      );
      return ok("");
    },
  );

  app.get<AdminParams>(
    "/admin/v1/admins/:admin_id",
    { config: { action: "admins:view" } },
    async (request) =>
      ok(
        duoAdmin(
          await asIntegration(app, request, "read", (ctx) =>
            getAdmin(ctx, request.params.admin_id),
          ),
        ),
      ),
  );

  app.post<AdminParams>(
    "/admin/v1/admins/:admin_id",
    { config: { action: "admins:update" } },
    async (request) => {
      const reader = paramsOf(request);
      const name = reader.string("name", { max: 100 });
      const phone = phoneOf(reader);
      const status = reader.oneOf("status", ["Active", "Disabled"] as const);
      // Shown as saved; Gatehouse does not force a password change at sign-in, so it cannot be asked for.
      if (reader.bool("password_change_required") === true)
        throw invalid("password_change_required", "is not supported by this server");
      const input: AdminChangeInput = {
        ...(name === undefined ? {} : { name }),
        ...(phone === undefined ? {} : { phone }),
        ...(status === undefined ? {} : { status }),
        ...delegationOf(reader),
      };
      const admin = await asIntegration(app, request, "write", (ctx) =>
        withDuoNames(ADMIN_PARAM_NAMES, () => updateAdmin(ctx, request.params.admin_id, input)),
      );
      return ok(duoAdmin(admin));
    },
  );

  app.delete<AdminParams>(
    "/admin/v1/admins/:admin_id",
    { config: { action: "admins:delete" } },
    async (request) => {
      await asIntegration(app, request, "write", (ctx) =>
        deleteAdmin(ctx, request.params.admin_id),
      );
      return ok("");
    },
  );

  // R-ADM-4: failed sign-ins forgotten, a lockout ended.
  app.post<AdminParams>(
    "/admin/v1/admins/:admin_id/reset",
    { config: { action: "admins:update" } },
    async (request) => {
      await asIntegration(app, request, "write", (ctx) => resetAdmin(ctx, request.params.admin_id));
      return ok("");
    },
  );

  app.post<AdminParams>(
    "/admin/v1/admins/:admin_id/clear_inactivity",
    { config: { action: "admins:update" } },
    async (request) => {
      const admin = await asIntegration(app, request, "write", async (ctx) => {
        await clearInactivity(ctx, request.params.admin_id);
        return findAdmin(ctx, request.params.admin_id);
      });
      return ok(duoAdmin(admin));
    },
  );

  // R-ADM-2: a new link replaces any unused one (Duo refuses while one exists; here the newest wins).
  // Its `/email` form emails it: a link is kept only hashed, so a new one is what can be sent.
  const renewLink = async (request: FastifyRequest<AdminParams>, emailed: boolean) => {
    const reader = paramsOf(request);
    const validDays = validDaysOf(reader);
    const emailing = emailed
      ? { emailWith: requireMailer(app.mailer, "send_email") }
      : emailWithOf(app, reader);
    const answer = await asIntegration(app, request, "write", async (ctx) => {
      const link = await renewActivationLink(ctx, request.params.admin_id, {
        ...(validDays === undefined ? {} : { valid_days: validDays }),
        publicUrl: publicUrlOf(request),
        ...emailing,
      });
      return duoAdmin(await findAdmin(ctx, request.params.admin_id), link);
    });
    return ok(answer);
  };
  app.post<AdminParams>(
    "/admin/v1/admins/:admin_id/activation_link",
    { config: { action: "admins:update" } },
    (request) => renewLink(request, false),
  );
  app.post<AdminParams>(
    "/admin/v1/admins/:admin_id/activation_link/email",
    { config: { action: "admins:update" } },
    (request) => renewLink(request, true),
  );

  app.delete<AdminParams>(
    "/admin/v1/admins/:admin_id/activation_link",
    { config: { action: "admins:update" } },
    async (request) =>
      ok(
        duoAdmin(
          await asIntegration(app, request, "write", (ctx) =>
            revokeActivationLink(ctx, request.params.admin_id),
          ),
        ),
      ),
  );

  await app.register(unitRoutes);
};
