import { Anchor, Button, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Redirect, useLocation, useSearch } from "wouter";
import { api, setCsrfToken } from "../api/client.js";
import { useResetData, useSession } from "../api/session.js";
import { CenteredCard } from "../components/centered-card.js";
import { OneTimeCodeInput } from "../components/one-time-code-input.js";
import { RefusalBanner } from "../components/refusal.js";

/** Only a path of this site: `next` must not send the admin elsewhere after sign-in. */
function safeNext(search: string): string {
  const next = new URLSearchParams(search).get("next");
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

/** R-ADM-3: sign-in takes a password, then a code from the authenticator app (TOTP). */
export default function SignInPage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const session = useSession();
  const resetData = useResetData();
  const [step, setStep] = useState<"password" | "code">("password");
  const [email, setEmail] = useState(() => new URLSearchParams(search).get("email") ?? "");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");

  const passwordStep = useMutation({
    mutationFn: () => api.post<{ next: "second_factor" }>("/auth/sign-in", { email, password }),
    meta: { inline: true },
    onSuccess: () => {
      setPassword("");
      setStep("code");
    },
  });
  const codeStep = useMutation({
    mutationFn: () =>
      api.post<{ csrf_token: string; expires_at: string }>("/auth/second-factor", {
        code: code.trim(),
      }),
    meta: { inline: true },
    onSuccess: async (result) => {
      setCsrfToken(result.csrf_token);
      await resetData();
      navigate(safeNext(search), { replace: true });
    },
    onError: () => setCode(""),
  });

  if (session.data && !codeStep.isPending) return <Redirect to={safeNext(search)} replace />;

  const submitPassword = (event: FormEvent) => {
    event.preventDefault();
    passwordStep.mutate();
  };
  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    codeStep.mutate();
  };
  const startOver = () => {
    codeStep.reset();
    passwordStep.reset();
    setCode("");
    setStep("password");
  };

  return (
    <CenteredCard
      title="Sign in"
      subtitle={step === "password" ? "Enter your email and password." : `Signing in as ${email}.`}
    >
      {step === "password" ? (
        <form onSubmit={submitPassword} noValidate>
          <Stack gap="sm">
            <RefusalBanner error={passwordStep.error} title="Sign-in refused" />
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              data-autofocus
              autoFocus
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            <Button type="submit" loading={passwordStep.isPending} disabled={!email || !password}>
              Continue
            </Button>
          </Stack>
        </form>
      ) : (
        <form onSubmit={submitCode} noValidate>
          <Stack gap="sm">
            <RefusalBanner error={codeStep.error} title="Code refused" />
            <OneTimeCodeInput value={code} onChange={setCode} autoFocus />
            <Button type="submit" loading={codeStep.isPending} disabled={code.length !== 6}>
              Sign in
            </Button>
            <Text size="sm" ta="center">
              <Anchor component="button" type="button" onClick={startOver}>
                Use another account
              </Anchor>
            </Text>
          </Stack>
        </form>
      )}
    </CenteredCard>
  );
}
