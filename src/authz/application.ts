import { ACTIONS, type Action, type Capability } from "./actions.js";
import type { Decision, Principal, Target } from "./model.js";
import { denial } from "./role-check.js";
import type { Snapshot } from "./snapshot.js";
import type { ApiGrant } from "./vocabulary.js";

/** The Duo grant an Admin API application needs per R-ROLE-2 row; null: not reachable through the Admin API. */
const GRANT_FOR: Record<Capability, ApiGrant | null> = {
  reports: "adminapi_read_log",
  devices: "adminapi_write_resource",
  users: "adminapi_write_resource",
  groups: "adminapi_write_resource",
  applications: "adminapi_integrations",
  ssoSources: "adminapi_settings",
  assignPolicies: "adminapi_write_resource",
  trustMonitor: "adminapi_settings",
  policies: "adminapi_write_resource",
  settings: "adminapi_settings",
  billing: "adminapi_info",
  subaccounts: null,
  admins: "adminapi_admins",
  apiApplications: "adminapi_integrations",
  enableSso: "adminapi_settings",
  passwordless: "adminapi_settings",
  edition: "adminapi_settings",
  delegation: "adminapi_admins",
  view: "adminapi_read_resource",
  everyone: null,
};

const ACCOUNTS_API_ACTIONS: ReadonlySet<Action> = new Set([
  "subaccounts:list",
  "subaccounts:create",
  "subaccounts:delete",
]);

export function grantFor(action: Action): ApiGrant | null {
  if (action === "dashboard:view") return "adminapi_info";
  // Duo reads integrations with "Grant applications", not "Grant read resource".
  if (action === "applications:view") return "adminapi_integrations";
  return GRANT_FOR[ACTIONS[action].capability];
}

/**
 * An API application acts in its own account within its grants, and, protected at the parent,
 * in any subaccount (R-TEN-5): an Accounts API application manages subaccounts at the parent and
 * may call every Admin API method in a child; an Admin API application keeps its grants there.
 */
export function decideForApplication(
  snapshot: Snapshot,
  app: Extract<Principal, { kind: "application" }>,
  action: Action,
  target: Target,
): Decision | undefined {
  // R-TEN-5: only Admin API and Accounts API applications administer; any other type (a
  // principal built from a "websdk" integration, say) fails closed whatever grants it carries.
  if (app.type !== "adminapi" && app.type !== "accountsapi")
    return denial(
      "R-TEN-5",
      `Application ${app.id} is not an Admin API or Accounts API application, so it cannot administer anything.`,
    );
  const home = snapshot.accounts.get(app.accountId);
  const account = snapshot.accounts.get(target.accountId);
  if (!home || !account)
    return denial("R-TEN-2", `Application ${app.id} cannot reach account ${target.accountId}.`);
  const inChild = account.id !== home.id;
  if (inChild && !(home.isParent && !account.isParent)) {
    return denial(
      "R-TEN-5",
      `Application ${app.id} of ${home.name} can act only in its own account${home.isParent ? " and its subaccounts" : ""}.`,
    );
  }
  // Access tags ride on the Accounts API's account/create (a Gatehouse extra); an Admin API
  // application tags admins under "Grant administrators", below.
  if (action === "tags:manage" && app.type === "accountsapi" && home.isParent && !inChild)
    return undefined;
  if (ACCOUNTS_API_ACTIONS.has(action)) {
    return app.type === "accountsapi" && home.isParent && !inChild
      ? undefined
      : denial(
          "R-TEN-5",
          "Only an Accounts API application of the parent account can manage subaccounts.",
        );
  }
  if (app.type === "accountsapi") {
    return inChild
      ? undefined
      : denial(
          "R-TEN-5",
          "An Accounts API application can call the Admin API only for a subaccount, naming it with account_id.",
        );
  }
  const grant = grantFor(action);
  if (grant === null)
    return denial(
      "R-ROLE-2",
      `Applications cannot ${ACTIONS[action].description}; only administrators in the panel can.`,
    );
  if (!app.grants.includes(grant)) {
    return denial(
      "R-ROLE-2",
      `Application ${app.id} does not have the "${grant}" permission, which it needs to ${ACTIONS[action].description}.`,
    );
  }
  return undefined;
}
