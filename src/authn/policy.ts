import { isLockedOut, type UserStanding } from "./access.js";
import { inNetworks } from "./networks.js";
import {
  DEFAULT_GLOBAL_SECTIONS,
  type Method,
  type PolicySections,
  SECTION_NAMES,
  type SectionName,
} from "./policy-sections.js";

export { inNetworks };

/**
 * R-POL-1, R-POL-2: which policy applies to an authentication, and what it decides. Pure: the
 * domain loads the policies that could apply (the global one, the application's, the one on a
 * group of the user's within the application) and the user's standing; this resolves each section
 * to the most specific policy that sets it, then decides in a fixed order (decidePolicy).
 */

/** Where a policy sits: the account's global policy, an application's, or a group's within an application. */
export type PolicyLevel = "global" | "application" | "group";

export interface PolicyRef {
  /** Duo's policy_key. */
  key: string;
  name: string;
  level: PolicyLevel;
}

export interface PolicyLayer {
  ref: PolicyRef;
  sections: PolicySections;
}

/** Each section as it applies, with the policy it comes from. */
export type EffectivePolicy = {
  [S in SectionName]: { value: Required<PolicySections>[S]; from: PolicyRef };
};

/** Parsed policies by their JSON text, frozen: shared by every login that reads the same text. */
const parsedPolicies = new Map<
  string,
  Readonly<{ key: string; name: string; sections: PolicySections }>
>();
const MAX_PARSED = 10_000;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * A policy layer from the JSON text the subject statement reads (`{key, name, sections}`). A login
 * reads the same few policies again and again: the same text is parsed once and shared (the text
 * is the key, so a changed policy is new text, never a stale parse).
 */
export function policyLayerFromJson(text: string, level: PolicyLevel): PolicyLayer {
  let parsed = parsedPolicies.get(text);
  if (parsed === undefined) {
    parsed = deepFreeze(
      JSON.parse(text) as { key: string; name: string; sections: PolicySections },
    );
    if (parsedPolicies.size >= MAX_PARSED)
      parsedPolicies.delete(parsedPolicies.keys().next().value as string);
    parsedPolicies.set(text, parsed);
  }
  return { ref: { key: parsed.key, name: parsed.name, level }, sections: parsed.sections };
}

/**
 * R-POL-1: each section from the most specific layer that sets it (group on application, then
 * application, then global). The global policy sets every section; one that lacks one (or no global
 * policy at all) falls back to a new account's defaults, still named as the global policy's.
 */
export function effectivePolicy(
  global: PolicyLayer,
  application?: PolicyLayer,
  group?: PolicyLayer,
): EffectivePolicy {
  const effective: Partial<Record<SectionName, { value: unknown; from: PolicyRef }>> = {};
  for (const name of SECTION_NAMES) {
    const from =
      group?.sections[name] !== undefined
        ? group
        : application?.sections[name] !== undefined
          ? application
          : global;
    effective[name] = {
      value: from.sections[name] ?? DEFAULT_GLOBAL_SECTIONS[name],
      from: from.ref,
    };
  }
  return effective as EffectivePolicy;
}

/** Which setting of which policy decided, for the log and for the panel's explanation. */
export interface DecidedBy {
  policy: PolicyRef;
  section: SectionName;
}

export type PolicyAccess =
  /** Must prove a second factor, with one of these methods. */
  | { kind: "auth"; methods: readonly Method[]; decidedBy: DecidedBy }
  | {
      kind: "allow";
      reason: "bypass_user" | "allow_unenrolled_user" | "allowed_by_policy" | "trusted_network";
      decidedBy?: DecidedBy;
    }
  | {
      kind: "deny";
      reason: "user_disabled" | "locked_out" | "deny_unenrolled_user" | "deny_by_policy";
      decidedBy?: DecidedBy;
    }
  /** Must enroll a device first; denied until then. */
  | { kind: "enroll"; reason: "deny_unenrolled_user"; decidedBy: DecidedBy };

export interface PolicyFacts {
  /** The user's standing; null when Gatehouse does not know the username. */
  user: UserStanding | null;
  /** The access device's IP as the client reported it; null when it gave none. */
  ip: string | null;
  now: Date;
}

const by = (policy: EffectivePolicy, section: SectionName): DecidedBy => ({
  policy: policy[section].from,
  section,
});

/**
 * R-AUTH-3 and R-POL-2, in this order, the first that applies deciding: a disabled user is denied;
 * a policy that denies everyone denies; outside the authorized networks where they deny others,
 * denied (an access without an IP is outside); a locked-out user is denied; a user in bypass is
 * allowed; a user who is unknown or has no device, where the new-user policy denies them, is
 * denied; from a network that needs no second factor, allowed; a policy that bypasses 2FA allows;
 * a user who is unknown or has no device meets the new-user policy (enroll, or pass without 2FA);
 * everyone else must prove a factor by one of the allowed methods. So no setting that allows
 * without a factor ever overrides one that denies.
 */
export function decidePolicy(policy: EffectivePolicy, facts: PolicyFacts): PolicyAccess {
  const { user, ip, now } = facts;
  if (user !== null && (user.status === "disabled" || user.status === "pending deletion"))
    return { kind: "deny", reason: "user_disabled" };
  const behavior = policy.authentication_policy.value.user_auth_behavior;
  if (behavior === "deny")
    return {
      kind: "deny",
      reason: "deny_by_policy",
      decidedBy: by(policy, "authentication_policy"),
    };
  const networks = policy.authorized_networks.value;
  const trusted = inNetworks(ip, networks.allow_without_2fa_networks);
  if (networks.deny_other_networks && !trusted && !inNetworks(ip, networks.require_2fa_networks))
    return { kind: "deny", reason: "deny_by_policy", decidedBy: by(policy, "authorized_networks") };
  if (user !== null && isLockedOut(user, now)) return { kind: "deny", reason: "locked_out" };
  if (user?.status === "bypass") return { kind: "allow", reason: "bypass_user" };
  const newUser = user === null || !user.enrolled;
  const newUserBehavior = policy.new_user.value.new_user_behavior;
  if (newUser && newUserBehavior === "deny")
    return { kind: "deny", reason: "deny_unenrolled_user", decidedBy: by(policy, "new_user") };
  if (trusted)
    return {
      kind: "allow",
      reason: "trusted_network",
      decidedBy: by(policy, "authorized_networks"),
    };
  if (behavior === "bypass")
    return {
      kind: "allow",
      reason: "allowed_by_policy",
      decidedBy: by(policy, "authentication_policy"),
    };
  if (newUser)
    return newUserBehavior === "enroll"
      ? { kind: "enroll", reason: "deny_unenrolled_user", decidedBy: by(policy, "new_user") }
      : { kind: "allow", reason: "allow_unenrolled_user", decidedBy: by(policy, "new_user") };
  return {
    kind: "auth",
    methods: policy.authentication_methods.value.allowed_auth_list,
    decidedBy: by(policy, "authentication_methods"),
  };
}

/**
 * The remembered-devices setting as the hosted prompt uses it: how long a browser is remembered,
 * and whether for this application alone; undefined when browsers are not remembered.
 */
export function rememberedDevices(
  policy: EffectivePolicy,
): { hours: number; perApplication: boolean } | undefined {
  const browser = policy.remembered_devices.value.browser_apps;
  if (!browser.enabled) return undefined;
  const { max_time_value: value, max_time_units: units, confirm_per_app } = browser.user_based;
  return { hours: units === "days" ? value * 24 : value, perApplication: confirm_per_app };
}
