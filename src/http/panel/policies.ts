import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, type TSchema, Type } from "typebox";
import { MAX_PAGE_SIZE } from "../../domain/paging.js";
import { effectivePolicyFor } from "../../domain/policies/effective.js";
import { listPolicyImpacts } from "../../domain/policies/impact-report.js";
import { previewPolicyUpdate } from "../../domain/policies/preview.js";
import {
  GLOBAL_ALIAS,
  getPolicy,
  listPolicies,
  type PolicyView,
} from "../../domain/policies/read.js";
import {
  copyPolicy,
  createPolicy,
  deletePolicy,
  type PolicyChange,
  updatePolicy,
} from "../../domain/policies/write.js";
import { IdOf, Input, Ok, PageQuery } from "./schemas.js";
import { asAdmin } from "./use-case.js";

/** The most applications or groups one list in a request may hold, as the Duo door allows. */
const MAX_ITEMS = 1000;

const ApplicationId = IdOf("DI");
const GroupId = IdOf("DG");
const PolicyKey = Type.String({ pattern: `^(${GLOBAL_ALIAS}|PO[0-9A-Z]{18})$` });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Cidrs = Type.Array(Type.String());

const NewUser = Type.Object({
  new_user_behavior: Type.Union([
    Type.Literal("enroll"),
    Type.Literal("no-mfa"),
    Type.Literal("deny"),
  ]),
});
const AuthenticationPolicy = Type.Object({
  user_auth_behavior: Type.Union([
    Type.Literal("enforce"),
    Type.Literal("bypass"),
    Type.Literal("deny"),
  ]),
});
const Networks = Type.Object({
  allow_without_2fa_networks: Cidrs,
  require_2fa_networks: Cidrs,
  deny_other_networks: Type.Boolean(),
});
const Methods = Type.Object({
  allowed_auth_list: Type.Array(Type.String()),
  blocked_auth_list: Type.Array(Type.String()),
});
const RememberedDevices = Type.Object({
  browser_apps: Type.Object({
    enabled: Type.Boolean(),
    user_based: Type.Object({
      max_time_value: Type.Integer(),
      max_time_units: Type.Union([Type.Literal("hours"), Type.Literal("days")]),
      confirm_per_app: Type.Boolean(),
    }),
  }),
});

/** A custom policy sets only some sections; the global policy sets them all. */
const SectionsOut = Type.Object({
  new_user: Type.Optional(NewUser),
  authentication_policy: Type.Optional(AuthenticationPolicy),
  authorized_networks: Type.Optional(Networks),
  authentication_methods: Type.Optional(Methods),
  remembered_devices: Type.Optional(RememberedDevices),
});

const GroupsInApplication = Type.Object({
  application_id: ApplicationId,
  group_ids: Type.Array(GroupId, { maxItems: MAX_ITEMS }),
});
const GroupsOut = Type.Object({
  application_id: Type.String(),
  group_ids: Type.Array(Type.String()),
});

const Policy = Type.Object({
  key: Type.String(),
  name: Type.String(),
  is_global: Type.Boolean(),
  sections: SectionsOut,
  application_ids: Type.Array(Type.String()),
  groups: Type.Array(GroupsOut),
});
type Policy = Static<typeof Policy>;

/**
 * Sections are checked by the domain (parseSections), not here: it names every unknown section and
 * key in words an admin understands, and the Duo door refuses the same values with the same words.
 * A section set to null is removed.
 */
const SectionsIn = Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), {
  maxProperties: 20,
});

const PolicyRef = Type.Object({
  key: Type.String(),
  name: Type.String(),
  level: Type.Union([Type.Literal("global"), Type.Literal("application"), Type.Literal("group")]),
});
const Effective = <T extends TSchema>(value: T) => Type.Object({ value, from: PolicyRef });
const EffectivePolicy = Type.Object({
  new_user: Effective(NewUser),
  authentication_policy: Effective(AuthenticationPolicy),
  authorized_networks: Effective(Networks),
  authentication_methods: Effective(Methods),
  remembered_devices: Effective(RememberedDevices),
});

const Params = Type.Object({ key: PolicyKey });
const Applications = Type.Array(ApplicationId, { maxItems: MAX_ITEMS });
const Groups = Type.Array(GroupsInApplication, { maxItems: MAX_ITEMS });

function toPanel(view: PolicyView): Policy {
  return {
    key: view.policy_key,
    name: view.policy_name,
    is_global: view.is_global_policy,
    sections: view.sections,
    application_ids: view.apply_to_apps.apply_list,
    groups: view.apply_to_groups_in_apps.apply_group_policies_list.map((entry) => ({
      application_id: entry.app_integration_key,
      group_ids: entry.group_id_list,
    })),
  };
}

const byApplication = (list: { application_id: string; group_ids: string[] }[] | undefined) =>
  list?.map((entry) => ({ applicationId: entry.application_id, groupIds: entry.group_ids }));

/** A change to a policy, as PATCH saves it and its impact preview replays it. */
const PolicyPatch = Input({
  name: Type.Optional(Name),
  sections: Type.Optional(SectionsIn),
  apply_to_applications: Type.Optional(Applications),
  unapply_from_applications: Type.Optional(Applications),
  apply_to_groups: Type.Optional(Groups),
  unapply_from_groups: Type.Optional(Groups),
});

function changeOf(body: Static<typeof PolicyPatch>): PolicyChange {
  return {
    name: body.name,
    sections: body.sections,
    applyToApps: body.apply_to_applications,
    unapplyFromApps: body.unapply_from_applications,
    applyToGroups: byApplication(body.apply_to_groups),
    unapplyFromGroups: byApplication(body.unapply_from_groups),
  };
}

const Outcome = Type.Union([
  Type.Literal("denied"),
  Type.Literal("must enroll"),
  Type.Literal("no second factor"),
  Type.Literal("second factor"),
]);

const ImpactRows = Type.Array(
  Type.Object({
    application: Type.Object({ id: Type.String(), name: Type.String() }),
    user: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), username: Type.String() }),
    before: Outcome,
    after: Outcome,
    attempts: Type.Integer(),
    last_attempt_at: Type.String(),
  }),
);

const Impact = Type.Object({
  days: Type.Integer(),
  attempts: Type.Integer(),
  changed_attempts: Type.Integer(),
  changes: ImpactRows,
});

/**
 * R-POL-1, R-POL-2: policies in the panel, through the same use cases as Duo's Admin API v2
 * (src/domain/policies). R-ROLE-2: reading is for who creates or applies policies; each change asks
 * the engine on the exact policy and places it touches (R-UNIT-8d for restricted admins).
 */
export const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/policies",
    {
      config: { action: "policies:assign" },
      schema: {
        querystring: Input({
          limit: PageQuery.limit,
          offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(Policy), total: Type.Integer() }) },
      },
    },
    async (request) => {
      const page = await asAdmin(app, request, "read", (ctx) =>
        listPolicies(ctx, {
          limit: Math.min(request.query.limit, MAX_PAGE_SIZE),
          offset: request.query.offset,
        }),
      );
      return { items: page.policies.map(toPanel), total: page.total };
    },
  );

  // R-ROLE-3's Policy Impact report: saved changes and what they changed (R-POL-3, R-UNIT-8g).
  app.get(
    "/reports/policy-impact",
    {
      config: { action: "reports:view_policy_impact" },
      schema: {
        querystring: Input({
          limit: PageQuery.limit,
          offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                created_at: Type.String(),
                action: Type.String(),
                policy: Type.Object({ key: Type.String(), name: Type.String() }),
                actor: Type.String(),
                days: Type.Integer(),
                attempts: Type.Union([Type.Integer(), Type.Null()]),
                changed_attempts: Type.Integer(),
                changes: ImpactRows,
              }),
            ),
            total: Type.Integer(),
          }),
        },
      },
    },
    (request) =>
      asAdmin(app, request, "read", (ctx) =>
        listPolicyImpacts(ctx, {
          limit: Math.min(request.query.limit, MAX_PAGE_SIZE),
          offset: request.query.offset,
        }),
      ),
  );

  // Issue 16 item 4: what the next login of this user to this application would be decided on.
  app.get(
    "/policies/effective",
    {
      config: { action: "policies:assign" },
      schema: {
        querystring: Input({ user_id: IdOf("DU"), application_id: ApplicationId }),
        response: {
          200: Type.Object({
            user: Type.Object({ id: Type.String(), username: Type.String() }),
            application: Type.Object({ id: Type.String(), name: Type.String() }),
            policy: EffectivePolicy,
          }),
        },
      },
    },
    (request) =>
      asAdmin(app, request, "read", (ctx) =>
        effectivePolicyFor(ctx, request.query.user_id, request.query.application_id),
      ),
  );

  app.get(
    "/policies/:key",
    {
      config: { action: "policies:assign" },
      schema: { params: Params, response: { 200: Policy } },
    },
    async (request) =>
      toPanel(await asAdmin(app, request, "read", (ctx) => getPolicy(ctx, request.params.key))),
  );

  app.post(
    "/policies",
    {
      config: { action: "policies:create" },
      schema: {
        body: Input({
          name: Name,
          sections: Type.Optional(SectionsIn),
          apply_to_applications: Type.Optional(Applications),
          apply_to_groups: Type.Optional(Groups),
        }),
        response: { 200: Policy },
      },
    },
    async (request) => {
      const body = request.body;
      const change = {
        name: body.name,
        sections: body.sections,
        applyToApps: body.apply_to_applications,
        applyToGroups: byApplication(body.apply_to_groups),
      };
      return toPanel(await asAdmin(app, request, "write", (ctx) => createPolicy(ctx, change)));
    },
  );

  /*
   * The gate is applying policies, not editing them: an Application Manager applies existing
   * policies here too (R-ROLE-2). updatePolicy asks for "policies:update" when the name or the
   * sections change, and for "policies:assign" on the places applied to or removed from.
   */
  app.patch(
    "/policies/:key",
    {
      config: { action: "policies:assign" },
      schema: {
        params: Params,
        body: PolicyPatch,
        response: { 200: Policy },
      },
    },
    async (request) => {
      const change = changeOf(request.body);
      return toPanel(
        await asAdmin(app, request, "write", (ctx) =>
          updatePolicy(ctx, request.params.key, change),
        ),
      );
    },
  );
  /*
   * R-POL-3: what saving this change would do to the account's recent logins, before it is saved.
   * Checked and authorized as saving it would be; writes nothing.
   */
  app.post(
    "/policies/:key/impact",
    {
      config: { action: "policies:assign" },
      schema: { params: Params, body: PolicyPatch, response: { 200: Impact } },
    },
    async (request) => {
      const change = changeOf(request.body);
      return asAdmin(app, request, "read", (ctx) =>
        previewPolicyUpdate(ctx, request.params.key, change),
      );
    },
  );

  app.delete(
    "/policies/:key",
    {
      config: { action: "policies:delete" },
      schema: { params: Params, response: { 200: Ok } },
    },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) => deletePolicy(ctx, request.params.key));
      return { ok: true as const };
    },
  );

  // R-UNIT-8d: a restricted admin copies a policy they may not edit, and edits the copy.
  app.post(
    "/policies/:key/copy",
    {
      config: { action: "policies:create" },
      schema: {
        params: Params,
        body: Input({ names: Type.Array(Name, { minItems: 1, maxItems: 100 }) }),
        response: { 200: Type.Object({ items: Type.Array(Policy) }) },
      },
    },
    async (request) => {
      const copies = await asAdmin(app, request, "write", (ctx) =>
        copyPolicy(ctx, request.params.key, request.body.names),
      );
      return { items: copies.map(toPanel) };
    },
  );
};
