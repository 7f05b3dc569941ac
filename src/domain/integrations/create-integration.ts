import { API_APPLICATION_TYPES, API_GRANTS, type ApiGrant } from "../../authz/vocabulary.js";
import type { Executor } from "../../db/executor.js";
import { newId, newSecretKey } from "../../db/ids.js";
import type { DatabaseHandle } from "../../db/open.js";
import type { SecretBox } from "../../db/secrets.js";
import { recordAction } from "../audit.js";
import { Invalid } from "../errors.js";
import { parseName } from "../validate.js";

/**
 * The types an operator creates here: the administration doors (Admin API, Accounts API) and the
 * authenticating types their clients call (Auth API, UNIX Application, Web SDK for the hosted
 * Universal Prompt: R-AUTH-1).
 */
export const CLI_INTEGRATION_TYPES = [
  ...API_APPLICATION_TYPES,
  "authapi",
  "unix",
  "websdk",
] as const;
export type CliIntegrationType = (typeof CLI_INTEGRATION_TYPES)[number];

export interface NewIntegration {
  accountId: string;
  type: string;
  name: string;
  /** Duo's "Grant ..." permissions: an Admin API integration's only. */
  grants: readonly string[];
  /** The administrative unit it joins (R-UNIT-3: one at most); none when absent. */
  unitId?: string;
}

/** The one time the secret key is shown: it is stored sealed and never read back in clear here. */
export interface CreatedIntegration {
  integrationKey: string;
  secretKey: string;
  accountId: string;
  accountName: string;
  type: CliIntegrationType;
  name: string;
  grants: ApiGrant[];
  unit: { id: string; name: string } | null;
}

function isCliType(value: string): value is CliIntegrationType {
  return (CLI_INTEGRATION_TYPES as readonly string[]).includes(value);
}

/** The unit named, in the account, holding chosen applications (one of "all applications" holds every one already). */
async function unitOf(
  tx: Executor,
  accountId: string,
  unitId: string,
): Promise<{ id: string; name: string }> {
  const unit = await tx
    .selectFrom("admin_units")
    .select(["id", "name", "all_applications"])
    .where("id", "=", unitId)
    .where("account_id", "=", accountId)
    .executeTakeFirst();
  if (!unit) throw new Invalid("unit", `no administrative unit ${unitId} in account ${accountId}`);
  if (unit.all_applications)
    throw new Invalid(
      "unit",
      `${unit.name} manages all applications already; name a unit that manages chosen ones`,
    );
  return { id: unit.id, name: unit.name };
}

function isGrant(value: string): value is ApiGrant {
  return (API_GRANTS as readonly string[]).includes(value);
}

/**
 * An operator with shell access protects an integration (issue 7; the Auth API and UNIX types since
 * issue 14): its id is the integration key, its 40-character secret key is sealed bound to that id
 * (src/db/secrets.ts) and returned once. The Accounts API belongs to a parent account (R-TEN-5);
 * only an Admin API integration takes grants. Given a unit, it joins that unit (R-UNIT-3). One
 * transaction: the row, its unit and its audit record (R-AUD-1, never the secret) commit together
 * or not at all. Errors name the input at fault: `account`, `type`, `name`, `grant`, `unit`.
 */
export async function createIntegration(
  handle: Pick<DatabaseHandle, "db">,
  secrets: SecretBox,
  input: NewIntegration,
): Promise<CreatedIntegration> {
  const type = input.type;
  if (!isCliType(type))
    throw new Invalid(
      "type",
      `must be ${CLI_INTEGRATION_TYPES.slice(0, -1).join(", ")} or ${CLI_INTEGRATION_TYPES.at(-1)}, got "${input.type}"`,
    );
  const name = parseName("name", input.name);
  const unknown = input.grants.filter((grant) => !isGrant(grant));
  if (unknown.length > 0)
    throw new Invalid(
      "grant",
      `unknown grant${unknown.length > 1 ? "s" : ""} ${unknown.map((g) => `"${g}"`).join(", ")}; the grants are ${API_GRANTS.join(", ")}`,
    );
  if (type === "accountsapi" && input.grants.length > 0)
    throw new Invalid(
      "grant",
      "an Accounts API integration takes no grants (Duo's Accounts API has none)",
    );
  if ((type === "authapi" || type === "unix" || type === "websdk") && input.grants.length > 0)
    throw new Invalid(
      "grant",
      "grants are Admin API permissions: an Auth API, UNIX or Web SDK integration authenticates users and takes none",
    );
  // In API_GRANTS order, each once.
  const grants = API_GRANTS.filter((grant) => input.grants.includes(grant));

  return handle.db.transaction().execute(async (tx) => {
    const account = await tx
      .selectFrom("accounts")
      .select(["id", "name", "is_subaccount"])
      .where("id", "=", input.accountId)
      .executeTakeFirst();
    if (!account) throw new Invalid("account", `no account ${input.accountId} exists`);
    if (type === "accountsapi" && account.is_subaccount)
      throw new Invalid(
        "type",
        `R-TEN-5: an Accounts API integration belongs to a parent account, and ${account.name} (${account.id}) is a subaccount`,
      );
    const unit = input.unitId === undefined ? null : await unitOf(tx, account.id, input.unitId);
    const integrationKey = newId("integration");
    const secretKey = newSecretKey();
    await tx
      .insertInto("applications")
      .values({
        id: integrationKey,
        account_id: account.id,
        account_is_subaccount: account.is_subaccount,
        type,
        name,
        secret_key_enc: secrets.seal(secretKey, integrationKey),
        grants,
      })
      .execute();
    if (unit)
      await tx
        .insertInto("admin_unit_applications")
        .values({ unit_id: unit.id, application_id: integrationKey, account_id: account.id })
        .execute();
    await recordAction(tx, {
      accountId: account.id,
      actor: { kind: "system", name: "Integration (CLI)" },
      action: "integration_create",
      object: { kind: "application", id: integrationKey, name },
      after: { type, name, grants, ...(unit ? { unit_id: unit.id } : {}) },
    });
    return {
      integrationKey,
      secretKey,
      accountId: account.id,
      accountName: account.name,
      type,
      name,
      grants,
      unit,
    };
  });
}
