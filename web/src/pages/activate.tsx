import {
  Anchor,
  Button,
  Code,
  CopyButton,
  Group,
  Image,
  List,
  PasswordInput,
  Skeleton,
  Stack,
  Stepper,
  Text,
} from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useParams } from "wouter";
import { api } from "../api/client.js";
import type { ActivationInfo, Enrollment } from "../api/types.js";
import { CenteredCard } from "../components/centered-card.js";
import { OneTimeCodeInput } from "../components/one-time-code-input.js";
import { RefusalBanner } from "../components/refusal.js";

function PasswordStep({
  token,
  info,
  onDone,
}: {
  token: string;
  info: ActivationInfo;
  onDone: (e: Enrollment) => void;
}) {
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const setPasswordStep = useMutation({
    mutationFn: () => api.post<Enrollment>("/auth/activation/password", { token, password }),
    meta: { inline: true },
    onSuccess: onDone,
  });
  const mismatch = confirm.length > 0 && confirm !== password;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!mismatch) setPasswordStep.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <RefusalBanner error={setPasswordStep.error} title="Password refused" />
        <div>
          <Text size="sm" fw={600} id="password-rules">
            Your password must:
          </Text>
          <List size="sm">
            {info.password_rules.map((rule) => (
              <List.Item key={rule}>{rule}</List.Item>
            ))}
          </List>
        </div>
        <PasswordInput
          label="New password"
          autoComplete="new-password"
          aria-describedby="password-rules"
          required
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          autoFocus
        />
        <PasswordInput
          label="Confirm password"
          autoComplete="new-password"
          required
          value={confirm}
          error={mismatch ? "The two passwords differ" : undefined}
          onChange={(event) => setConfirm(event.currentTarget.value)}
        />
        <Button
          type="submit"
          loading={setPasswordStep.isPending}
          disabled={!password || confirm !== password}
        >
          Continue
        </Button>
      </Stack>
    </form>
  );
}

function AuthenticatorStep({
  token,
  enrollment,
  onDone,
}: {
  token: string;
  enrollment: Enrollment;
  onDone: () => void;
}) {
  const [code, setCode] = useState("");
  const complete = useMutation({
    mutationFn: () => api.post<{ email: string }>("/auth/activation/complete", { token, code }),
    meta: { inline: true },
    onSuccess: onDone,
    onError: () => setCode(""),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    complete.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <RefusalBanner error={complete.error} title="Code refused" />
        <Text size="sm">
          Scan this QR code with your authenticator app (Google Authenticator, 1Password, Authy, …),
          or type the secret key into it. Then enter the code it shows.
        </Text>
        <Image
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrollment.qr_svg)}`}
          alt="QR code to add Gatehouse to your authenticator app"
          w={200}
          h={200}
          mx="auto"
        />
        <div>
          <Text size="sm" fw={600} id="totp-secret-label">
            Secret key
          </Text>
          <Group gap="xs" wrap="nowrap">
            <Code
              data-testid="totp-secret"
              aria-labelledby="totp-secret-label"
              style={{ wordBreak: "break-all" }}
            >
              {enrollment.secret}
            </Code>
            <CopyButton value={enrollment.secret}>
              {({ copied, copy }) => (
                <Button size="compact-sm" variant="light" onClick={copy}>
                  {copied ? "Copied" : "Copy"}
                </Button>
              )}
            </CopyButton>
          </Group>
        </div>
        <OneTimeCodeInput value={code} onChange={setCode} />
        <Button type="submit" loading={complete.isPending} disabled={code.length !== 6}>
          Activate
        </Button>
      </Stack>
    </form>
  );
}

/** R-ADM-2: the activation link sets a password and enrolls an authenticator app (TOTP). */
export default function ActivatePage() {
  const { token = "" } = useParams<{ token: string }>();
  const [enrollment, setEnrollment] = useState<Enrollment>();
  const [done, setDone] = useState(false);
  const info = useQuery({
    queryKey: ["activation", token],
    queryFn: () => api.post<ActivationInfo>("/auth/activation", { token }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const active = done ? 2 : enrollment ? 1 : 0;
  return (
    <CenteredCard
      title="Activate your account"
      subtitle={info.data ? `${info.data.name} · ${info.data.email}` : undefined}
    >
      {info.isPending ? (
        <Stack gap="sm" aria-busy="true" aria-label="Loading">
          <Skeleton height={20} width="60%" />
          <Skeleton height={36} />
          <Skeleton height={36} />
        </Stack>
      ) : info.isError ? (
        <RefusalBanner error={info.error} title="This link cannot be used" />
      ) : (
        <Stepper active={active} size="sm" allowNextStepsSelect={false}>
          <Stepper.Step label="Password" allowStepSelect={false}>
            <PasswordStep token={token} info={info.data} onDone={setEnrollment} />
          </Stepper.Step>
          <Stepper.Step label="Authenticator" allowStepSelect={false}>
            {enrollment ? (
              <AuthenticatorStep
                token={token}
                enrollment={enrollment}
                onDone={() => setDone(true)}
              />
            ) : null}
          </Stepper.Step>
          <Stepper.Completed>
            <Stack gap="sm" role="status">
              <Text>Your account is active. Sign in with your password and a new code.</Text>
              <Anchor
                component={Link}
                href={`/sign-in?email=${encodeURIComponent(info.data.email)}`}
              >
                Go to sign-in
              </Anchor>
            </Stack>
          </Stepper.Completed>
        </Stepper>
      )}
    </CenteredCard>
  );
}
