/** The fixed words of the model, spelt exactly as the database and Duo's API spell them. */

/** R-ROLE-1: seven fixed roles, in SPEC R-ROLE-2's column order. */
export const ROLES = [
  "Owner",
  "Administrator",
  "Application Manager",
  "User Manager",
  "Help Desk",
  "Billing",
  "Read-only",
] as const;
export type Role = (typeof ROLES)[number];

/** R-TEN-4 */
export const EDITIONS = ["Free", "Essentials", "Advantage", "Premier"] as const;
export type Edition = (typeof EDITIONS)[number];

/** R-ADM-1 */
export const ADMIN_STATUSES = ["Active", "Disabled", "Expired", "Pending Activation"] as const;
export type AdminStatus = (typeof ADMIN_STATUSES)[number];

/** Duo's "Grant ..." permissions of Admin API applications. */
export const API_GRANTS = [
  "adminapi_admins",
  "adminapi_info",
  "adminapi_integrations",
  "adminapi_read_log",
  "adminapi_read_resource",
  "adminapi_settings",
  "adminapi_write_resource",
] as const;
export type ApiGrant = (typeof API_GRANTS)[number];

/** Application types that are themselves administration doors (R-ROLE-2 row "Manage Admin API and Accounts API applications"). */
export const API_APPLICATION_TYPES = ["adminapi", "accountsapi"] as const;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
