/**
 * The shapes the panel reads from the JSON API (the OpenAPI document at /api/openapi.json is the
 * source; src/http/panel/*.ts declares them). Action names come from the engine's catalogue as a
 * type only: nothing of the server is bundled, and a misspelt action does not compile.
 */
export type { Action } from "../../../src/authz/actions.js";
export type { AdminStatus } from "../../../src/authz/vocabulary.js";

export type Edition = "Free" | "Essentials" | "Advantage" | "Premier";
export const EDITIONS: readonly Edition[] = ["Free", "Essentials", "Advantage", "Premier"];

export type Role =
  | "Owner"
  | "Administrator"
  | "Application Manager"
  | "User Manager"
  | "Help Desk"
  | "Billing"
  | "Read-only";

/** GET /api/profile, and `admin` in GET /api/auth/session. */
export interface Profile {
  admin_id: string;
  email: string;
  name: string;
  phone: string | null;
  role: Role;
  subaccount_role: Role | null;
  status: string;
  account_id: string;
  is_temporary: boolean;
  last_sign_in_at: string | null;
}

/** GET /api/profile: the profile, and the password rules a new password must follow (R-ADM-3). */
export interface OwnProfile extends Profile {
  password_rules: string[];
}

/** GET /api/auth/session: who is signed in, and the account the session acts in. */
export interface Session {
  admin: Profile;
  account_id: string;
  csrf_token: string;
  expires_at: string;
}

/** GET /api/account: the Dashboard of the account the session acts in. */
export interface Dashboard {
  id: string;
  name: string;
  edition: Edition;
  nfr: boolean;
  is_subaccount: boolean;
  counts: {
    users: number;
    groups: number;
    applications: number;
    admins: number;
    subaccounts: number;
  };
  active_owners: number;
  owner_warning: boolean;
}

/** GET/POST /api/switcher (R-TAG-5). */
export interface SwitchTarget {
  id: string;
  name: string;
  edition: Edition;
  nfr: boolean;
  home: boolean;
  current: boolean;
}
export interface Switcher {
  current: string;
  accounts: SwitchTarget[];
}

/** What POST /api/explain asks about: an object the engine loads unit-scope facts for. */
export interface ExplainObject {
  kind: "user" | "group" | "application" | "admin";
  id: string;
}

/** POST /api/explain (R-AUD-2). */
export interface Explanation {
  allow: boolean;
  rule: string;
  reason: string;
  facts: string[];
  /** R-UNIT-4: the admin acts under administrative units in that account. */
  restricted_to_units: boolean;
}

/** POST /api/auth/activation. */
export interface ActivationInfo {
  email: string;
  name: string;
  expires_at: string;
  password_rules: string[];
}

/** POST /api/auth/activation/password and /api/profile/second-factor. */
export interface Enrollment {
  otpauth_uri: string;
  qr_svg: string;
  secret: string;
}
