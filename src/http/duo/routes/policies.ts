import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { UseCaseContext } from "../../../domain/context.js";
import { previewPolicyUpdate } from "../../../domain/policies/preview.js";
import { getPolicy, listPolicies, type PolicyView } from "../../../domain/policies/read.js";
import {
  copyPolicy,
  createPolicy,
  deletePolicy,
  type PlacementChange,
  type PolicyChange,
  updatePolicy,
} from "../../../domain/policies/write.js";
import { parseJsonText } from "../../strict-decoding.js";
import { ok, okPage, readPage } from "../envelope.js";
import { invalid } from "../params.js";
import { asIntegration, deleteIfPresent, paramsOf } from "../use-case.js";

type KeyParams = { Params: { policy_key: string } };
type Json = Record<string, unknown>;

const BASE = "/admin/v2/policies";
/** research/duo-api.md §3: Duo states no maximum for policies; a page holds what one GET shows. */
const PAGE = { default: 100, max: 100 };
/** The most applications, groups or new names one list in a body may hold. */
const MAX_ITEMS = 1000;

const CREATE_FIELDS = ["policy_name", "sections", "apply_to_apps", "apply_to_groups_in_apps"];
const UPDATE_FIELDS = [...CREATE_FIELDS, "sections_to_delete"];
const COPY_FIELDS = ["policy_key", "new_policy_names_list"];

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The request's JSON body. Duo's v2 policy endpoints take nested objects, which only a JSON body
 * (signed with v5) carries intact: a field sent as a form or query parameter arrives flattened, so
 * it is refused by name rather than guessed at. A name the endpoint does not take is refused too,
 * so a misspelt field is never a silent no-op. `account_id` is asIntegration's (R-TEN-5).
 */
function bodyOf(request: FastifyRequest, fields: readonly string[]): Json {
  const type = String(request.headers["content-type"] ?? "")
    .split(";")[0]
    ?.trim();
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  let body: Json = {};
  if (type === "application/json" && raw.length > 0) {
    // The door's preHandler has read this body already and refused anything but a JSON object;
    // the parameters it kept flatten nested values to text, so the structure is read again here.
    const decoded = parseJsonText(raw);
    if (decoded.ok && isObject(decoded.value)) body = decoded.value;
  }
  for (const name of request.duoParams.keys()) {
    if (name === "account_id") continue;
    if (!fields.includes(name))
      throw invalid(name, `is not a field of this request; it takes ${fields.join(", ")}`);
    if (!Object.hasOwn(body, name))
      throw invalid(name, "must be sent in a JSON body (sign the request with v5)");
  }
  return body;
}

function text(value: unknown, field: string): string {
  if (typeof value === "string") return value;
  throw invalid(field, value === undefined ? "is required" : "must be a string");
}

function strings(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string"))
    throw invalid(field, value === undefined ? "is required" : "must be a list of strings");
  if (value.length > MAX_ITEMS) throw invalid(field, `may hold at most ${MAX_ITEMS} entries`);
  return value;
}

function object(value: unknown, field: string, keys: readonly string[]): Json {
  if (!isObject(value)) throw invalid(field, "must be an object");
  const unknown = Object.keys(value).find((key) => !keys.includes(key));
  if (unknown !== undefined)
    throw invalid(
      `${field}.${unknown}`,
      `is not a field Gatehouse takes; it takes ${keys.join(", ")}`,
    );
  return value;
}

/** Duo's `[{app_integration_key, group_id_list}]`: groups within one application each. */
function groupsByApplication(value: unknown, field: string) {
  if (!Array.isArray(value))
    throw invalid(field, "must be a list of {app_integration_key, group_id_list}");
  if (value.length > MAX_ITEMS) throw invalid(field, `may hold at most ${MAX_ITEMS} entries`);
  return value.map((entry, i) => {
    const at = `${field}[${i}]`;
    const item = object(entry, at, ["app_integration_key", "group_id_list"]);
    return {
      applicationId: text(item.app_integration_key, `${at}.app_integration_key`),
      groupIds: strings(item.group_id_list, `${at}.group_id_list`),
    };
  });
}

/**
 * Where to apply the policy and, on PUT, where to stop: a new policy has nowhere to be removed
 * from, so POST refuses the `unapply_*` lists by name.
 */
function placementChange(body: Json, update: boolean): PlacementChange {
  const change: PlacementChange = {};
  if (body.apply_to_apps !== undefined) {
    const apps = object(
      body.apply_to_apps,
      "apply_to_apps",
      update ? ["apply_list", "unapply_list"] : ["apply_list"],
    );
    if (apps.apply_list !== undefined)
      change.applyToApps = strings(apps.apply_list, "apply_to_apps.apply_list");
    if (apps.unapply_list !== undefined)
      change.unapplyFromApps = strings(apps.unapply_list, "apply_to_apps.unapply_list");
  }
  if (body.apply_to_groups_in_apps !== undefined) {
    const field = "apply_to_groups_in_apps";
    const groups = object(
      body.apply_to_groups_in_apps,
      field,
      update
        ? ["apply_group_policies_list", "unapply_group_policies_list"]
        : ["apply_group_policies_list"],
    );
    if (groups.apply_group_policies_list !== undefined)
      change.applyToGroups = groupsByApplication(
        groups.apply_group_policies_list,
        `${field}.apply_group_policies_list`,
      );
    if (groups.unapply_group_policies_list !== undefined)
      change.unapplyFromGroups = groupsByApplication(
        groups.unapply_group_policies_list,
        `${field}.unapply_group_policies_list`,
      );
  }
  return change;
}

/** A POST or PUT body as the domain's change; `sections` is left to parseSections (R-POL-1). */
function policyChange(body: Json, update: boolean): PolicyChange {
  const change: PolicyChange = placementChange(body, update);
  if (body.policy_name !== undefined) change.name = text(body.policy_name, "policy_name");
  if (body.sections !== undefined) change.sections = body.sections;
  if (body.sections_to_delete !== undefined)
    change.sectionsToDelete = strings(body.sections_to_delete, "sections_to_delete");
  return change;
}

/** Every policy of the account, page by page through listPolicies (its read rule, R-ROLE-2). */
async function allPolicies(ctx: UseCaseContext): Promise<PolicyView[]> {
  const all: PolicyView[] = [];
  for (;;) {
    const page = await listPolicies(ctx, { limit: 500, offset: all.length });
    all.push(...page.policies);
    if (page.policies.length === 0 || all.length >= page.total) return all;
  }
}

/**
 * research/duo-api.md §4.6: Duo's Admin API v2 policies, through the panel's use cases
 * (src/domain/policies). An Admin API integration needs "Grant write resource" for all of them,
 * reads included (R-ROLE-2: reading policies is for who creates or applies them); the domain
 * decides each change on where the policy applies (R-UNIT-8d) and checks every section and key
 * before anything is written (R-POL-1). Bodies are JSON, as PY56 sends them.
 */
export const policyRoutes: FastifyPluginAsync = async (app) => {
  app.get(BASE, { config: { action: "policies:assign" } }, async (request) => {
    const page = readPage(paramsOf(request), PAGE);
    const found = await asIntegration(app, request, "read", (ctx) => listPolicies(ctx, page));
    return okPage(found.policies, page, found.total);
  });

  // Gatehouse's own shape: Duo documents no fields for it (docs/duo-api.md).
  app.get(`${BASE}/summary`, { config: { action: "policies:assign" } }, async (request) => {
    const policies = await asIntegration(app, request, "read", allPolicies);
    return ok({
      policies: policies.map((policy) => ({
        policy_key: policy.policy_key,
        policy_name: policy.policy_name,
        is_global_policy: policy.is_global_policy,
        applied_to_apps: policy.apply_to_apps.apply_list.length,
        applied_to_groups: policy.apply_to_groups_in_apps.apply_group_policies_list.reduce(
          (sum, entry) => sum + entry.group_id_list.length,
          0,
        ),
      })),
      policy_count: policies.length,
    });
  });

  app.post(BASE, { config: { action: "policies:create" } }, async (request) => {
    const body = bodyOf(request, CREATE_FIELDS);
    const name = text(body.policy_name, "policy_name");
    const change = { ...policyChange(body, false), name };
    const created = await asIntegration(app, request, "write", (ctx) => createPolicy(ctx, change));
    return ok(created);
  });

  app.post(`${BASE}/copy`, { config: { action: "policies:create" } }, async (request) => {
    const body = bodyOf(request, COPY_FIELDS);
    const key = text(body.policy_key, "policy_key");
    const names = strings(body.new_policy_names_list, "new_policy_names_list");
    const copies = await asIntegration(app, request, "write", (ctx) => copyPolicy(ctx, key, names));
    return ok({ policies: copies });
  });

  app.get<KeyParams>(
    `${BASE}/:policy_key`,
    { config: { action: "policies:assign" } },
    async (request) => {
      const key = request.params.policy_key;
      return ok(await asIntegration(app, request, "read", (ctx) => getPolicy(ctx, key)));
    },
  );

  app.put<KeyParams>(
    `${BASE}/:policy_key`,
    { config: { action: "policies:update" } },
    async (request) => {
      const key = request.params.policy_key;
      const change = policyChange(bodyOf(request, UPDATE_FIELDS), true);
      const updated = await asIntegration(app, request, "write", (ctx) =>
        updatePolicy(ctx, key, change),
      );
      return ok(updated);
    },
  );

  // R-POL-3, Gatehouse's own: what the PUT with this body would change in the last 30 days'
  // logins, checked and authorized as the PUT would be, written nowhere (docs/duo-api.md).
  app.post<KeyParams>(
    `${BASE}/:policy_key/impact`,
    { config: { action: "policies:update" } },
    async (request) => {
      const key = request.params.policy_key;
      const change = policyChange(bodyOf(request, UPDATE_FIELDS), true);
      return ok(
        await asIntegration(app, request, "read", (ctx) => previewPolicyUpdate(ctx, key, change)),
      );
    },
  );

  app.delete<KeyParams>(
    `${BASE}/:policy_key`,
    { config: { action: "policies:delete" } },
    async (request) => {
      const key = request.params.policy_key;
      await asIntegration(app, request, "write", (ctx) =>
        deleteIfPresent("policy", key, () => deletePolicy(ctx, key)),
      );
      return ok("");
    },
  );
};
