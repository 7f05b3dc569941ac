import { Anchor, Button, Divider, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import {
  browserSupportsWebAuthn,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
} from "@simplewebauthn/browser";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Redirect, useLocation, useSearch } from "wouter";
import { api, setCsrfToken } from "../api/client.js";
import { useResetData, useSession } from "../api/session.js";
import { CenteredCard } from "../components/centered-card.js";
import { OneTimeCodeInput } from "../components/one-time-code-input.js";
import { RefusalBanner } from "../components/refusal.js";
import { ceremonyProblem } from "./security-key-api.js";

/** Only a path of this site: `next` must not send the admin elsewhere after sign-in. */
function safeNext(search: string): string {
  const next = new URLSearchParams(search).get("next");
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

/**
 * R-ADM-3: sign-in takes a password, then a code from the authenticator app (TOTP) or, for an admin
 * who has added one and where the browser offers WebAuthn, their security key.
 */
export default function SignInPage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const session = useSession();
  const resetData = useResetData();
  const [step, setStep] = useState<"password" | "code">("password");
  const [email, setEmail] = useState(() => new URLSearchParams(search).get("email") ?? "");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [keyOffered, setKeyOffered] = useState(false);

  // Options for the admin's security keys (null: they have none), with a challenge for one use.
  const keyOptions = useMutation({
    mutationFn: () =>
      api.post<{ options: PublicKeyCredentialRequestOptionsJSON | null }>(
        "/auth/second-factor/webauthn/options",
        {},
      ),
    // Without options the page offers the code alone; nothing to tell the admin.
    meta: { inline: true },
    onSuccess: (result) => setKeyOffered(result.options !== null),
  });
  const passwordStep = useMutation({
    mutationFn: () => api.post<{ next: "second_factor" }>("/auth/sign-in", { email, password }),
    meta: { inline: true },
    onSuccess: () => {
      setPassword("");
      setStep("code");
      if (browserSupportsWebAuthn()) keyOptions.mutate();
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

  const keyStep = useMutation({
    mutationFn: async (options: PublicKeyCredentialRequestOptionsJSON) => {
      let response: unknown;
      try {
        response = await startAuthentication({ optionsJSON: options });
      } catch (error) {
        throw new Error(ceremonyProblem(error));
      }
      return api.post<{ csrf_token: string; expires_at: string }>("/auth/second-factor/webauthn", {
        response,
      });
    },
    meta: { inline: true },
    onSuccess: async (result) => {
      setCsrfToken(result.csrf_token);
      await resetData();
      navigate(safeNext(search), { replace: true });
    },
    // The challenge is used once the server has seen an answer: ask for a fresh one.
    onError: () => keyOptions.mutate(),
  });

  if (session.data && !codeStep.isPending && !keyStep.isPending)
    return <Redirect to={safeNext(search)} replace />;

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
    keyStep.reset();
    keyOptions.reset();
    setKeyOffered(false);
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
            {keyOffered ? (
              <>
                <Divider label="or" labelPosition="center" />
                <RefusalBanner error={keyStep.error} title="Security key refused" />
                <Button
                  variant="default"
                  loading={keyStep.isPending || keyOptions.isPending}
                  onClick={() => {
                    const options = keyOptions.data?.options;
                    if (options) keyStep.mutate(options);
                  }}
                >
                  Use your security key
                </Button>
              </>
            ) : null}
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
