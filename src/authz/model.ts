import type { AdminStatus, ApiGrant, Edition, Role } from "./vocabulary.js";

/**
 * The tenant model: plain data about one parent account and everything the engine reads about it.
 * The rest of the system loads it (src/db) and hands it to `compile`; the engine does no I/O.
 */
export interface TenantModel {
  parent: AccountFacts;
  subaccounts: SubaccountFacts[];
  admins: AdminFacts[];
  units: UnitFacts[];
}

/** R-ROLE-4: the settings that narrow roles, per account. */
export interface RoleSettings {
  helpdesk_bypass: "allow" | "limit" | "deny";
  /** Minutes; with "limit", Help Desk bypass codes must expire within this. */
  helpdesk_bypass_expiration: number;
  helpdesk_can_send_enroll_email: boolean;
  user_managers_can_put_users_in_bypass: boolean;
}

export const DEFAULT_ROLE_SETTINGS: RoleSettings = Object.freeze({
  helpdesk_bypass: "allow",
  helpdesk_bypass_expiration: 60,
  helpdesk_can_send_enroll_email: false,
  user_managers_can_put_users_in_bypass: true,
});

export interface AccountFacts {
  id: string;
  name: string;
  edition: Edition;
  nfr: boolean;
  settings: RoleSettings;
}

export interface SubaccountFacts extends AccountFacts {
  /** R-TAG-1: case-sensitive. */
  tags: string[];
}

export interface AdminFacts {
  id: string;
  email: string;
  name: string;
  /** The parent's id for a parent-level admin; a subaccount's id for an admin added there (R-SUB-5). */
  accountId: string;
  role: Role;
  /** Parent-level admins only (R-SUB-1); null for subaccount admins. */
  subaccountRole: Role | null;
  status: AdminStatus;
  tags: string[];
  /** R-UNIT-4: restricted by administrative units (their ids are in UnitFacts.adminIds). */
  restricted: boolean;
  directorySynced: boolean;
}

export interface UnitFacts {
  id: string;
  accountId: string;
  name: string;
  allApplications: boolean;
  allGroups: boolean;
  adminIds: string[];
  groupIds: string[];
  applicationIds: string[];
}

/** Who asks. */
export type Principal =
  | { kind: "admin"; adminId: string }
  | {
      kind: "application";
      id: string;
      accountId: string;
      type: "adminapi" | "accountsapi";
      grants: ApiGrant[];
    }
  | { kind: "system"; name?: string };

/** The object an action is on, with the facts unit scope needs. An absent id means "a new one". */
export type TargetObject =
  | { kind: "user"; id?: string; groupIds: string[] }
  | { kind: "group"; id?: string }
  | { kind: "application"; id?: string; type?: string }
  | { kind: "policy"; id?: string; global?: boolean; applicationIds: string[]; groupIds: string[] }
  | { kind: "admin"; id?: string };

/** A proposed change to an admin (admins:create/update/delete, subaccount_roles:edit). */
export interface AdminChange {
  role?: Role;
  subaccountRole?: Role;
  tags?: string[];
  unitIds?: string[];
  restricted?: boolean;
  status?: AdminStatus;
  delete?: boolean;
}

export interface Target {
  accountId: string;
  object?: TargetObject;
  /** groups:manage_members: the group whose membership changes. */
  groupId?: string;
  /** bypass_codes:create: minutes until the codes expire (null: never). */
  bypassExpirationMinutes?: number | null;
  adminChange?: AdminChange;
}

export interface Decision {
  allow: boolean;
  /** The SPEC rule that decided. */
  rule: string;
  /** A sentence an admin understands, naming the facts. */
  reason: string;
}
