import { useQuery } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { useDecision } from "../api/decisions.js";
import { fetchEvery, usePagedList } from "../api/pages.js";
import { useSignedIn } from "../api/session.js";

/** The shapes of src/http/panel/applications.ts (never the secret key, but once on creation). */
export interface Application {
  id: string;
  type: string;
  name: string;
  notes: string;
  greeting: string;
  /** A UNIX application answering duo_unix before 2.2 (false for every other type). */
  legacy_unix_clients: boolean;
  created_at: string;
}

export type CreatedApplication = Application & {
  secret_key: string;
  /** The host the application's clients call (Duo's "API hostname"). */
  api_hostname: string;
};

/** What GET /api/units says of a unit's applications (Owners only: units:manage). */
export interface UnitScope {
  id: string;
  name: string;
  all_applications: boolean;
  application_ids: string[];
}

export const APPLICATIONS_KEY = ["applications"] as const;
export const applicationKey = (id: string) => ["applications", "one", id] as const;

/** GET /api/applications/unit-choices: where "Protect an Application" may put the new one. */
export interface UnitChoices {
  units: { id: string; name: string }[];
  /** A restricted admin's application goes in one of their units (R-UNIT-6). */
  required: boolean;
}

/** Duo's integration types that the panel offers; the server accepts any well-formed type. */
export const APPLICATION_TYPES = [
  "authapi",
  "unix",
  "websdk",
  "rdp",
  "ldap",
  "radius",
  "sso-generic",
  "adminapi",
  "accountsapi",
] as const;

/** What each type is called in the panel; the type itself is what the API and Duo's clients use. */
export const APPLICATION_TYPE_LABELS: Readonly<Record<(typeof APPLICATION_TYPES)[number], string>> =
  {
    authapi: "Auth API",
    unix: "UNIX Application",
    websdk: "Web SDK (Universal Prompt)",
    rdp: "Microsoft RDP",
    ldap: "LDAP proxy",
    radius: "RADIUS",
    "sso-generic": "Generic single sign-on",
    adminapi: "Admin API",
    accountsapi: "Accounts API",
  };

/**
 * What a type's documentation calls its keys: Duo's Web SDK (the Universal Prompt) names them a
 * client id and a client secret; every other type an integration key and a secret key.
 */
export function keyLabels(type: string): { key: string; secret: string } {
  return type === "websdk"
    ? { key: "Client ID", secret: "Client secret" }
    : { key: "Integration key", secret: "Secret key" };
}

export function useApplicationPages(search: string, limit = 50) {
  return usePagedList<Application>([...APPLICATIONS_KEY, "list", search, limit], "/applications", {
    search,
    limit,
  });
}

/** The names of the units that hold an application (a unit with "all applications" holds every one). */
export function unitsOf(application: Application, units: readonly UnitScope[]): string[] {
  return units
    .filter((unit) => unit.all_applications || unit.application_ids.includes(application.id))
    .map((unit) => unit.name);
}

/** The units the admin may put a new application in (asked only while the dialog is open). */
export function useUnitChoices() {
  const { account_id } = useSignedIn();
  return useQuery({
    queryKey: ["applications", "unit-choices", account_id],
    queryFn: () => api.get<UnitChoices>("/applications/unit-choices"),
  });
}

/**
 * The administrative units, for the Units column: GET /api/units is the Owner's (units:manage), so
 * the column is shown only to those the engine lets read them.
 */
export function useUnits() {
  const { account_id } = useSignedIn();
  const allowed = useDecision({ action: "units:manage" }).data?.allow === true;
  return useQuery({
    // Keyed by the account: after a switch, another account's units are never shown.
    queryKey: ["units", account_id, "scopes"],
    queryFn: () => fetchEvery<UnitScope>("/units"),
    enabled: allowed,
  });
}
