import { API_GRANTS } from "../authz/vocabulary.js";
import type { Config } from "../config.js";
import { Invalid } from "../domain/errors.js";
import { createIntegration } from "../domain/integrations/create-integration.js";
import { apiHostname } from "../http/public-url.js";
import { openStorage } from "../storage.js";

export interface IntegrationCreateOptions {
  account: string;
  type: string;
  name: string;
  grant?: string[];
  allGrants?: boolean;
  json?: boolean;
}

/** Commander's collector for the repeatable `--grant`. */
export function collectGrant(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The use case's input fields, as the options that carry them. */
const OPTION_OF_FIELD: Record<string, string> = {
  account: "--account",
  type: "--type",
  name: "--name",
  grant: "--grant",
};

/** `gatehouse integration create`: the integration key and secret key, the secret shown this once. */
export async function integrationCreate(
  config: Config,
  options: IntegrationCreateOptions,
): Promise<void> {
  const requested = options.grant ?? [];
  if (options.allGrants && requested.length > 0)
    throw new Invalid("--all-grants", "give either --all-grants or --grant, not both");
  if (options.allGrants && options.type === "accountsapi")
    throw new Invalid(
      "--all-grants",
      "an Accounts API integration takes no grants (Duo's Accounts API has none)",
    );
  const hostname = apiHostname(config.publicUrl);
  const storage = await openStorage(config);
  try {
    const created = await createIntegration(storage.database, storage.secrets, {
      accountId: options.account,
      type: options.type,
      name: options.name,
      grants: options.allGrants ? [...API_GRANTS] : requested,
    }).catch((error: unknown) => {
      if (error instanceof Invalid && error.field in OPTION_OF_FIELD)
        throw new Invalid(OPTION_OF_FIELD[error.field] ?? error.field, error.why);
      throw error;
    });
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({
          integration_key: created.integrationKey,
          secret_key: created.secretKey,
          api_hostname: hostname,
        })}\n`,
      );
      return;
    }
    console.log(
      [
        `Created ${created.type} integration "${created.name}" in ${created.accountName} (${created.accountId}).`,
        `Grants: ${created.grants.length > 0 ? created.grants.join(", ") : "none"}`,
        "",
        `  Integration key: ${created.integrationKey}`,
        `  Secret key:      ${created.secretKey}`,
        `  API hostname:    ${hostname}`,
        "",
        "The secret key is shown only this once: store it now.",
      ].join("\n"),
    );
  } finally {
    await storage.database.close();
  }
}
