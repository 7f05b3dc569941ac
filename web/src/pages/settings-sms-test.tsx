import { Alert, Button, Group, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import { fieldError, formError } from "../api/field-errors.js";
import { RefusalBanner } from "../components/refusal.js";
import type { TestMessageResult } from "./settings-sms-api.js";

/** "Send a test message": one SMS through the saved gateway; its answer is shown as it came. */
export function TestMessage() {
  const [to, setTo] = useState("");
  const send = useMutation({
    mutationFn: (number: string) =>
      api.post<TestMessageResult>("/settings/sms-gateway/test", { to: number }),
    meta: { inline: true },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate(to);
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Test message">
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Mobile number for a test message"
          description="In international form, e.g. +15551230000."
          value={to}
          onChange={(event) => setTo(event.currentTarget.value)}
          error={fieldError(send.error, "to")}
          style={{ flex: 1 }}
        />
        <Button type="submit" variant="default" loading={send.isPending} disabled={!to.trim()}>
          Send a test message
        </Button>
      </Group>
      <RefusalBanner error={formError(send.error, ["to"])} />
      {send.data ? (
        <Alert
          mt="sm"
          color={send.data.sent ? "teal" : "red"}
          variant="light"
          title={send.data.sent ? "The gateway took the message" : "The message was not sent"}
          role="status"
          data-testid="test-message-result"
        >
          {send.data.sent
            ? `Check that it arrives at ${send.variables}.`
            : `${send.data.why ?? "The gateway refused it"}. Check the address, the method and the secret header.`}
        </Alert>
      ) : null}
    </form>
  );
}
