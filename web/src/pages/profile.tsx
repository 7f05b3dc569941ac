import { Button, Code, Group, Image, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { api } from "../api/client.js";
import { fieldError, formError } from "../api/field-errors.js";
import { SESSION_KEY } from "../api/session.js";
import type { Enrollment, OwnProfile } from "../api/types.js";
import { PageSkeleton } from "../components/page-skeleton.js";
import { PasswordField } from "../components/password-field.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import { SecurityKeys } from "./profile-security-keys.js";

const PROFILE_KEY = ["profile"] as const;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-label={title} maw={560}>
      <Title order={3} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** Name and phone: the only fields of one's own record an admin changes here (R-ROLE-7). */
function DetailsForm({ profile }: { profile: OwnProfile }) {
  const client = useQueryClient();
  const [name, setName] = useState(profile.name);
  const [phone, setPhone] = useState(profile.phone ?? "");
  const change = {
    ...(name.trim() !== profile.name ? { name: name.trim() } : {}),
    ...(phone.trim() !== (profile.phone ?? "") ? { phone: phone.trim() || null } : {}),
  };
  const save = useMutation({
    mutationFn: () => api.patch<OwnProfile>("/profile", change),
    meta: { inline: true },
    onSuccess: async (updated) => {
      client.setQueryData(PROFILE_KEY, updated);
      await client.invalidateQueries({ queryKey: SESSION_KEY });
      notifyDone("Your profile was saved");
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <RefusalBanner error={formError(save.error, ["name", "phone"])} />
        <TextInput label="Email" value={profile.email} readOnly variant="filled" />
        <TextInput
          label="Name"
          required
          maxLength={200}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={fieldError(save.error, "name")}
        />
        <TextInput
          label="Phone"
          description="International format, such as +14155550100. Leave empty for none."
          type="tel"
          autoComplete="tel"
          maxLength={40}
          value={phone}
          onChange={(event) => setPhone(event.currentTarget.value)}
          error={fieldError(save.error, "phone")}
        />
        <Group justify="flex-end">
          <Button
            type="submit"
            loading={save.isPending}
            disabled={Object.keys(change).length === 0}
          >
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** "a, b and c": the password rules as one sentence. */
function listed(rules: string[]): string {
  return rules.length < 2
    ? (rules[0] ?? "")
    : `${rules.slice(0, -1).join(", ")} and ${rules.at(-1)}`;
}

/** R-ADM-3: a new password, checked against the account's policy; the server names the field at fault. */
function PasswordForm({ rules }: { rules: string[] }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const change = useMutation({
    mutationFn: () =>
      api.post<{ ok: true }>("/profile/password", {
        current_password: current,
        new_password: next,
      }),
    meta: { inline: true },
    onSuccess: () => {
      setCurrent("");
      setNext("");
      setConfirm("");
      notifyDone("Your password was changed. Your other sessions were signed out.");
    },
  });
  const mismatch = confirm.length > 0 && confirm !== next;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!mismatch) change.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <RefusalBanner error={formError(change.error, ["current_password", "new_password"])} />
        <PasswordField
          label="Current password"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
          error={fieldError(change.error, "current_password")}
        />
        <PasswordField
          label="New password"
          description={
            <Explained
              rules={["R-ADM-3"]}
            >{`This account's password rules: ${listed(rules)}.`}</Explained>
          }
          autoComplete="new-password"
          value={next}
          onChange={setNext}
          error={fieldError(change.error, "new_password")}
        />
        <PasswordField
          label="Confirm new password"
          autoComplete="new-password"
          value={confirm}
          onChange={setConfirm}
          error={mismatch ? "The two passwords differ" : undefined}
        />
        <Group justify="flex-end">
          <Button
            type="submit"
            loading={change.isPending}
            disabled={!current || !next || confirm !== next}
          >
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Re-enrolment: the current password, then a code from the new authenticator replaces the old one. */
function AuthenticatorForm() {
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [enrollment, setEnrollment] = useState<Enrollment>();
  const start = useMutation({
    mutationFn: () =>
      api.post<Enrollment>("/profile/second-factor", { current_password: password }),
    meta: { inline: true },
    onSuccess: (started) => {
      setPassword("");
      setEnrollment(started);
    },
  });
  const confirm = useMutation({
    mutationFn: () => api.post<{ ok: true }>("/profile/second-factor/confirm", { code }),
    meta: { inline: true },
    onSuccess: () => {
      setEnrollment(undefined);
      setCode("");
      notifyDone("Your new authenticator is in use. Your other sessions were signed out.");
    },
    onError: () => setCode(""),
  });
  if (!enrollment)
    return (
      <form
        onSubmit={(event) => {
          event.preventDefault();
          start.mutate();
        }}
        noValidate
      >
        <Stack gap="sm">
          <Text size="sm">
            To move to a new phone or app, confirm your password, then scan the new code. The old
            authenticator keeps working until the new one is confirmed.
          </Text>
          <RefusalBanner error={formError(start.error, ["current_password"])} />
          <PasswordField
            label="Your current password, to confirm it is you"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            error={fieldError(start.error, "current_password")}
          />
          <Group justify="flex-end">
            <Button type="submit" variant="default" loading={start.isPending} disabled={!password}>
              Replace authenticator
            </Button>
          </Group>
        </Stack>
      </form>
    );
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        confirm.mutate();
      }}
      noValidate
    >
      <Stack gap="sm">
        <RefusalBanner error={formError(confirm.error, ["code"])} />
        <Text size="sm">
          Scan this QR code with your new authenticator app, or type the secret key into it. Then
          enter the code it shows.
        </Text>
        <Image
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrollment.qr_svg)}`}
          alt="QR code to add Gatehouse to your new authenticator app"
          w={200}
          h={200}
          mx="auto"
        />
        <Text size="sm" fw={600} id="new-totp-secret-label">
          Secret key
        </Text>
        <Code aria-labelledby="new-totp-secret-label" style={{ wordBreak: "break-all" }}>
          {enrollment.secret}
        </Code>
        <TextInput
          label="Authentication code from the new app"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          required
          value={code}
          onChange={(event) => setCode(event.currentTarget.value.replace(/\D/g, ""))}
          error={fieldError(confirm.error, "code")}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setEnrollment(undefined)}>
            Cancel
          </Button>
          <Button type="submit" loading={confirm.isPending} disabled={code.length !== 6}>
            Confirm new authenticator
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Edit Profile (R-ROLE-7): every admin, whatever their role, edits their own name, phone, password,
 * authenticator app and security keys (R-ADM-3).
 */
export default function ProfilePage() {
  const profile = useQuery({
    queryKey: PROFILE_KEY,
    queryFn: () => api.get<OwnProfile>("/profile"),
  });
  if (profile.isPending) return <PageSkeleton />;
  if (profile.isError)
    return <RefusalBanner error={profile.error} title="Your profile could not be loaded" />;
  const me = profile.data;
  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>Edit Profile</Title>
        <Text size="sm" c="dimmed">
          {me.role}
          {me.subaccount_role ? ` · subaccount role ${me.subaccount_role}` : ""}. Your role, tags
          and units are changed by an Owner, not here.
        </Text>
      </div>
      <Section title="Your details">
        <DetailsForm key={`${me.name}|${me.phone ?? ""}`} profile={me} />
      </Section>
      <Section title="Password">
        <PasswordForm rules={me.password_rules} />
      </Section>
      <Section title="Authenticator app">
        <AuthenticatorForm />
      </Section>
      <Section title="Security keys">
        <SecurityKeys />
      </Section>
    </Stack>
  );
}
