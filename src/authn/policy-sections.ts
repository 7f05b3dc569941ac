import { isIP } from "node:net";
import {
  MAX_REMEMBER_HOURS,
  METHODS,
  type Method,
  type NetworksSection,
  type PolicySections,
  type RememberedDevicesSection,
  SECTION_NAMES,
  type SectionName,
  UNOFFERED_METHODS,
} from "./policy-model.js";

export * from "./policy-model.js";

/**
 * Duo's `sections` JSON, checked into the policy model (policy-model.ts): a section or key Gatehouse
 * cannot enforce is refused by name, never accepted and ignored (R-POL-2).
 */

/** A problem with one field of a policy, named by its path (`sections.new_user.new_user_behavior`). */
export interface SectionProblem {
  field: string;
  message: string;
}

type Json = unknown;

const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A CIDR or a single address, IPv4 or IPv6; undefined when it is one. */
export function whyNotCidr(text: string): string | undefined {
  const [address = "", prefix, extra] = text.split("/");
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return `"${text}" is not an IP address or CIDR range`;
  if (prefix === undefined) return undefined;
  const bits = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits)
    return `"${text}" has a prefix length outside 0 to ${bits}`;
  return undefined;
}

/** A reader of one section's object that records every problem and refuses unknown keys. */
class SectionReader {
  constructor(
    private readonly path: string,
    private readonly object: Record<string, Json>,
    private readonly problems: SectionProblem[],
    known: readonly string[],
  ) {
    for (const key of Object.keys(object))
      if (!known.includes(key))
        problems.push({
          field: `${path}.${key}`,
          message: `Gatehouse does not enforce "${key}"; the keys of this section are ${known.join(", ")}`,
        });
  }

  problem(key: string, message: string): undefined {
    this.problems.push({ field: `${this.path}.${key}`, message });
    return undefined;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const value = this.object[key];
    if (typeof value === "string" && (values as readonly string[]).includes(value))
      return value as T;
    return this.problem(key, `must be one of ${values.join(", ")}`);
  }

  boolean(key: string): boolean | undefined {
    const value = this.object[key];
    return typeof value === "boolean" ? value : this.problem(key, "must be true or false");
  }

  /** A list, given as a JSON array of strings or as Duo's comma-separated text. */
  strings(key: string, optional = false): string[] | undefined {
    const value = this.object[key];
    if (value === undefined && optional) return [];
    const list =
      typeof value === "string"
        ? value
            .split(",")
            .map((item) => item.trim())
            .filter((item) => item !== "")
        : Array.isArray(value) && value.every((item) => typeof item === "string")
          ? value.map((item) => item.trim())
          : undefined;
    if (list === undefined) return this.problem(key, "must be a list of strings");
    if (list.length > 1000) return this.problem(key, "may hold at most 1000 entries");
    return [...new Set(list)];
  }

  integer(key: string, min: number, max: number): number | undefined {
    const value = this.object[key];
    return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
      ? value
      : this.problem(key, `must be a whole number from ${min} to ${max}`);
  }

  nested(key: string, known: readonly string[]): SectionReader | undefined {
    const value = this.object[key];
    if (!isObject(value)) return this.problem(key, "must be an object");
    return new SectionReader(`${this.path}.${key}`, value, this.problems, known);
  }
}

function readNetworks(reader: SectionReader): NetworksSection | undefined {
  const allow = reader.strings("allow_without_2fa_networks", true);
  const require = reader.strings("require_2fa_networks", true);
  const deny = reader.boolean("deny_other_networks");
  for (const [key, list] of [
    ["allow_without_2fa_networks", allow],
    ["require_2fa_networks", require],
  ] as const)
    for (const cidr of list ?? []) {
      const why = whyNotCidr(cidr);
      if (why) reader.problem(key, why);
    }
  if (allow === undefined || require === undefined || deny === undefined) return undefined;
  return {
    allow_without_2fa_networks: allow,
    require_2fa_networks: require,
    deny_other_networks: deny,
  };
}

function readMethods(reader: SectionReader): PolicySections["authentication_methods"] {
  const allowed = reader.strings("allowed_auth_list");
  const blocked = reader.strings("blocked_auth_list", true);
  if (allowed === undefined || blocked === undefined) return undefined;
  const offered = (name: string): name is Method => (METHODS as readonly string[]).includes(name);
  const known = (name: string) =>
    offered(name) || (UNOFFERED_METHODS as readonly string[]).includes(name);
  for (const name of allowed)
    if (!offered(name))
      reader.problem(
        "allowed_auth_list",
        known(name)
          ? `Gatehouse cannot offer "${name}"; the methods it verifies are ${METHODS.join(", ")}`
          : `"${name}" is not an authentication method; the methods are ${METHODS.join(", ")}`,
      );
  for (const name of blocked)
    if (!known(name))
      reader.problem("blocked_auth_list", `"${name}" is not an authentication method`);
  for (const name of allowed)
    if (blocked.includes(name))
      reader.problem("blocked_auth_list", `"${name}" cannot be both allowed and blocked`);
  return { allowed_auth_list: allowed.filter(offered), blocked_auth_list: blocked };
}

function readRemembered(reader: SectionReader): RememberedDevicesSection | undefined {
  const browser = reader.nested("browser_apps", ["enabled", "user_based"]);
  if (!browser) return undefined;
  const enabled = browser.boolean("enabled");
  const based = browser.nested("user_based", [
    "max_time_value",
    "max_time_units",
    "confirm_per_app",
  ]);
  const units = based?.oneOf("max_time_units", ["hours", "days"] as const);
  const value =
    units === undefined
      ? undefined
      : based?.integer(
          "max_time_value",
          1,
          units === "days" ? MAX_REMEMBER_HOURS / 24 : MAX_REMEMBER_HOURS,
        );
  const perApp = based?.boolean("confirm_per_app");
  if (enabled === undefined || units === undefined || value === undefined || perApp === undefined)
    return undefined;
  return {
    browser_apps: {
      enabled,
      user_based: { max_time_value: value, max_time_units: units, confirm_per_app: perApp },
    },
  };
}

/**
 * Duo's `sections` object, checked: every problem at once, each naming its field. A section set to
 * null is removed (Duo's `sections_to_delete`, inline), which `deleted` lists.
 */
export function parseSections(value: Json): {
  sections: PolicySections;
  deleted: SectionName[];
  problems: SectionProblem[];
} {
  const problems: SectionProblem[] = [];
  const sections: PolicySections = {};
  const deleted: SectionName[] = [];
  if (!isObject(value))
    return { sections, deleted, problems: [{ field: "sections", message: "must be an object" }] };
  for (const [name, body] of Object.entries(value)) {
    const path = `sections.${name}`;
    if (!(SECTION_NAMES as readonly string[]).includes(name)) {
      problems.push({
        field: path,
        message: `Gatehouse does not enforce the section "${name}"; the sections it enforces are ${SECTION_NAMES.join(", ")}`,
      });
      continue;
    }
    const section = name as SectionName;
    if (body === null) {
      deleted.push(section);
      continue;
    }
    if (!isObject(body)) {
      problems.push({ field: path, message: "must be an object" });
      continue;
    }
    switch (section) {
      case "new_user": {
        const behavior = new SectionReader(path, body, problems, ["new_user_behavior"]).oneOf(
          "new_user_behavior",
          ["enroll", "no-mfa", "deny"] as const,
        );
        if (behavior) sections.new_user = { new_user_behavior: behavior };
        break;
      }
      case "authentication_policy": {
        const behavior = new SectionReader(path, body, problems, ["user_auth_behavior"]).oneOf(
          "user_auth_behavior",
          ["enforce", "bypass", "deny"] as const,
        );
        if (behavior) sections.authentication_policy = { user_auth_behavior: behavior };
        break;
      }
      case "authorized_networks": {
        const networks = readNetworks(
          new SectionReader(path, body, problems, [
            "allow_without_2fa_networks",
            "require_2fa_networks",
            "deny_other_networks",
          ]),
        );
        if (networks) sections.authorized_networks = networks;
        break;
      }
      case "authentication_methods": {
        const methods = readMethods(
          new SectionReader(path, body, problems, ["allowed_auth_list", "blocked_auth_list"]),
        );
        if (methods) sections.authentication_methods = methods;
        break;
      }
      case "remembered_devices": {
        const remembered = readRemembered(
          new SectionReader(path, body, problems, ["browser_apps"]),
        );
        if (remembered) sections.remembered_devices = remembered;
        break;
      }
    }
  }
  return { sections, deleted, problems };
}
