import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  Radio,
  Stack,
  Switch,
  Text,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import { fieldError, formError } from "../api/field-errors.js";
import { useSignedIn } from "../api/session.js";
import { PageSkeleton } from "../components/page-skeleton.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import {
  type AccountSettings,
  changeOf,
  SETTING_NAMES,
  type SettingName,
  type SettingsDraft,
  settingsKey,
} from "./settings-api.js";
import { BrandingSettingsSection } from "./settings-branding.js";
import { NumberSetting, SettingsSection } from "./settings-fields.js";
import { SmsGatewaySettings } from "./settings-sms-gateway.js";
import { UserLoginSettings } from "./settings-users.js";

/** Used when an Owner turns inactivity expiry on again and the account had none. */
const DEFAULT_INACTIVITY_DAYS = 90;

const HELPDESK_BYPASS: { value: AccountSettings["helpdesk_bypass"]; label: string }[] = [
  { value: "allow", label: "Allow: Help Desk creates bypass codes like other roles" },
  { value: "limit", label: "Limit: only codes that expire within the time below" },
  { value: "deny", label: "Deny: Help Desk cannot create bypass codes" },
];

const CHARACTER_CLASSES: { name: SettingName; label: string }[] = [
  { name: "password_requires_upper_alpha", label: "An uppercase letter" },
  { name: "password_requires_lower_alpha", label: "A lowercase letter" },
  { name: "password_requires_numeric", label: "A digit" },
  { name: "password_requires_special", label: "A character that is neither a letter nor a digit" },
];

/** The form over one loaded copy of the settings; Save sends only what changed. */
function SettingsForm({ saved, accountId }: { saved: AccountSettings; accountId: string }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<SettingsDraft>(saved);
  const set = (values: Partial<SettingsDraft>) =>
    setDraft((current) => ({ ...current, ...values }));
  const { change, empty } = changeOf(saved, draft);
  const changed = Object.keys(change).length > 0;
  const save = useMutation({
    mutationFn: () => api.patch<AccountSettings>("/settings", change),
    meta: { inline: true },
    onSuccess: async (updated) => {
      client.setQueryData(settingsKey(accountId), updated);
      notifyDone("Settings saved");
      // R-ROLE-4 decisions and the password rules Edit Profile shows may have changed.
      await client.invalidateQueries({ queryKey: ["explain"] });
      await client.invalidateQueries({ queryKey: ["profile"] });
    },
  });
  const error = (name: SettingName) => fieldError(save.error, name);
  const number = (name: SettingName, label: string, description: string) => (
    <NumberSetting
      label={label}
      description={description}
      value={draft[name] as number | ""}
      onChange={(value) => set({ [name]: value })}
      error={error(name)}
    />
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (changed && empty.length === 0) save.mutate();
  };
  const never = draft.admin_inactivity_days === null;
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg">
        <RefusalBanner error={formError(save.error, SETTING_NAMES)} />
        <SettingsSection
          title="Help Desk and User Manager"
          description={
            <Text size="sm" c="dimmed">
              <Explained rules={["R-ROLE-4"]}>
                Narrow what these two roles may do in this account.
              </Explained>
            </Text>
          }
        >
          <Radio.Group
            label="Help Desk bypass codes"
            value={draft.helpdesk_bypass}
            onChange={(value) =>
              set({ helpdesk_bypass: value as AccountSettings["helpdesk_bypass"] })
            }
            error={error("helpdesk_bypass")}
          >
            <Stack gap={6} mt={6}>
              {HELPDESK_BYPASS.map((option) => (
                <Radio key={option.value} value={option.value} label={option.label} />
              ))}
            </Stack>
          </Radio.Group>
          {draft.helpdesk_bypass === "limit"
            ? number(
                "helpdesk_bypass_expiration",
                "Help Desk bypass code expiration (minutes)",
                "Help Desk's codes must expire within this many minutes (1 to 525600).",
              )
            : null}
          <Switch
            label="Help Desk may send enrollment emails"
            checked={draft.helpdesk_can_send_enroll_email}
            onChange={(event) =>
              set({ helpdesk_can_send_enroll_email: event.currentTarget.checked })
            }
            error={error("helpdesk_can_send_enroll_email")}
          />
          <Switch
            label="User Managers may put users in bypass status"
            checked={draft.user_managers_can_put_users_in_bypass}
            onChange={(event) =>
              set({ user_managers_can_put_users_in_bypass: event.currentTarget.checked })
            }
            error={error("user_managers_can_put_users_in_bypass")}
          />
        </SettingsSection>

        <SettingsSection
          title="Administrator passwords"
          description={
            <Text size="sm" c="dimmed">
              <Explained rules={["R-ADM-3"]}>
                Checked whenever an administrator sets a password.
              </Explained>
            </Text>
          }
        >
          {number("minimum_password_length", "Minimum length", "8 to 128 characters.")}
          <Fieldset legend="Required characters" variant="unstyled">
            <Stack gap={6}>
              {CHARACTER_CLASSES.map((item) => (
                <Checkbox
                  key={item.name}
                  label={item.label}
                  checked={draft[item.name] === true}
                  onChange={(event) => set({ [item.name]: event.currentTarget.checked })}
                  error={error(item.name)}
                />
              ))}
            </Stack>
          </Fieldset>
        </SettingsSection>

        <SettingsSection
          title="Administrator sign-in"
          description={
            <Text size="sm" c="dimmed">
              <Explained rules={["R-ADM-4", "R-ADM-1", "R-ADM-2"]}>
                How long an administrator is locked out after failed sign-ins, when an unused
                administrator expires, how long sessions last, and how long activation links work.
              </Explained>
            </Text>
          }
        >
          {number("admin_lockout_threshold", "Failed sign-ins before lockout", "1 to 100.")}
          {number("admin_lockout_minutes", "Lockout duration (minutes)", "1 to 10080 minutes.")}
          <Checkbox
            label="Inactive administrators never expire"
            checked={never}
            onChange={(event) =>
              set({
                admin_inactivity_days: event.currentTarget.checked
                  ? null
                  : (saved.admin_inactivity_days ?? DEFAULT_INACTIVITY_DAYS),
              })
            }
          />
          <NumberSetting
            label="Expire administrators after inactivity (days)"
            description={
              never
                ? "Off: inactive administrators never expire."
                : "Days without signing in before an administrator is Expired (1 to 3650)."
            }
            value={draft.admin_inactivity_days}
            onChange={(value) => set({ admin_inactivity_days: value })}
            error={error("admin_inactivity_days")}
            disabled={never}
          />
          {number(
            "admin_session_idle_minutes",
            "Session idle timeout (minutes)",
            "A session unused this long ends (1 to 1440 minutes).",
          )}
          {number(
            "admin_session_max_hours",
            "Session maximum length (hours)",
            "A session ends this long after sign-in, however used (1 to 720 hours).",
          )}
          {number(
            "admin_activation_valid_days",
            "Activation link validity (days)",
            "How long a new administrator's activation link works (1 to 31 days).",
          )}
        </SettingsSection>

        <UserLoginSettings saved={saved} draft={draft} set={set} error={error} />

        <Group maw={640} justify="flex-end">
          <Button
            variant="default"
            disabled={!changed && empty.length === 0}
            onClick={() => setDraft(saved)}
          >
            Discard changes
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!changed || empty.length > 0}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Settings (DESIGN.md "The panel"): the global settings of the account the session acts in, for
 * the roles R-ROLE-2 lets modify them. Anyone else reaching the page sees the server's refusal.
 */
export default function SettingsPage() {
  const session = useSignedIn();
  const settings = useQuery({
    queryKey: settingsKey(session.account_id),
    queryFn: () => api.get<AccountSettings>("/settings"),
  });
  if (settings.isPending) return <PageSkeleton />;
  if (settings.isError)
    return <RefusalBanner error={settings.error} title="Settings are not available" />;
  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>Settings</Title>
        <Text size="sm" c="dimmed">
          These settings apply to this account only; each subaccount has its own.
        </Text>
      </div>
      <SettingsForm
        key={JSON.stringify(settings.data)}
        saved={settings.data}
        accountId={session.account_id}
      />
      <SmsGatewaySettings accountId={session.account_id} />
      <BrandingSettingsSection accountId={session.account_id} />
    </Stack>
  );
}
