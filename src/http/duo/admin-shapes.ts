import type { ActivationLinkView } from "../../domain/admins/activation-link.js";
import type { ActivationView } from "../../domain/admins/activations.js";
import type { AdminView } from "../../domain/admins/view.js";
import { Invalid } from "../../domain/errors.js";
import type { UnitView } from "../../domain/units/view.js";
import { unixSeconds } from "./envelope.js";

/**
 * research/duo-api.md §5 "admin", plus Gatehouse's delegation: `subaccount_role` (parent-level
 * admins, R-SUB-1; null for a subaccount's own admin) and `access_tags` (R-TAG-1). On create and
 * for a new link, the link shown once (R-ADM-2).
 */
export function duoAdmin(admin: AdminView, activation?: ActivationLinkView) {
  return {
    admin_id: admin.id,
    email: admin.email,
    name: admin.name,
    phone: admin.phone ?? "",
    role: admin.role,
    status: admin.status,
    restricted_by_admin_units: admin.restricted_by_units,
    admin_units: admin.unit_ids,
    last_login: admin.last_sign_in_at === null ? null : unixSeconds(admin.last_sign_in_at),
    created: unixSeconds(admin.created_at),
    last_directory_sync: null,
    password_change_required: admin.password_change_required,
    hardtoken: null,
    webauthncredentials: [],
    subaccount_role: admin.subaccount_role,
    access_tags: admin.tags,
    ...(activation
      ? {
          activation_url: activation.url,
          activation_url_expires: unixSeconds(activation.expires_at),
        }
      : {}),
  };
}

/**
 * §4.7 "activation" (PY docstring): `email_sent` says whether the link was emailed (`send_email`,
 * R-ADM-2), `message` and `subject` are empty. The link, a secret, is there only when it was just
 * made. Extra: `admin_id`, the pending admin the activation makes Active.
 */
export function duoActivation(activation: ActivationView, link?: ActivationLinkView) {
  const created = Date.parse(activation.created_at);
  const expires = Date.parse(activation.expires_at);
  return {
    admin_activation_id: activation.id,
    admin_id: activation.admin_id,
    email: activation.email,
    admin_name: activation.name,
    admin_role: activation.role,
    email_sent: link?.emailed_to !== undefined,
    expires: Math.floor(expires / 1000),
    valid_days: Math.round((expires - created) / 86_400_000),
    message: "",
    subject: "",
    ...(link ? { link: link.url, code: link.url.slice(link.url.lastIndexOf("/") + 1) } : {}),
  };
}

/** §5 "admin_unit": Duo's `restrict_by_*` are Gatehouse's "specific" scopes (R-UNIT-2). */
export function duoUnit(unit: UnitView) {
  return {
    admin_unit_id: unit.id,
    name: unit.name,
    description: unit.description,
    restrict_by_groups: !unit.all_groups,
    restrict_by_integrations: !unit.all_applications,
    admins: unit.admin_ids,
    groups: unit.group_ids,
    integrations: unit.application_ids,
  };
}

/**
 * Runs a use case and, when it refuses an input field, names the field as the Duo caller spelt it
 * (and rewrites the phrases of the reason that speak the domain's words), so the 400 40002 points
 * at the parameter sent.
 */
export async function withDuoNames<T>(
  names: { fields: Record<string, string>; phrases?: Record<string, string> },
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    let why = error.why;
    for (const [domain, duo] of Object.entries(names.phrases ?? {}))
      why = why.replaceAll(domain, duo);
    throw new Invalid(names.fields[error.field] ?? error.field, why);
  }
}

/** The domain's field names as the Duo parameters say them. */
export const ADMIN_PARAM_NAMES = {
  fields: { unit_ids: "admin_units", tags: "access_tags" },
};

/** Likewise for units; Duo's `restrict_by_*` say the opposite of the domain's "all" flags. */
export const UNIT_PARAM_NAMES = {
  fields: { group_ids: "groups", application_ids: "integrations", admin_ids: "admins" },
  phrases: {
    "all_groups is true": "restrict_by_groups is false",
    "all_applications is true": "restrict_by_integrations is false",
  },
};
