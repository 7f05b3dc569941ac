/**
 * Which principals each panel route lets through, written by hand from SPEC.md's words (R-ROLE-2
 * table, R-ROLE-3 limits, R-TEN-1, R-TAG-2, R-UNIT-4, R-PLAN-1/3), NOT derived from src/authz: the
 * route-table test compares the running server with this table, principal by principal.
 */
import type { Role } from "../../../src/authz/index.js";

export const ALL: readonly Role[] = [
  "Owner",
  "Administrator",
  "Application Manager",
  "User Manager",
  "Help Desk",
  "Billing",
  "Read-only",
];
const OWNER: readonly Role[] = ["Owner"];
const NONE: readonly Role[] = [];
/** "Manage subaccounts (create, rename, delete)": Owner and Billing. */
const SUBACCOUNT_MANAGERS: readonly Role[] = ["Owner", "Billing"];

/** The objects a probe may name; ids of things that do not exist answer 404 once authorized. */
export interface ProbeIds {
  accessibleSubaccountId: string;
  inaccessibleSubaccountId: string;
  missingAccountId: string;
  missingAdminId: string;
  /** The edition of the account the principal acts in. */
  currentEdition: string;
}

export interface Probe {
  url: string;
  body?: object;
}

export interface RouteRow {
  /** Roles let through at the parent, paid edition, as a global admin. */
  parent: readonly Role[];
  /** Subaccount roles let through in an accessible subaccount (parent-only routes: none, R-TEN-1). */
  subaccount: readonly Role[];
  /** Whether a restricted admin (in a unit) keeps the route: account-wide changes are refused (R-UNIT-4). */
  restricted: boolean;
  /** Free edition: every admin acts as an Owner (R-PLAN-1), except where the route is paid-only (R-PLAN-3). */
  paidOnly?: boolean;
  /** A request that passes validation; null with a reason where probing would end the test's session. */
  probe: ((ids: ProbeIds) => Probe) | { skip: string };
  /** The probe names a subaccount: in an inaccessible one only Owners get through (R-TAG-2). */
  namesSubaccount?: boolean;
  /** One's own session and profile: the only routes left to a restricted admin in no unit (R-UNIT-5). */
  selfService?: boolean;
}

let probeNumber = 1;

export const PUBLIC_ROUTES = [
  "POST /api/auth/sign-in",
  "POST /api/auth/second-factor",
  "POST /api/auth/activation",
  "POST /api/auth/activation/password",
  "POST /api/auth/activation/complete",
];

const self: Omit<RouteRow, "probe"> = {
  parent: ALL,
  subaccount: ALL,
  restricted: true,
  selfService: true,
};
const selfSkip = (reason: string): RouteRow => ({ ...self, probe: { skip: reason } });

export const ROUTE_TABLE: Record<string, RouteRow> = {
  // R-ROLE-7: one's own session and profile, for every admin everywhere.
  "GET /api/auth/session": { ...self, probe: () => ({ url: "/api/auth/session" }) },
  "POST /api/auth/sign-out": selfSkip("ends the session; sessions.test.ts covers it"),
  "GET /api/profile": { ...self, probe: () => ({ url: "/api/profile" }) },
  "PATCH /api/profile": { ...self, probe: () => ({ url: "/api/profile", body: {} }) },
  "POST /api/profile/password": selfSkip("changes the password; profile.test.ts covers it"),
  "POST /api/profile/second-factor": selfSkip("starts re-enrollment; profile.test.ts covers it"),
  "POST /api/profile/second-factor/confirm": selfSkip(
    "needs a live code; profile.test.ts covers it",
  ),

  // The Dashboard: everyone; a restricted admin sees counts within their units.
  "GET /api/account": {
    parent: ALL,
    subaccount: ALL,
    restricted: true,
    probe: () => ({ url: "/api/account" }),
  },
  // "Change plan edition": Owners. The probe keeps the edition the principal's account has.
  "PUT /api/account/edition": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    probe: (ids) => ({ url: "/api/account/edition", body: { edition: ids.currentEdition } }),
  },

  // R-TAG-4: the Accounts pages, at the parent only (R-TEN-1).
  "GET /api/accounts": {
    parent: ALL,
    subaccount: NONE,
    restricted: true,
    probe: () => ({ url: "/api/accounts" }),
  },
  "GET /api/accounts/:accountId": {
    parent: ALL,
    subaccount: NONE,
    restricted: true,
    namesSubaccount: true,
    probe: (ids) => ({ url: `/api/accounts/${ids.accessibleSubaccountId}` }),
  },
  "POST /api/accounts": {
    parent: SUBACCOUNT_MANAGERS,
    subaccount: NONE,
    restricted: true,
    probe: () => ({ url: "/api/accounts", body: { name: `Probe ${probeNumber++}` } }),
  },
  "PATCH /api/accounts/:accountId": {
    parent: SUBACCOUNT_MANAGERS,
    subaccount: NONE,
    restricted: true,
    namesSubaccount: true,
    probe: (ids) => ({ url: `/api/accounts/${ids.accessibleSubaccountId}`, body: {} }),
  },
  "DELETE /api/accounts/:accountId": {
    parent: SUBACCOUNT_MANAGERS,
    subaccount: NONE,
    restricted: true,
    probe: (ids) => ({ url: `/api/accounts/${ids.missingAccountId}` }),
  },
  "GET /api/tags": {
    parent: ALL,
    subaccount: NONE,
    restricted: true,
    probe: () => ({ url: "/api/tags" }),
  },

  // R-ROLE-5: administrators are managed by Owners, in their own account.
  "POST /api/admins/:adminId/clear-inactivity": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    probe: (ids) => ({ url: `/api/admins/${ids.missingAdminId}/clear-inactivity`, body: {} }),
  },
};
