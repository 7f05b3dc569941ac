import { API_APPLICATION_TYPES, API_GRANTS, type ApiGrant } from "../../authz/vocabulary.js";
import { newId, newSecretKey } from "../../db/ids.js";
import type { DatabaseHandle } from "../../db/open.js";
import type { SecretBox } from "../../db/secrets.js";
import { recordAction } from "../audit.js";
import { Invalid } from "../errors.js";
import { parseName } from "../validate.js";

export type ApiIntegrationType = (typeof API_APPLICATION_TYPES)[number];

export interface NewIntegration {
  accountId: string;
  type: string;
  name: string;
  /** Duo's "Grant ..." permissions; an Accounts API integration takes none. */
  grants: readonly string[];
}

/** The one time the secret key is shown: it is stored sealed and never read back in clear here. */
export interface CreatedIntegration {
  integrationKey: string;
  secretKey: string;
  accountId: string;
  accountName: string;
  type: ApiIntegrationType;
  name: string;
  grants: ApiGrant[];
}

function isApiType(value: string): value is ApiIntegrationType {
  return (API_APPLICATION_TYPES as readonly string[]).includes(value);
}

function isGrant(value: string): value is ApiGrant {
  return (API_GRANTS as readonly string[]).includes(value);
}

/**
 * An operator with shell access protects an Admin API or Accounts API integration (issue 7): its id is
 * the integration key, its 40-character secret key is sealed bound to that id (src/db/secrets.ts) and
 * returned once. The Accounts API belongs to a parent account (R-TEN-5) and has no grants. One
 * transaction: the row and its audit record (R-AUD-1, never the secret) commit together or not at all.
 * Errors name the input at fault: `account`, `type`, `name`, `grant`.
 */
export async function createIntegration(
  handle: Pick<DatabaseHandle, "db">,
  secrets: SecretBox,
  input: NewIntegration,
): Promise<CreatedIntegration> {
  const type = input.type;
  if (!isApiType(type))
    throw new Invalid("type", `must be ${API_APPLICATION_TYPES.join(" or ")}, got "${input.type}"`);
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
    await recordAction(tx, {
      accountId: account.id,
      actor: { kind: "system", name: "Integration (CLI)" },
      action: "integration_create",
      object: { kind: "application", id: integrationKey, name },
      after: { type, name, grants },
    });
    return {
      integrationKey,
      secretKey,
      accountId: account.id,
      accountName: account.name,
      type,
      name,
      grants,
    };
  });
}
