/**
 * Which principals each panel route lets through, written by hand from SPEC.md's words (R-ROLE-2
 * table, R-ROLE-3 limits, R-TEN-1, R-TAG-2, R-UNIT-4, R-PLAN-1/3), NOT derived from src/authz: the
 * route-table test compares the running server with this table, principal by principal.
 */
import type { Role } from "../../../src/authz/index.js";
import { pngImage } from "../../helpers/images.js";

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
/** "View basic users, groups, phones, tokens, applications": all but Billing. */
const VIEWERS: readonly Role[] = ALL.filter((role) => role !== "Billing");
/** "Manage users": create and delete are not part of Help Desk's share (R-ROLE-3). */
const USER_MANAGERS: readonly Role[] = ["Owner", "Administrator", "User Manager"];
const GROUP_MANAGERS: readonly Role[] = ["Owner", "Administrator", "User Manager"];
const APPLICATION_MANAGERS: readonly Role[] = ["Owner", "Administrator", "Application Manager"];
/** "Assign existing custom policies to applications and groups" (and so read them). */
const POLICY_APPLIERS: readonly Role[] = ["Owner", "Administrator", "Application Manager"];
/** "Create and edit policies": Owner and Administrator. */
const POLICY_EDITORS: readonly Role[] = ["Owner", "Administrator"];
/** "Manage 2FA devices and bypass codes" (R-ROLE-4's settings are at their defaults here). */
const DEVICE_MANAGERS: readonly Role[] = ["Owner", "Administrator", "User Manager", "Help Desk"];
/** Phone numbers, bypass codes, notes: not Application Manager's (R-ROLE-3). */
const DETAIL_VIEWERS: readonly Role[] = VIEWERS.filter((role) => role !== "Application Manager");
/** "View reports": every role but Billing; Help Desk and User Manager keep Administrator Actions (R-ROLE-3). */
const REPORT_VIEWERS: readonly Role[] = VIEWERS;
/** "Modify global settings": Owner and Administrator. */
const SETTINGS_MANAGERS: readonly Role[] = ["Owner", "Administrator"];
const missing = (prefix: string) => `${prefix}${"9".repeat(18)}`;

/** The objects a probe may name; ids of things that do not exist answer 404 once authorized. */
export interface ProbeIds {
  accessibleSubaccountId: string;
  inaccessibleSubaccountId: string;
  missingAccountId: string;
  missingAdminId: string;
  /** The edition of the account the principal acts in. */
  currentEdition: string;
  /** Groups a new user may go in: the unit's group at the paid parent, none elsewhere (R-UNIT-8a). */
  newUserGroupIds: string[];
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
  /** A POST that answers without changing anything (explain, simulate): no log record expected. */
  readOnly?: boolean;
}

let probeNumber = 1;

export const PUBLIC_ROUTES = [
  "GET /api/openapi.json",
  "POST /api/auth/sign-in",
  "POST /api/auth/second-factor",
  // R-ADM-3: the second step with a security key, after the password.
  "POST /api/auth/second-factor/webauthn/options",
  "POST /api/auth/second-factor/webauthn",
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
  "POST /api/explain": {
    ...self,
    readOnly: true,
    probe: () => ({ url: "/api/explain", body: { action: "dashboard:view" } }),
  },
  "POST /api/decisions": {
    ...self,
    readOnly: true,
    probe: () => ({
      url: "/api/decisions",
      body: { questions: [{ action: "dashboard:view" }, { action: "users:delete" }] },
    }),
  },
  "GET /api/auth/session": { ...self, probe: () => ({ url: "/api/auth/session" }) },
  "POST /api/auth/sign-out": selfSkip("ends the session; sessions.test.ts covers it"),
  "GET /api/profile": { ...self, probe: () => ({ url: "/api/profile" }) },
  "PATCH /api/profile": { ...self, probe: () => ({ url: "/api/profile", body: {} }) },
  "POST /api/profile/password": selfSkip("changes the password; profile.test.ts covers it"),
  "POST /api/profile/second-factor": selfSkip("starts re-enrollment; profile.test.ts covers it"),
  "POST /api/profile/second-factor/confirm": selfSkip(
    "needs a live code; profile.test.ts covers it",
  ),
  // R-ADM-3: one's own security keys.
  "GET /api/profile/security-keys": {
    ...self,
    probe: () => ({ url: "/api/profile/security-keys" }),
  },
  "POST /api/profile/security-keys/options": selfSkip(
    "needs the current password; security-keys.test.ts covers it",
  ),
  "POST /api/profile/security-keys": selfSkip(
    "needs a key's answer to a ceremony; security-keys.test.ts covers it",
  ),
  "PATCH /api/profile/security-keys/:keyId": {
    ...self,
    probe: () => ({ url: `/api/profile/security-keys/${missing("WA")}`, body: { label: "Probe" } }),
  },
  "DELETE /api/profile/security-keys/:keyId": {
    ...self,
    probe: () => ({ url: `/api/profile/security-keys/${missing("WA")}` }),
  },

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
  "GET /api/admins": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    probe: () => ({ url: "/api/admins" }),
  },
  "GET /api/admins/:adminId": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    probe: (ids) => ({ url: `/api/admins/${ids.missingAdminId}` }),
  },
  // R-PLAN-1: no role is given while Free; every admin is an Owner there.
  "POST /api/admins": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    probe: (ids) => ({
      url: "/api/admins",
      body: {
        email: `probe-${probeNumber++}@example.com`,
        name: "Probe",
        ...(ids.currentEdition === "Free" ? {} : { role: "Read-only" }),
      },
    }),
  },
  "PATCH /api/admins/:adminId": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    probe: (ids) => ({ url: `/api/admins/${ids.missingAdminId}`, body: { name: "Probe" } }),
  },
  "DELETE /api/admins/:adminId": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    probe: (ids) => ({ url: `/api/admins/${ids.missingAdminId}` }),
  },
  "POST /api/admins/:adminId/activation-link": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    probe: (ids) => ({ url: `/api/admins/${ids.missingAdminId}/activation-link`, body: {} }),
  },
  "POST /api/admins/:adminId/clear-inactivity": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    probe: (ids) => ({ url: `/api/admins/${ids.missingAdminId}/clear-inactivity`, body: {} }),
  },

  // R-TAG-5: the switcher, for every admin (a restricted admin in no unit opens only their profile).
  "GET /api/switcher": {
    parent: ALL,
    subaccount: ALL,
    restricted: true,
    probe: () => ({ url: "/api/switcher" }),
  },
  "POST /api/switcher": {
    parent: ALL,
    subaccount: ALL,
    restricted: true,
    probe: { skip: "moves the session; switcher.test.ts covers it" },
  },
  // R-SUM-1: from the Administrators page ("Manage other admins"), at the parent.
  "GET /api/access-summary.csv": {
    parent: OWNER,
    subaccount: NONE,
    restricted: true,
    probe: () => ({ url: "/api/access-summary.csv" }),
  },
  // Owners preview delegation changes (R-SUB-4: delegation is configured by Owners at the parent).
  "POST /api/simulate": {
    parent: OWNER,
    subaccount: NONE,
    restricted: true,
    readOnly: true,
    probe: () => ({
      url: "/api/simulate",
      body: { change: { kind: "parent", edition: "Premier" } },
    }),
  },
  // R-AUD-1: the Administrator Actions log (R-ROLE-3: in Help Desk's and User Manager's four reports).
  "GET /api/audit-log": {
    parent: REPORT_VIEWERS,
    subaccount: REPORT_VIEWERS,
    restricted: true,
    probe: () => ({ url: "/api/audit-log" }),
  },
  "GET /api/audit-log.csv": {
    parent: REPORT_VIEWERS,
    subaccount: REPORT_VIEWERS,
    restricted: true,
    probe: () => ({ url: "/api/audit-log.csv" }),
  },
  // R-AUTH-4: the Authentication and Telephony logs, and the Dashboard's activity drawn from the
  // first (R-ROLE-3: both are among Help Desk's and User Manager's four reports; not Billing's).
  "GET /api/authentication-log": {
    parent: REPORT_VIEWERS,
    subaccount: REPORT_VIEWERS,
    restricted: true,
    probe: () => ({ url: "/api/authentication-log" }),
  },
  "GET /api/authentication-log.csv": {
    parent: REPORT_VIEWERS,
    subaccount: REPORT_VIEWERS,
    restricted: true,
    probe: () => ({ url: "/api/authentication-log.csv" }),
  },
  "GET /api/telephony-log": {
    parent: REPORT_VIEWERS,
    subaccount: REPORT_VIEWERS,
    restricted: true,
    probe: () => ({ url: "/api/telephony-log" }),
  },
  "GET /api/telephony-log.csv": {
    parent: REPORT_VIEWERS,
    subaccount: REPORT_VIEWERS,
    restricted: true,
    probe: () => ({ url: "/api/telephony-log.csv" }),
  },
  "GET /api/dashboard/authentication-activity": {
    parent: REPORT_VIEWERS,
    subaccount: REPORT_VIEWERS,
    restricted: true,
    probe: () => ({ url: "/api/dashboard/authentication-activity" }),
  },

  // R-UNIT-1, R-PLAN-3: units are managed by Owners, in paid editions.
  "GET /api/units": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    paidOnly: true,
    probe: () => ({ url: "/api/units" }),
  },
  "GET /api/units/preview": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    paidOnly: true,
    probe: (ids) => ({ url: `/api/units/preview?admin_id=${ids.missingAdminId}` }),
  },
  "GET /api/units/:unitId": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    paidOnly: true,
    probe: () => ({ url: `/api/units/${missing("DN")}` }),
  },
  "POST /api/units": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    paidOnly: true,
    probe: () => ({ url: "/api/units", body: { name: `Probe unit ${probeNumber++}` } }),
  },
  "PATCH /api/units/:unitId": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    paidOnly: true,
    probe: () => ({ url: `/api/units/${missing("DN")}`, body: {} }),
  },
  "DELETE /api/units/:unitId": {
    parent: OWNER,
    subaccount: OWNER,
    restricted: true,
    paidOnly: true,
    probe: () => ({ url: `/api/units/${missing("DN")}` }),
  },

  // Users, groups, applications (R-ROLE-2, R-ROLE-3), within units for restricted admins (R-UNIT-8).
  "GET /api/users": {
    parent: VIEWERS,
    subaccount: VIEWERS,
    restricted: true,
    probe: () => ({ url: "/api/users" }),
  },
  "GET /api/users/:userId": {
    parent: VIEWERS,
    subaccount: VIEWERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}` }),
  },
  "POST /api/users": {
    parent: USER_MANAGERS,
    subaccount: USER_MANAGERS,
    restricted: true,
    probe: (ids) => ({
      url: "/api/users",
      body: { username: `probe-${probeNumber++}`, group_ids: ids.newUserGroupIds },
    }),
  },
  // Each changed field asks for its own action in the use case; the route's gate is viewing users.
  "PATCH /api/users/:userId": {
    parent: VIEWERS,
    subaccount: VIEWERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}`, body: {} }),
  },
  "DELETE /api/users/:userId": {
    parent: USER_MANAGERS,
    subaccount: USER_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}` }),
  },
  // R-ROLE-3: Help Desk sends enrollment emails only where the account allows it (R-ROLE-4,
  // default off, as here); R-UNIT-8a: a restricted admin, to users of their units.
  "POST /api/users/:userId/enrollment-email": {
    parent: USER_MANAGERS,
    subaccount: USER_MANAGERS,
    restricted: true,
    probe: () => ({
      url: `/api/users/${missing("DU")}/enrollment-email`,
      body: { email: "probe@example.com" },
    }),
  },
  // Whether this server sends email: what the panel asks before offering to.
  "GET /api/mail-delivery": {
    parent: ALL,
    subaccount: ALL,
    restricted: true,
    probe: () => ({ url: "/api/mail-delivery" }),
  },
  // A user's bypass codes (R-ROLE-2 devices row; seeing them is a detail, R-ROLE-3; R-UNIT-8f).
  "POST /api/users/:userId/bypass-codes": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}/bypass-codes`, body: { count: 1 } }),
  },
  "GET /api/users/:userId/bypass-codes": {
    parent: DETAIL_VIEWERS,
    subaccount: DETAIL_VIEWERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}/bypass-codes` }),
  },
  "DELETE /api/users/:userId/bypass-codes/:codeId": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}/bypass-codes/${missing("DB")}` }),
  },
  "DELETE /api/users/:userId/bypass-codes": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}/bypass-codes` }),
  },
  // Browsers "Remember me" keeps in the hosted prompt: counted for whoever sees the user, forgotten
  // as a 2FA device is removed (R-ROLE-2 devices row, R-UNIT-8f).
  "GET /api/users/:userId/remembered-browsers": {
    parent: VIEWERS,
    subaccount: VIEWERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}/remembered-browsers` }),
  },
  "DELETE /api/users/:userId/remembered-browsers": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}/remembered-browsers` }),
  },
  // Phones and hardware tokens (R-ROLE-2 devices row; seeing them is not Application Manager's,
  // R-ROLE-3: no phone numbers; R-UNIT-8f: a restricted admin's are those of users in their units).
  "GET /api/phones": {
    parent: DETAIL_VIEWERS,
    subaccount: DETAIL_VIEWERS,
    restricted: true,
    probe: () => ({ url: "/api/phones" }),
  },
  // A phone of no user is in no unit's scope: a restricted admin adds phones to their users instead.
  "POST /api/phones": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: false,
    probe: () => ({ url: "/api/phones", body: { name: `Probe phone ${probeNumber++}` } }),
  },
  "GET /api/phones/:phoneId": {
    parent: DETAIL_VIEWERS,
    subaccount: DETAIL_VIEWERS,
    restricted: true,
    probe: () => ({ url: `/api/phones/${missing("DP")}` }),
  },
  "PATCH /api/phones/:phoneId": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/phones/${missing("DP")}`, body: {} }),
  },
  "DELETE /api/phones/:phoneId": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/phones/${missing("DP")}` }),
  },
  "GET /api/users/:userId/phones": {
    parent: DETAIL_VIEWERS,
    subaccount: DETAIL_VIEWERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}/phones` }),
  },
  "POST /api/users/:userId/phones": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}/phones`, body: {} }),
  },
  "PUT /api/users/:userId/phones/:phoneId": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}/phones/${missing("DP")}`, body: {} }),
  },
  "DELETE /api/users/:userId/phones/:phoneId": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}/phones/${missing("DP")}` }),
  },
  // R-ROLE-3: Help Desk sends activations; R-UNIT-8f: a restricted admin, for their users' phones.
  "POST /api/phones/:phoneId/activation": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/phones/${missing("DP")}/activation`, body: {} }),
  },
  "GET /api/tokens": {
    parent: DETAIL_VIEWERS,
    subaccount: DETAIL_VIEWERS,
    restricted: true,
    probe: () => ({ url: "/api/tokens" }),
  },
  // Like a phone: a token of no user is in no unit's scope.
  "POST /api/tokens": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: false,
    probe: () => ({
      url: "/api/tokens",
      body: {
        type: "h6",
        serial: `probe-${probeNumber++}`,
        secret: "3132333435363738393031323334353637383930",
      },
    }),
  },
  "GET /api/tokens/:tokenId": {
    parent: DETAIL_VIEWERS,
    subaccount: DETAIL_VIEWERS,
    restricted: true,
    probe: () => ({ url: `/api/tokens/${missing("DH")}` }),
  },
  "PATCH /api/tokens/:tokenId": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/tokens/${missing("DH")}`, body: {} }),
  },
  "DELETE /api/tokens/:tokenId": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/tokens/${missing("DH")}` }),
  },
  "POST /api/tokens/:tokenId/resync": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({
      url: `/api/tokens/${missing("DH")}/resync`,
      body: { codes: ["123456", "234567", "345678"] },
    }),
  },
  "GET /api/users/:userId/tokens": {
    parent: DETAIL_VIEWERS,
    subaccount: DETAIL_VIEWERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}/tokens` }),
  },
  "POST /api/users/:userId/tokens": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({
      url: `/api/users/${missing("DU")}/tokens`,
      body: {
        type: "t6",
        serial: `probe-${probeNumber++}`,
        secret: "3132333435363738393031323334353637383930",
      },
    }),
  },
  "PUT /api/users/:userId/tokens/:tokenId": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}/tokens/${missing("DH")}`, body: {} }),
  },
  "DELETE /api/users/:userId/tokens/:tokenId": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}/tokens/${missing("DH")}` }),
  },
  // Users' WebAuthn security keys and passkeys: like hardware tokens (R-ROLE-2 devices row, R-ROLE-3,
  // R-UNIT-8f); users register them at the hosted prompt, admins list and remove them.
  "GET /api/users/:userId/webauthn-credentials": {
    parent: DETAIL_VIEWERS,
    subaccount: DETAIL_VIEWERS,
    restricted: true,
    probe: () => ({ url: `/api/users/${missing("DU")}/webauthn-credentials` }),
  },
  "DELETE /api/webauthn-credentials/:credentialId": {
    parent: DEVICE_MANAGERS,
    subaccount: DEVICE_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/webauthn-credentials/${missing("WA")}` }),
  },
  "GET /api/groups": {
    parent: VIEWERS,
    subaccount: VIEWERS,
    restricted: true,
    probe: () => ({ url: "/api/groups" }),
  },
  "GET /api/groups/:groupId": {
    parent: VIEWERS,
    subaccount: VIEWERS,
    restricted: true,
    probe: () => ({ url: `/api/groups/${missing("DG")}` }),
  },
  "POST /api/groups": {
    parent: GROUP_MANAGERS,
    subaccount: GROUP_MANAGERS,
    restricted: true,
    probe: () => ({ url: "/api/groups", body: { name: `Probe group ${probeNumber++}` } }),
  },
  "PATCH /api/groups/:groupId": {
    parent: GROUP_MANAGERS,
    subaccount: GROUP_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/groups/${missing("DG")}`, body: {} }),
  },
  "DELETE /api/groups/:groupId": {
    parent: GROUP_MANAGERS,
    subaccount: GROUP_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/groups/${missing("DG")}` }),
  },
  "POST /api/groups/:groupId/members/:userId": {
    parent: GROUP_MANAGERS,
    subaccount: GROUP_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/groups/${missing("DG")}/members/${missing("DU")}`, body: {} }),
  },
  "DELETE /api/groups/:groupId/members/:userId": {
    parent: GROUP_MANAGERS,
    subaccount: GROUP_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/groups/${missing("DG")}/members/${missing("DU")}` }),
  },
  "GET /api/applications": {
    parent: VIEWERS,
    subaccount: VIEWERS,
    restricted: true,
    probe: () => ({ url: "/api/applications" }),
  },
  "GET /api/applications/:applicationId": {
    parent: VIEWERS,
    subaccount: VIEWERS,
    restricted: true,
    probe: () => ({ url: `/api/applications/${missing("DI")}` }),
  },
  "POST /api/applications": {
    parent: APPLICATION_MANAGERS,
    subaccount: APPLICATION_MANAGERS,
    restricted: true,
    probe: () => ({
      url: "/api/applications",
      body: { type: "websdk", name: `Probe app ${probeNumber++}` },
    }),
  },
  "PATCH /api/applications/:applicationId": {
    parent: APPLICATION_MANAGERS,
    subaccount: APPLICATION_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/applications/${missing("DI")}`, body: {} }),
  },
  "DELETE /api/applications/:applicationId": {
    parent: APPLICATION_MANAGERS,
    subaccount: APPLICATION_MANAGERS,
    restricted: true,
    probe: () => ({ url: `/api/applications/${missing("DI")}` }),
  },
  // R-UNIT-6, R-UNIT-1: the units a new application may join, for those who may create one.
  "GET /api/applications/unit-choices": {
    parent: APPLICATION_MANAGERS,
    subaccount: APPLICATION_MANAGERS,
    restricted: true,
    probe: () => ({ url: "/api/applications/unit-choices" }),
  },

  // R-ROLE-2: "Create and edit policies" is Owner's and Administrator's; applying existing ones is
  // Application Manager's too, and reading them is for who does either. R-UNIT-8d: a restricted
  // admin keeps them, for the policies and places within their units (policies.test.ts).
  "GET /api/policies": {
    parent: POLICY_APPLIERS,
    subaccount: POLICY_APPLIERS,
    restricted: true,
    probe: () => ({ url: "/api/policies" }),
  },
  "GET /api/policies/:key": {
    parent: POLICY_APPLIERS,
    subaccount: POLICY_APPLIERS,
    restricted: true,
    probe: () => ({ url: "/api/policies/global" }),
  },
  "GET /api/policies/effective": {
    parent: POLICY_APPLIERS,
    subaccount: POLICY_APPLIERS,
    restricted: true,
    probe: () => ({
      url: `/api/policies/effective?user_id=${missing("DU")}&application_id=${missing("DI")}`,
    }),
  },
  "POST /api/policies": {
    parent: POLICY_EDITORS,
    subaccount: POLICY_EDITORS,
    restricted: true,
    probe: () => ({ url: "/api/policies", body: { name: `Probe policy ${probeNumber++}` } }),
  },
  // The gate is applying policies; editing one asks for "policies:update" in the use case.
  "PATCH /api/policies/:key": {
    parent: POLICY_APPLIERS,
    subaccount: POLICY_APPLIERS,
    restricted: true,
    probe: () => ({ url: `/api/policies/${missing("PO")}`, body: {} }),
  },
  // R-POL-3: previewing a change is checked as saving it (the use case), gated as PATCH is.
  "POST /api/policies/:key/impact": {
    parent: POLICY_APPLIERS,
    subaccount: POLICY_APPLIERS,
    restricted: true,
    probe: () => ({ url: "/api/policies/global/impact", body: {} }),
    readOnly: true,
  },
  // R-ROLE-3: the Policy Impact report is among the four Help Desk and User Manager see.
  "GET /api/reports/policy-impact": {
    parent: VIEWERS,
    subaccount: VIEWERS,
    restricted: true,
    probe: () => ({ url: "/api/reports/policy-impact" }),
  },
  "DELETE /api/policies/:key": {
    parent: POLICY_EDITORS,
    subaccount: POLICY_EDITORS,
    restricted: true,
    probe: () => ({ url: `/api/policies/${missing("PO")}` }),
  },
  "POST /api/policies/:key/copy": {
    parent: POLICY_EDITORS,
    subaccount: POLICY_EDITORS,
    restricted: true,
    probe: () => ({
      url: "/api/policies/global/copy",
      body: { names: [`Probe copy ${probeNumber++}`] },
    }),
  },

  // R-ROLE-2 "Modify global settings" (reading them too) and R-ROLE-4's settings, in every account;
  // account-wide, so never a restricted admin's (R-UNIT-4). The probe sets a default to itself.
  "GET /api/settings": {
    parent: SETTINGS_MANAGERS,
    subaccount: SETTINGS_MANAGERS,
    restricted: false,
    probe: () => ({ url: "/api/settings" }),
  },
  "PATCH /api/settings": {
    parent: SETTINGS_MANAGERS,
    subaccount: SETTINGS_MANAGERS,
    restricted: false,
    probe: () => ({ url: "/api/settings", body: { helpdesk_can_send_enroll_email: false } }),
  },
  // The SMS gateway is a global setting too. The rows run in this order: the test message comes
  // after the gateway is removed, so it is refused (409) without reaching any gateway.
  "GET /api/settings/sms-gateway": {
    parent: SETTINGS_MANAGERS,
    subaccount: SETTINGS_MANAGERS,
    restricted: false,
    probe: () => ({ url: "/api/settings/sms-gateway" }),
  },
  "PUT /api/settings/sms-gateway": {
    parent: SETTINGS_MANAGERS,
    subaccount: SETTINGS_MANAGERS,
    restricted: false,
    probe: () => ({
      url: "/api/settings/sms-gateway",
      body: {
        url: "http://127.0.0.1:9/send",
        method: "POST",
        content_type: "application/json",
        body: '{"to":"{{to}}","message":"{{message}}"}',
      },
    }),
  },
  "DELETE /api/settings/sms-gateway": {
    parent: SETTINGS_MANAGERS,
    subaccount: SETTINGS_MANAGERS,
    restricted: false,
    probe: () => ({ url: "/api/settings/sms-gateway" }),
  },
  "POST /api/settings/sms-gateway/test": {
    parent: SETTINGS_MANAGERS,
    subaccount: SETTINGS_MANAGERS,
    restricted: false,
    probe: () => ({ url: "/api/settings/sms-gateway/test", body: { to: "+15555550100" } }),
  },
  // Settings, Branding (issue 15: the hosted prompt's name, colour and logo): a global setting.
  "GET /api/settings/branding": {
    parent: SETTINGS_MANAGERS,
    subaccount: SETTINGS_MANAGERS,
    restricted: false,
    probe: () => ({ url: "/api/settings/branding" }),
  },
  "PATCH /api/settings/branding": {
    parent: SETTINGS_MANAGERS,
    subaccount: SETTINGS_MANAGERS,
    restricted: false,
    probe: () => ({ url: "/api/settings/branding", body: { colour: null } }),
  },
  "PUT /api/settings/branding/logo": {
    parent: SETTINGS_MANAGERS,
    subaccount: SETTINGS_MANAGERS,
    restricted: false,
    probe: () => ({
      url: "/api/settings/branding/logo",
      body: { logo: pngImage(32, 32).toString("base64") },
    }),
  },
  "DELETE /api/settings/branding/logo": {
    parent: SETTINGS_MANAGERS,
    subaccount: SETTINGS_MANAGERS,
    restricted: false,
    probe: () => ({ url: "/api/settings/branding/logo" }),
  },
};
