import {
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  Radio,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
} from "@mantine/core";
import { type ReactNode, useState } from "react";
import { DEFAULT_GLOBAL_SECTIONS } from "../../../src/authn/policy-model.js";
import type { Method, SectionName, Sections } from "./policies-api.js";
import { METHOD_LABELS } from "./policy-words.js";

export const SECTION_TITLES: Record<SectionName, string> = {
  new_user: "Users with no device yet",
  authentication_policy: "Second factor",
  authorized_networks: "Networks",
  authentication_methods: "Ways to log in",
  remembered_devices: "Remembered browsers",
};

const METHODS = Object.entries(METHOD_LABELS).map(([value, label]) => ({
  value: value as Method,
  label,
}));

/** The server's sentence about a field, by its path ("sections.new_user.new_user_behavior"). */
export type FieldErrorOf = (field: string) => string | undefined;

interface SectionsEditorProps {
  isGlobal: boolean;
  draft: Sections;
  /** undefined: the section is not set here (a custom policy's section falls through). */
  onChange: <S extends SectionName>(name: S, value: Sections[S] | undefined) => void;
  readOnly: boolean;
  error: FieldErrorOf;
  /** Changes when the saved policy does, so the network boxes start again from it. */
  version: string;
}

/**
 * The five settings of a policy in words (R-POL-1, R-POL-2). The global policy sets each one; a
 * custom policy sets each here or leaves it to the next policy (on a group: the application's,
 * then the global one).
 */
export function SectionsEditor({
  isGlobal,
  draft,
  onChange,
  readOnly,
  error,
  version,
}: SectionsEditorProps) {
  const frame = <S extends SectionName>(
    name: S,
    body: (value: Required<Sections>[S]) => ReactNode,
  ) => {
    const value = draft[name] as Required<Sections>[S] | undefined;
    const sectionError = error(`sections.${name}`);
    return (
      <Fieldset key={name} legend={SECTION_TITLES[name]} disabled={readOnly}>
        <Stack gap="sm">
          {isGlobal ? null : (
            <SegmentedControl
              aria-label={`${SECTION_TITLES[name]}: where the setting comes from`}
              value={value === undefined ? "inherit" : "set"}
              disabled={readOnly}
              onChange={(choice) =>
                onChange(name, choice === "set" ? DEFAULT_GLOBAL_SECTIONS[name] : undefined)
              }
              data={[
                { value: "inherit", label: "Use the next policy's setting" },
                { value: "set", label: "Set here" },
              ]}
            />
          )}
          {sectionError ? (
            <Text size="sm" c="red">
              {sectionError}
            </Text>
          ) : null}
          {value === undefined ? (
            <Text size="sm" c="dimmed">
              Not set by this policy: the next policy&apos;s setting applies (for a group, the
              application&apos;s policy, then the global one).
            </Text>
          ) : (
            body(value)
          )}
        </Stack>
      </Fieldset>
    );
  };

  return (
    <Stack gap="md">
      {frame("new_user", (value) => (
        <Radio.Group
          label="A user who has no device yet"
          value={value.new_user_behavior}
          onChange={(choice) =>
            onChange("new_user", {
              new_user_behavior: choice as Required<Sections>["new_user"]["new_user_behavior"],
            })
          }
          error={error("sections.new_user.new_user_behavior")}
        >
          <Stack gap={6} mt={6}>
            <Radio
              value="enroll"
              label="Require enrollment: they set up a device before they log in"
            />
            <Radio
              value="no-mfa"
              label="Let them in with their password alone until they have one"
            />
            <Radio value="deny" label="Deny them access" />
          </Stack>
        </Radio.Group>
      ))}
      {frame("authentication_policy", (value) => (
        <Radio.Group
          label="Everyone else"
          value={value.user_auth_behavior}
          onChange={(choice) =>
            onChange("authentication_policy", {
              user_auth_behavior:
                choice as Required<Sections>["authentication_policy"]["user_auth_behavior"],
            })
          }
          error={error("sections.authentication_policy.user_auth_behavior")}
        >
          <Stack gap={6} mt={6}>
            <Radio value="enforce" label="Ask for a second factor" />
            <Radio value="bypass" label="Let them in without a second factor" />
            <Radio value="deny" label="Deny everyone access" />
          </Stack>
        </Radio.Group>
      ))}
      {frame("authorized_networks", (value) => (
        <Stack gap="sm">
          <NetworkList
            key={`allow ${version}`}
            label="Networks that skip the second factor"
            initial={value.allow_without_2fa_networks}
            error={error("sections.authorized_networks.allow_without_2fa_networks")}
            readOnly={readOnly}
            onChange={(list) =>
              onChange("authorized_networks", { ...value, allow_without_2fa_networks: list })
            }
          />
          <NetworkList
            key={`require ${version}`}
            label="Networks that are asked for a second factor"
            initial={value.require_2fa_networks}
            error={error("sections.authorized_networks.require_2fa_networks")}
            readOnly={readOnly}
            onChange={(list) =>
              onChange("authorized_networks", { ...value, require_2fa_networks: list })
            }
          />
          <Checkbox
            label="Deny access from any other network"
            checked={value.deny_other_networks}
            onChange={(event) =>
              onChange("authorized_networks", {
                ...value,
                deny_other_networks: event.currentTarget.checked,
              })
            }
            error={error("sections.authorized_networks.deny_other_networks")}
          />
        </Stack>
      ))}
      {frame("authentication_methods", (value) => (
        <Checkbox.Group
          label="Users may log in with"
          value={value.allowed_auth_list}
          onChange={(checked) =>
            onChange("authentication_methods", {
              allowed_auth_list: checked as Method[],
              // A method allowed again is no longer blocked: the server refuses it being both.
              blocked_auth_list: value.blocked_auth_list.filter(
                (name) => !(checked as string[]).includes(name),
              ),
            })
          }
          error={
            error("sections.authentication_methods.allowed_auth_list") ??
            error("sections.authentication_methods.blocked_auth_list")
          }
        >
          <Stack gap={6} mt={6}>
            {METHODS.map((method) => (
              <Checkbox key={method.value} value={method.value} label={method.label} />
            ))}
          </Stack>
        </Checkbox.Group>
      ))}
      {frame("remembered_devices", (value) => {
        const browser = value.browser_apps;
        const set = (next: Partial<typeof browser.user_based>, enabled = browser.enabled) =>
          onChange("remembered_devices", {
            browser_apps: { enabled, user_based: { ...browser.user_based, ...next } },
          });
        const prefix = "sections.remembered_devices.browser_apps";
        return (
          <Stack gap="sm">
            <Checkbox
              label="Offer “Remember me” after a second factor"
              description="A user who asks is not asked for a second factor on that browser for a while."
              checked={browser.enabled}
              onChange={(event) => set({}, event.currentTarget.checked)}
              error={error(`${prefix}.enabled`)}
            />
            <Group gap="sm" align="flex-start">
              <NumberInput
                label="Remembered for"
                min={1}
                max={browser.user_based.max_time_units === "days" ? 90 : 2160}
                allowDecimal={false}
                disabled={!browser.enabled}
                value={browser.user_based.max_time_value}
                onChange={(number) =>
                  set({ max_time_value: typeof number === "number" ? number : 0 })
                }
                error={error(`${prefix}.user_based.max_time_value`)}
                w={140}
              />
              <Select
                label="Unit"
                disabled={!browser.enabled}
                allowDeselect={false}
                data={[
                  { value: "hours", label: "Hours" },
                  { value: "days", label: "Days" },
                ]}
                value={browser.user_based.max_time_units}
                onChange={(units) => set({ max_time_units: units === "hours" ? "hours" : "days" })}
                error={error(`${prefix}.user_based.max_time_units`)}
                w={120}
              />
            </Group>
            <Radio.Group
              label="A remembered browser skips the second factor"
              value={browser.user_based.confirm_per_app ? "app" : "all"}
              onChange={(choice) => set({ confirm_per_app: choice === "app" })}
              error={error(`${prefix}.user_based.confirm_per_app`)}
            >
              <Stack gap={6} mt={6}>
                <Radio value="app" label="For this application only" disabled={!browser.enabled} />
                <Radio value="all" label="Across applications" disabled={!browser.enabled} />
              </Stack>
            </Radio.Group>
          </Stack>
        );
      })}
    </Stack>
  );
}

/**
 * One CIDR range or address per line. The text is kept as typed (an empty line while typing stays);
 * the policy gets its non-empty lines.
 */
function NetworkList({
  label,
  initial,
  error,
  readOnly,
  onChange,
}: {
  label: string;
  initial: string[];
  error: string | undefined;
  readOnly: boolean;
  onChange: (list: string[]) => void;
}) {
  const [text, setText] = useState(initial.join("\n"));
  return (
    <Textarea
      label={label}
      description="One range per line, IPv4 or IPv6, e.g. 192.0.2.0/24 or 2001:db8::/32."
      autosize
      minRows={2}
      maxRows={10}
      readOnly={readOnly}
      value={text}
      onChange={(event) => {
        const next = event.currentTarget.value;
        setText(next);
        onChange(
          next
            .split("\n")
            .map((line) => line.trim())
            .filter((line) => line !== ""),
        );
      }}
      error={error}
      styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
    />
  );
}
