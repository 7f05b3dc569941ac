import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { assignToUnit, type UnitMember, unassignFromUnit } from "../../../domain/units/assign.js";
import { MAX_IDS } from "../../../domain/units/fields.js";
import { getUnit, listUnits } from "../../../domain/units/list.js";
import {
  createUnit,
  deleteUnit,
  type UnitInput,
  updateUnit,
} from "../../../domain/units/manage.js";
import { duoUnit, UNIT_PARAM_NAMES, withDuoNames } from "../admin-shapes.js";
import { ok, okPage, readPage } from "../envelope.js";
import { invalid, type ParamReader } from "../params.js";
import { asIntegration, paramsOf } from "../use-case.js";

type UnitParams = { Params: { admin_unit_id: string } };
type MemberParams = { Params: { admin_unit_id: string; member_id: string } };

const PAGE = { default: 100, max: 500 };
const BASE = "/admin/v1/administrative_units";

function idsOf(reader: ParamReader, name: string): string[] | undefined {
  const ids = reader.list(name);
  if (ids !== undefined && ids.length > MAX_IDS) throw invalid(name, `at most ${MAX_IDS} ids`);
  return ids;
}

/**
 * §4.8's fields as Edit Unit's (R-UNIT-2): `restrict_by_groups` is "specific groups" (false: all);
 * absent, giving `groups` chooses them, as in the panel.
 */
function unitInputOf(reader: ParamReader, create: boolean): UnitInput {
  const name = create ? reader.required("name", { max: 100 }) : reader.string("name", { max: 100 });
  const description = reader.string("description", { max: 500 });
  const byGroups = reader.bool("restrict_by_groups");
  const byIntegrations = reader.bool("restrict_by_integrations");
  const admins = idsOf(reader, "admins");
  const groups = idsOf(reader, "groups");
  const integrations = idsOf(reader, "integrations");
  return {
    ...(name === undefined ? {} : { name }),
    ...(description === undefined ? {} : { description }),
    ...(byGroups === undefined ? {} : { all_groups: !byGroups }),
    ...(byIntegrations === undefined ? {} : { all_applications: !byIntegrations }),
    ...(admins === undefined ? {} : { admin_ids: admins }),
    ...(groups === undefined ? {} : { group_ids: groups }),
    ...(integrations === undefined ? {} : { application_ids: integrations }),
  };
}

/**
 * research/duo-api.md §4.8: administrative units (grant `adminapi_admins`; R-PLAN-3 paid editions),
 * through the panel's use cases (R-UNIT-1..5, R-UNIT-8h, R-SUB-6), in the integration's account or
 * the child its `account_id` names (R-TEN-5). Assignments use Duo's singular path segments.
 */
export const unitRoutes: FastifyPluginAsync = async (app) => {
  app.get(BASE, { config: { action: "units:manage" } }, async (request) => {
    const reader = paramsOf(request);
    const page = readPage(reader, PAGE);
    const adminId = reader.string("admin_id", { max: 20 });
    const groupId = reader.string("group_id", { max: 20 });
    const integrationKey = reader.string("integration_key", { max: 20 });
    const given = [
      adminId && "admin_id",
      groupId && "group_id",
      integrationKey && "integration_key",
    ];
    const filters = given.filter((name): name is string => typeof name === "string");
    if (filters.length > 1)
      throw invalid(filters[1] ?? "", `cannot be combined with ${filters[0]}`);
    const found = await asIntegration(app, request, "read", (ctx) =>
      listUnits(ctx, {
        limit: page.limit,
        offset: page.offset,
        ...(adminId === undefined ? {} : { admin_id: adminId }),
        ...(groupId === undefined ? {} : { group_id: groupId }),
        ...(integrationKey === undefined ? {} : { application_id: integrationKey }),
      }),
    );
    return okPage(found.items.map(duoUnit), page, found.total ?? 0);
  });

  app.post(BASE, { config: { action: "units:manage" } }, async (request) => {
    const input = unitInputOf(paramsOf(request), true);
    const unit = await asIntegration(app, request, "write", (ctx) =>
      withDuoNames(UNIT_PARAM_NAMES, () => createUnit(ctx, input)),
    );
    return ok(duoUnit(unit));
  });

  app.get<UnitParams>(
    `${BASE}/:admin_unit_id`,
    { config: { action: "units:manage" } },
    async (request) =>
      ok(
        duoUnit(
          await asIntegration(app, request, "read", (ctx) =>
            getUnit(ctx, request.params.admin_unit_id),
          ),
        ),
      ),
  );

  app.post<UnitParams>(
    `${BASE}/:admin_unit_id`,
    { config: { action: "units:manage" } },
    async (request) => {
      const input = unitInputOf(paramsOf(request), false);
      const unit = await asIntegration(app, request, "write", (ctx) =>
        withDuoNames(UNIT_PARAM_NAMES, () => updateUnit(ctx, request.params.admin_unit_id, input)),
      );
      return ok(duoUnit(unit));
    },
  );

  app.delete<UnitParams>(
    `${BASE}/:admin_unit_id`,
    { config: { action: "units:manage" } },
    async (request) => {
      await asIntegration(app, request, "write", (ctx) =>
        deleteUnit(ctx, request.params.admin_unit_id),
      );
      return ok("");
    },
  );

  const members: [segment: string, member: UnitMember][] = [
    ["admin", "admin"],
    ["group", "group"],
    ["integration", "application"],
  ];
  for (const [segment, member] of members) {
    const url = `${BASE}/:admin_unit_id/${segment}/:member_id`;
    const run = (change: typeof assignToUnit) => async (request: FastifyRequest<MemberParams>) => {
      const { admin_unit_id: unitId, member_id: memberId } = request.params;
      await asIntegration(app, request, "write", (ctx) =>
        withDuoNames(UNIT_PARAM_NAMES, () => change(ctx, unitId, member, memberId)),
      );
      return ok("");
    };
    app.post<MemberParams>(url, { config: { action: "units:manage" } }, run(assignToUnit));
    app.delete<MemberParams>(url, { config: { action: "units:manage" } }, run(unassignFromUnit));
  }
};
