import { describe, expect, it } from "vitest";
import { parseSections, whyNotCidr } from "../../src/authn/policy-sections.js";

/**
 * R-POL-2: "A setting Gatehouse cannot enforce is not offered": Duo's `sections` are read as Duo
 * writes them, and whatever Gatehouse would have to accept and ignore is refused by name.
 */
describe("a policy's sections, as Duo's Admin API sends them", () => {
  it("reads every section Gatehouse enforces; lists as arrays or as Duo's comma-separated text", () => {
    const parsed = parseSections({
      new_user: { new_user_behavior: "no-mfa" },
      authentication_policy: { user_auth_behavior: "bypass" },
      authorized_networks: {
        allow_without_2fa_networks: "10.0.0.0/8, 2001:db8::/32",
        require_2fa_networks: ["192.0.2.1"],
        deny_other_networks: true,
      },
      authentication_methods: {
        allowed_auth_list: ["duo-passcode", "webauthn-roaming"],
        blocked_auth_list: "sms, duo-push",
      },
      remembered_devices: {
        browser_apps: {
          enabled: true,
          user_based: { max_time_value: 8, max_time_units: "hours", confirm_per_app: false },
        },
      },
    });
    expect(parsed.problems).toEqual([]);
    expect(parsed.sections.authorized_networks).toEqual({
      allow_without_2fa_networks: ["10.0.0.0/8", "2001:db8::/32"],
      require_2fa_networks: ["192.0.2.1"],
      deny_other_networks: true,
    });
    expect(parsed.sections.authentication_methods?.blocked_auth_list).toEqual(["sms", "duo-push"]);
  });

  it("null removes a section (it then falls through to the next policy)", () => {
    expect(parseSections({ new_user: null })).toEqual({
      sections: {},
      deleted: ["new_user"],
      problems: [],
    });
  });

  it("refuses, by name, each section, key, value and method it would have to ignore", () => {
    const { problems } = parseSections({
      browsers: { blocked_browsers_list: ["ie"] },
      new_user: { new_user_behavior: "allow", extra: 1 },
      authentication_policy: { user_auth_behavior: "sometimes" },
      authorized_networks: {
        allow_without_2fa_networks: ["10.0.0.0/33", "10.0.0.300", "::/129"],
        deny_other_networks: "yes",
      },
      authentication_methods: {
        allowed_auth_list: ["duo-push", "carrier-pigeon", "sms"],
        blocked_auth_list: ["sms", "semaphore"],
      },
      remembered_devices: {
        browser_apps: {
          enabled: true,
          user_based: { max_time_value: 91, max_time_units: "days", confirm_per_app: true },
        },
      },
    });
    expect(problems.map((problem) => problem.field)).toEqual([
      "sections.browsers",
      "sections.new_user.extra",
      "sections.new_user.new_user_behavior",
      "sections.authentication_policy.user_auth_behavior",
      "sections.authorized_networks.deny_other_networks",
      "sections.authorized_networks.allow_without_2fa_networks",
      "sections.authorized_networks.allow_without_2fa_networks",
      "sections.authorized_networks.allow_without_2fa_networks",
      "sections.authentication_methods.allowed_auth_list",
      "sections.authentication_methods.allowed_auth_list",
      "sections.authentication_methods.blocked_auth_list",
      "sections.authentication_methods.blocked_auth_list",
      "sections.remembered_devices.browser_apps.user_based.max_time_value",
    ]);
    const message = (field: string) => problems.find((problem) => problem.field === field)?.message;
    expect(message("sections.browsers")).toContain("does not enforce");
    expect(message("sections.authentication_methods.allowed_auth_list")).toContain(
      'cannot offer "duo-push"',
    );
  });

  it("a blocked list may name Duo's methods Gatehouse has not (they never happen here)", () => {
    const { problems } = parseSections({
      authentication_methods: {
        allowed_auth_list: ["duo-passcode"],
        blocked_auth_list: ["duo-push", "phonecall", "desktop"],
      },
    });
    expect(problems).toEqual([]);
  });

  it("CIDRs: IPv4 and IPv6, with or without a prefix", () => {
    for (const good of ["10.0.0.0/8", "0.0.0.0/0", "192.0.2.1", "2001:db8::/32", "::1", "::/0"])
      expect(whyNotCidr(good)).toBeUndefined();
    for (const bad of [
      "10.0.0.0/33",
      "10.0.0/8",
      "2001:db8::/129",
      "host.example",
      "10.0.0.0/8/8",
      "10.0.0.0/",
    ])
      expect(whyNotCidr(bad)).toBeDefined();
  });

  it("anything but an object is refused as a whole", () => {
    expect(parseSections([]).problems).toEqual([
      { field: "sections", message: "must be an object" },
    ]);
    expect(parseSections({ new_user: "deny" }).problems).toEqual([
      { field: "sections.new_user", message: "must be an object" },
    ]);
  });
});
