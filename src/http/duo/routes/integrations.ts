import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { API_GRANTS, type ApiGrant } from "../../../authz/index.js";
import {
  type ApplicationView,
  getApplication,
  listApplications,
} from "../../../domain/applications/list.js";
import {
  createApplication,
  deleteApplication,
  updateApplication,
} from "../../../domain/applications/manage.js";
import { NotFound } from "../../../domain/errors.js";
import { ok, okPage, readPage } from "../envelope.js";
import { invalid, type ParamReader } from "../params.js";
import { asIntegration, paramsOf } from "../use-case.js";

/**
 * research/duo-api.md §5 "integration", as far as Gatehouse keeps one; `adminapi_*` are 0 or 1.
 * A Unix application also carries `legacy_unix_clients`, a Gatehouse extension (docs/duo-api.md).
 */
export type DuoIntegration = {
  integration_key: string;
  name: string;
  type: string;
  notes: string;
  greeting: string;
  legacy_unix_clients?: boolean;
} & Record<ApiGrant, 0 | 1>;

export function toDuoIntegration(view: ApplicationView): DuoIntegration {
  const flags = Object.fromEntries(
    API_GRANTS.map((grant) => [grant, view.grants.includes(grant) ? 1 : 0]),
  ) as Record<ApiGrant, 0 | 1>;
  return {
    integration_key: view.id,
    name: view.name,
    type: view.type,
    notes: view.notes,
    greeting: view.greeting,
    ...flags,
    ...(view.type === "unix" ? { legacy_unix_clients: view.legacy_unix_clients } : {}),
  };
}

/**
 * Duo's integration settings Gatehouse does not keep. A script setting one expects it to take
 * effect (an IP allow list, a group restriction), so it is refused by name rather than ignored.
 */
const UNSUPPORTED = [
  "enroll_policy",
  "username_normalization_policy",
  "trusted_device_days",
  "ip_whitelist",
  "ip_whitelist_enroll_policy",
  "networks_for_api_access",
  "groups_allowed",
  "self_service_allowed",
  "reset_secret_key",
  "policy_key",
  "sso",
  "user_access",
  "frameless_auth_prompt_enabled",
  "prompt_v4_enabled",
];

function refuseUnsupported(reader: ParamReader): void {
  const given = UNSUPPORTED.find((name) => reader.has(name));
  if (given !== undefined)
    throw invalid(
      given,
      given === "reset_secret_key"
        ? "Gatehouse does not rotate secret keys; create a new integration and delete this one"
        : "is not an integration setting Gatehouse keeps",
    );
}

/** The `adminapi_*` flags given ("1"/"0", "true"/"false"), applied to `current`; undefined if none. */
function grantsFrom(reader: ParamReader, current: readonly ApiGrant[]): ApiGrant[] | undefined {
  let touched = false;
  const grants = new Set(current);
  for (const grant of API_GRANTS) {
    const value = reader.bool(grant);
    if (value === undefined) continue;
    touched = true;
    if (value) grants.add(grant);
    else grants.delete(grant);
  }
  return touched ? API_GRANTS.filter((grant) => grants.has(grant)) : undefined;
}

const INTEGRATION_KEY = /^DI[0-9A-Z]{18}$/;

function integrationKey(request: FastifyRequest): string {
  const key = (request.params as { integration_key: string }).integration_key;
  // A key of the wrong shape names no integration: 404, as an unknown one.
  if (!INTEGRATION_KEY.test(key)) throw new NotFound("integration", key);
  return key;
}

/**
 * research/duo-api.md §4.5: /admin/v1/integrations (what PY45 and Net::Duo call), with /admin/v2 and
 * /admin/v3 answering the same. Reading takes "Grant read resource" (applications:view); writing
 * takes "Grant applications", and an Admin API or Accounts API type is the Owner-only row, which
 * createApplication and its siblings ask the engine for with the type (R-ROLE-2).
 */
export const integrationRoutes: FastifyPluginAsync = async (app) => {
  for (const version of ["v1", "v2", "v3"]) {
    const base = `/admin/${version}/integrations`;

    app.get(base, { config: { action: "applications:view" } }, async (request) => {
      const reader = paramsOf(request);
      const page = readPage(reader, { default: 100, max: 500 });
      const found = await asIntegration(app, request, "read", (ctx) =>
        listApplications(ctx, { limit: page.limit, offset: page.offset }),
      );
      return okPage(found.items.map(toDuoIntegration), page, found.total ?? found.items.length);
    });

    app.post(base, { config: { action: "applications:create" } }, async (request) => {
      const reader = paramsOf(request);
      refuseUnsupported(reader);
      const input = {
        name: reader.required("name", { max: 100 }),
        type: reader.required("type", { max: 64 }),
        notes: reader.string("notes", { max: 1000 }),
        greeting: reader.string("greeting", { max: 200 }),
        grants: grantsFrom(reader, []),
        legacy_unix_clients: reader.bool("legacy_unix_clients"),
      };
      const created = await asIntegration(app, request, "write", (ctx) =>
        createApplication(ctx, input),
      );
      // The one answer that carries the secret key (§4.5: v1 shows it; Gatehouse never again).
      return ok({ ...toDuoIntegration(created), secret_key: created.secret_key });
    });

    app.get(
      `${base}/:integration_key`,
      { config: { action: "applications:view" } },
      async (request) => {
        const key = integrationKey(request);
        const found = await asIntegration(app, request, "read", (ctx) => getApplication(ctx, key));
        return ok(toDuoIntegration(found));
      },
    );

    app.post(
      `${base}/:integration_key`,
      { config: { action: "applications:update" } },
      async (request) => {
        const key = integrationKey(request);
        const reader = paramsOf(request);
        refuseUnsupported(reader);
        const change = {
          name: reader.string("name", { max: 100 }),
          notes: reader.string("notes", { max: 1000 }),
          greeting: reader.string("greeting", { max: 200 }),
          legacy_unix_clients: reader.bool("legacy_unix_clients"),
        };
        const updated = await asIntegration(app, request, "write", async (ctx) => {
          const current = await getApplication(ctx, key);
          return updateApplication(ctx, key, {
            ...change,
            grants: grantsFrom(reader, current.grants),
          });
        });
        return ok(toDuoIntegration(updated));
      },
    );

    app.delete(
      `${base}/:integration_key`,
      { config: { action: "applications:delete" } },
      async (request) => {
        const key = integrationKey(request);
        await asIntegration(app, request, "write", (ctx) => deleteApplication(ctx, key));
        return ok("");
      },
    );
  }
};
