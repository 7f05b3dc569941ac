import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { MAX_DESCRIPTION_LENGTH, MAX_IDS } from "../../domain/units/fields.js";
import { getUnit, listUnits } from "../../domain/units/list.js";
import { createUnit, deleteUnit, updateUnit } from "../../domain/units/manage.js";
import { previewUnits } from "../../domain/units/preview.js";
import { IdOf, Input, Ok, PageOf, PageQuery } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const UnitId = IdOf("DN");
const Ids = (prefix: string) => Type.Array(IdOf(prefix), { maxItems: MAX_IDS });

const Unit = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  all_groups: Type.Boolean(),
  all_applications: Type.Boolean(),
  group_ids: Type.Array(Type.String()),
  application_ids: Type.Array(Type.String()),
  admin_ids: Type.Array(Type.String()),
  counts: Type.Object({
    groups: Type.Integer(),
    applications: Type.Integer(),
    admins: Type.Integer(),
  }),
  created_at: Type.String(),
});

const ScopePreview = Type.Object({
  all: Type.Boolean(),
  count: Type.Integer(),
  items: Type.Optional(Type.Array(Type.Object({ id: Type.String(), name: Type.String() }))),
  truncated: Type.Optional(Type.Boolean()),
});

const UnitPreview = Type.Object({
  admin_id: Type.String(),
  restricted: Type.Boolean(),
  unit_ids: Type.Array(Type.String()),
  groups: ScopePreview,
  applications: ScopePreview,
  refusal: Type.Union([Type.Object({ rule: Type.String(), reason: Type.String() }), Type.Null()]),
});

const UnitFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.Optional(Type.String({ maxLength: MAX_DESCRIPTION_LENGTH })),
  all_groups: Type.Optional(Type.Boolean()),
  all_applications: Type.Optional(Type.Boolean()),
  group_ids: Type.Optional(Ids("DG")),
  application_ids: Type.Optional(Ids("DI")),
  admin_ids: Type.Optional(Ids("DE")),
};

const Params = Type.Object({ unitId: UnitId });

/**
 * Administrative units (R-UNIT-1..9): Owners only, paid editions only (R-PLAN-3), in the account the
 * session acts in (R-SUB-6).
 */
export const unitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/units",
    {
      config: { action: "units:manage" },
      schema: {
        querystring: Input({
          search: Type.Optional(Type.String({ maxLength: 100 })),
          ...PageQuery,
        }),
        response: { 200: PageOf(Unit) },
      },
    },
    (request) => asAdmin(app, request, "read", (ctx) => listUnits(ctx, request.query)),
  );

  // R-UNIT-7: a read, so a GET: it changes nothing and writes no log record.
  app.get(
    "/units/preview",
    {
      config: { action: "units:manage" },
      schema: {
        querystring: Input({
          admin_id: IdOf("DE"),
          unit_ids: Type.Optional(Ids("DN")),
          all: Type.Optional(Type.Boolean()),
          details: Type.Optional(Type.Boolean()),
        }),
        response: { 200: UnitPreview },
      },
    },
    (request) => asAdmin(app, request, "read", (ctx) => previewUnits(ctx, request.query)),
  );

  app.get(
    "/units/:unitId",
    {
      config: { action: "units:manage" },
      schema: { params: Params, response: { 200: Unit } },
    },
    (request) => asAdmin(app, request, "read", (ctx) => getUnit(ctx, request.params.unitId)),
  );

  app.post(
    "/units",
    {
      config: { action: "units:manage" },
      schema: { body: Input(UnitFields), response: { 200: Unit } },
    },
    (request) => asAdmin(app, request, "write", (ctx) => createUnit(ctx, request.body)),
  );

  app.patch(
    "/units/:unitId",
    {
      config: { action: "units:manage" },
      schema: {
        params: Params,
        body: Input({ ...UnitFields, name: Type.Optional(UnitFields.name) }),
        response: { 200: Unit },
      },
    },
    (request) =>
      asAdmin(app, request, "write", (ctx) => updateUnit(ctx, request.params.unitId, request.body)),
  );

  app.delete(
    "/units/:unitId",
    {
      config: { action: "units:manage" },
      schema: { params: Params, response: { 200: Ok } },
    },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) => deleteUnit(ctx, request.params.unitId));
      return { ok: true as const };
    },
  );
};
