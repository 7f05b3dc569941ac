import { API_GRANTS, type ApiGrant } from "../../authz/index.js";
import { newId, newSecretKey } from "../../db/ids.js";
import type { UseCaseContext } from "../context.js";
import { Forbidden, Invalid, NotFound } from "../errors.js";
import { parseName } from "../validate.js";
import { type ApplicationView, getApplication } from "./list.js";
import { unitForNewApplication } from "./placement.js";

const TYPE = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface NewApplication {
  type: string;
  name: string;
  notes?: string;
  greeting?: string;
  /** Duo's "Grant ..." permissions: an Admin API application's only (none by default). */
  grants?: readonly string[];
  /** The administrative unit it joins (R-UNIT-3, R-UNIT-6; src/domain/applications/placement.ts). */
  unit_id?: string;
  /** A Unix application's only: answer duo_unix before 2.2 (off by default). */
  legacy_unix_clients?: boolean;
}

export interface ApplicationChange {
  name?: string;
  notes?: string;
  greeting?: string;
  /** The Admin API application's whole new set of grants. */
  grants?: readonly string[];
  legacy_unix_clients?: boolean;
}

/** The create response: the only time the secret key is ever shown. */
export interface CreatedApplication extends ApplicationView {
  secret_key: string;
}

function parseText(field: string, value: string, max: number): string {
  if (value.length > max) throw new Invalid(field, `must be at most ${max} characters`);
  return value;
}

/**
 * duo_unix before 2.2 signs its requests with Duo's v1 signature, which covers no date: a captured
 * request can be replayed. Only a Unix application may answer such clients, and only when an
 * admin turns it on (src/http/auth-api/legacy.ts); for any other type the field is refused by name.
 */
function parseLegacyUnixClients(type: string, value: boolean | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw new Invalid("legacy_unix_clients", "must be true or false");
  if (type !== "unix")
    throw new Invalid(
      "legacy_unix_clients",
      "applies only to UNIX applications (type unix): no other type serves duo_unix",
    );
  return value;
}

/**
 * An application's grants, in API_GRANTS order, each once. Only an Admin API application holds any
 * (the database refuses others). An Admin API application granting permissions cannot hand out
 * one it lacks itself, nor protect an Accounts API application: no integration widens its own
 * reach by making another (R-ROLE-2, R-TEN-5). An Accounts API application acting in a child
 * may call every Admin API method there (R-TEN-5), so it may grant any.
 */
function parseGrants(ctx: UseCaseContext, type: string, values: readonly string[]): ApiGrant[] {
  for (const value of values)
    if (!(API_GRANTS as readonly string[]).includes(value))
      throw new Invalid(
        "grants",
        `"${value}" is not a grant; the grants are ${API_GRANTS.join(", ")}`,
      );
  const grants = API_GRANTS.filter((grant) => values.includes(grant));
  const [first] = grants;
  if (first !== undefined && type !== "adminapi")
    throw new Invalid(first, "is a permission of Admin API applications only");
  const principal = ctx.caller.principal;
  if (principal.kind === "application" && principal.type === "adminapi") {
    const lacking = grants.filter((grant) => !principal.grants.includes(grant));
    if (lacking.length > 0)
      throw new Forbidden(
        "R-ROLE-2",
        `application ${principal.id} cannot grant ${lacking.map((g) => `"${g}"`).join(", ")}, which it does not hold itself`,
      );
  }
  return grants;
}

/**
 * Protect an Application. Admin API and Accounts API types are Owner-only (R-ROLE-2): the engine
 * decides that from the object's type. An Accounts API application lives at a parent (R-TEN-5).
 * The secret key is sealed bound to the new id and returned once. R-UNIT-6: an application created
 * by a restricted admin is assigned to their unit, the one chosen or else the first of theirs by
 * name (R-UNIT-3: one unit); an Owner may put it in a unit too (R-UNIT-1).
 */
export async function createApplication(
  ctx: UseCaseContext,
  input: NewApplication,
): Promise<CreatedApplication> {
  if (!TYPE.test(input.type))
    throw new Invalid("type", "must be an application type such as websdk or adminapi");
  ctx.authorize("applications:create", { object: { kind: "application", type: input.type } });
  const account = await ctx.tx
    .selectFrom("accounts")
    .select(["is_subaccount", "name"])
    .where("id", "=", ctx.accountId)
    .executeTakeFirst();
  if (!account) throw new NotFound("account", ctx.accountId);
  if (input.type === "accountsapi" && account.is_subaccount)
    throw new Invalid(
      "type",
      `R-TEN-5: an Accounts API application belongs to a parent account, and ${account.name} is a subaccount`,
    );
  const principal = ctx.caller.principal;
  if (input.type === "accountsapi" && principal.kind === "application")
    throw new Forbidden(
      "R-TEN-5",
      `application ${principal.id} cannot protect an Accounts API application; an Owner does, in the panel`,
    );
  const grants = parseGrants(ctx, input.type, input.grants ?? []);
  const legacy = parseLegacyUnixClients(input.type, input.legacy_unix_clients) ?? false;
  const unit = unitForNewApplication(ctx, input.unit_id);
  const id = newId("integration");
  const secret = newSecretKey();
  const row = {
    id,
    account_id: ctx.accountId,
    account_is_subaccount: account.is_subaccount,
    type: input.type,
    name: parseName("name", input.name),
    notes: parseText("notes", input.notes ?? "", 1000),
    greeting: parseText("greeting", input.greeting ?? "", 200),
    grants,
    legacy_unix_clients: legacy,
    secret_key_enc: ctx.services.secrets.seal(secret, id),
  };
  const { created_at } = await ctx.tx
    .insertInto("applications")
    .values(row)
    .returning("created_at")
    .executeTakeFirstOrThrow();
  if (unit)
    await ctx.tx
      .insertInto("admin_unit_applications")
      .values({ unit_id: unit.id, application_id: id, account_id: ctx.accountId })
      .execute();
  await ctx.audit({
    action: "integration_create",
    object: { kind: "application", id, name: row.name },
    after: {
      type: row.type,
      name: row.name,
      notes: row.notes,
      greeting: row.greeting,
      ...(grants.length > 0 ? { grants } : {}),
      ...(input.type === "unix" ? { legacy_unix_clients: legacy } : {}),
      ...(unit ? { unit_id: unit.id } : {}),
    },
  });
  // Built here, not read back: the snapshot of this transaction predates the new unit assignment.
  return {
    id,
    type: row.type,
    name: row.name,
    notes: row.notes,
    greeting: row.greeting,
    grants,
    legacy_unix_clients: legacy,
    created_at: created_at.toISOString(),
    secret_key: secret,
  };
}

/**
 * Edit Application: name, notes, greeting, grants, legacy Unix clients; API types only by Owners
 * (R-ROLE-2); in scope (R-UNIT-8c).
 */
export async function updateApplication(
  ctx: UseCaseContext,
  id: string,
  change: ApplicationChange,
): Promise<ApplicationView> {
  const before = await getApplication(ctx, id);
  ctx.authorize("applications:update", { object: { kind: "application", id, type: before.type } });
  const set: {
    name?: string;
    notes?: string;
    greeting?: string;
    grants?: ApiGrant[];
    legacy_unix_clients?: boolean;
  } = {};
  if (change.name !== undefined) set.name = parseName("name", change.name);
  if (change.notes !== undefined) set.notes = parseText("notes", change.notes, 1000);
  if (change.greeting !== undefined) set.greeting = parseText("greeting", change.greeting, 200);
  if (change.grants !== undefined) set.grants = parseGrants(ctx, before.type, change.grants);
  const legacy = parseLegacyUnixClients(before.type, change.legacy_unix_clients);
  if (legacy !== undefined) set.legacy_unix_clients = legacy;
  const fields = (Object.keys(set) as (keyof typeof set)[]).filter(
    (field) => JSON.stringify(set[field]) !== JSON.stringify(before[field]),
  );
  const changed: typeof set = Object.fromEntries(fields.map((field) => [field, set[field]]));
  if (fields.length > 0)
    await ctx.tx
      .updateTable("applications")
      .set(changed)
      .where("id", "=", id)
      .where("account_id", "=", ctx.accountId)
      .execute();
  // One record per successful edit, even one that changed nothing (empty before and after).
  await ctx.audit({
    action: "integration_update",
    object: { kind: "application", id, name: set.name ?? before.name },
    before: Object.fromEntries(fields.map((field) => [field, before[field]])),
    after: changed,
  });
  return { ...before, ...changed };
}

/** Remove Application: API types only by Owners (R-ROLE-2); a restricted admin in scope (R-UNIT-6, R-UNIT-8c). */
export async function deleteApplication(ctx: UseCaseContext, id: string): Promise<void> {
  const before = await getApplication(ctx, id);
  ctx.authorize("applications:delete", { object: { kind: "application", id, type: before.type } });
  await ctx.tx
    .deleteFrom("applications")
    .where("id", "=", id)
    .where("account_id", "=", ctx.accountId)
    .execute();
  await ctx.audit({
    action: "integration_delete",
    object: { kind: "application", id, name: before.name },
    before: { type: before.type, name: before.name, notes: before.notes },
  });
}
