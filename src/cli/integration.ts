import { API_GRANTS } from "../authz/vocabulary.js";
import { Invalid } from "../domain/errors.js";
import { createIntegration } from "../domain/integrations/create-integration.js";
import { apiHostname } from "../http/public-url.js";
import type { CommandEnvironment } from "./host.js";
import { type CommandOutput, print, printLines } from "./output.js";

export interface IntegrationCreateOptions {
  account: string;
  type: string;
  name: string;
  grant?: string[];
  allGrants?: boolean;
  unit?: string;
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
  unit: "--unit",
};

/** `--grant` and `--all-grants` agree with each other and the type, checked before the database opens. */
export function assertGrantOptions(options: IntegrationCreateOptions): void {
  if (options.allGrants && (options.grant ?? []).length > 0)
    throw new Invalid("--all-grants", "give either --all-grants or --grant, not both");
  if (options.allGrants && options.type !== "adminapi")
    throw new Invalid(
      "--all-grants",
      options.type === "accountsapi"
        ? "an Accounts API integration takes no grants (Duo's Accounts API has none)"
        : "grants are Admin API permissions; only an adminapi integration takes them",
    );
}

/** `gatehouse integration create`: the integration key and secret key, the secret shown this once. */
export async function integrationCreate(
  { config, storage }: CommandEnvironment,
  options: IntegrationCreateOptions,
  output: CommandOutput,
): Promise<number> {
  assertGrantOptions(options);
  const hostname = apiHostname(config.publicUrl);
  const created = await createIntegration(storage.database, storage.secrets, {
    accountId: options.account,
    type: options.type,
    name: options.name,
    grants: options.allGrants ? [...API_GRANTS] : (options.grant ?? []),
    unitId: options.unit,
  }).catch((error: unknown) => {
    if (error instanceof Invalid && error.field in OPTION_OF_FIELD)
      throw new Invalid(OPTION_OF_FIELD[error.field] ?? error.field, error.why);
    throw error;
  });
  if (options.json) {
    await print(
      output.stdout,
      `${JSON.stringify({
        integration_key: created.integrationKey,
        secret_key: created.secretKey,
        api_hostname: hostname,
      })}\n`,
    );
    return 0;
  }
  await printLines(output.stdout, [
    `Created ${created.type} integration "${created.name}" in ${created.accountName} (${created.accountId}).`,
    ...(created.type === "adminapi"
      ? [`Grants: ${created.grants.length > 0 ? created.grants.join(", ") : "none"}`]
      : []),
    ...(created.unit ? [`Unit: ${created.unit.name} (${created.unit.id})`] : []),
    "",
    // Duo's Web SDK documentation calls the same two values a client id and a client secret.
    ...(created.type === "websdk"
      ? [`  Client ID:       ${created.integrationKey}`, `  Client secret:   ${created.secretKey}`]
      : [
          `  Integration key: ${created.integrationKey}`,
          `  Secret key:      ${created.secretKey}`,
        ]),
    `  API hostname:    ${hostname}`,
    "",
    `The ${created.type === "websdk" ? "client secret" : "secret key"} is shown only this once: store it now.`,
  ]);
  return 0;
}
