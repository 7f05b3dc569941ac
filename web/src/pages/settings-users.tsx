import { Anchor, Checkbox, Radio, Stack, Text } from "@mantine/core";
import { Link } from "wouter";
import { Explained } from "../components/rule-link.js";
import type { AccountSettings, SettingName, SettingsDraft } from "./settings-api.js";
import { NumberSetting, SettingsSection } from "./settings-fields.js";

/** Offered when an Owner turns a timed lockout back on and the account had none. */
const DEFAULT_LOCKOUT_MINUTES = 30;
/** Offered when an Owner turns "Remember me" on. */
const DEFAULT_REMEMBER_DAYS = 7;

const NEW_USER_POLICIES: { value: AccountSettings["new_user_policy"]; label: string }[] = [
  {
    value: "enroll",
    label: "Require enrollment: they must set up a device before they can log in",
  },
  {
    value: "allow",
    label: "Allow without a second factor: they log in with their password alone",
  },
  { value: "deny", label: "Deny: they cannot log in until they have a device" },
];

/**
 * The users' side of the settings (R-AUTH-3, R-POL-2): how many wrong passcodes lock a user out and
 * for how long, and what happens to a user who has no device yet. Part of the Settings form.
 */
export function UserLoginSettings({
  saved,
  draft,
  set,
  error,
}: {
  saved: AccountSettings;
  draft: SettingsDraft;
  set: (values: Partial<SettingsDraft>) => void;
  error: (name: SettingName) => string | undefined;
}) {
  const untilUnlocked = draft.lockout_expire_duration === null;
  const remembers = draft.remembered_browser_days !== null;
  return (
    <SettingsSection
      title="Users logging in"
      description={
        <Text size="sm" c="dimmed">
          <Explained rules={["R-AUTH-3", "R-POL-2"]}>
            How the people who log in to your applications are treated: when wrong passcodes lock
            them out, and what happens to someone who has no device yet.
          </Explained>
        </Text>
      }
    >
      <NumberSetting
        label="Wrong passcodes before a user is locked out"
        description="In a row; a right passcode starts the count again (1 to 100)."
        value={draft.lockout_threshold}
        onChange={(value) => set({ lockout_threshold: value })}
        error={error("lockout_threshold")}
      />
      <Checkbox
        label="Locked-out users stay locked out until an administrator unlocks them"
        checked={untilUnlocked}
        onChange={(event) =>
          set({
            lockout_expire_duration: event.currentTarget.checked
              ? null
              : (saved.lockout_expire_duration ?? DEFAULT_LOCKOUT_MINUTES),
          })
        }
      />
      <NumberSetting
        label="How long a user stays locked out (minutes)"
        description={
          untilUnlocked
            ? "Off: an administrator (Help Desk too) unlocks the user on their page."
            : "After this long the user may try again (1 to 525600 minutes)."
        }
        value={draft.lockout_expire_duration}
        onChange={(value) => set({ lockout_expire_duration: value })}
        error={error("lockout_expire_duration")}
        disabled={untilUnlocked}
      />
      <Text size="sm" c="dimmed">
        The new-user setting and “Remember me” below are the global policy&apos;s settings; custom
        policies on applications and groups can change them, on the{" "}
        <Anchor component={Link} href="/policies" underline="always">
          Policies
        </Anchor>{" "}
        page.
      </Text>
      <Radio.Group
        label="A user who has no device yet"
        value={draft.new_user_policy}
        onChange={(value) => set({ new_user_policy: value as AccountSettings["new_user_policy"] })}
        error={error("new_user_policy")}
      >
        <Stack gap={6} mt={6}>
          {NEW_USER_POLICIES.map((option) => (
            <Radio key={option.value} value={option.value} label={option.label} />
          ))}
        </Stack>
      </Radio.Group>
      <Checkbox
        label="Offer “Remember me” on the login page"
        description="After a second step, a user may skip it on that browser for the same application for a while. Admins can make a user's browsers forget it on the user's page."
        checked={remembers}
        onChange={(event) =>
          set({
            remembered_browser_days: event.currentTarget.checked
              ? (saved.remembered_browser_days ?? DEFAULT_REMEMBER_DAYS)
              : null,
          })
        }
      />
      <NumberSetting
        label="How long a browser is remembered (days)"
        description={remembers ? "1 to 90 days." : "Off: every login asks for a second step."}
        value={draft.remembered_browser_days}
        onChange={(value) => set({ remembered_browser_days: value })}
        error={error("remembered_browser_days")}
        disabled={!remembers}
      />
    </SettingsSection>
  );
}
