import { Alert, Button, Group, Modal, NumberInput, Stack, Text, TextInput } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import { useDecision } from "../api/decisions.js";
import { fieldError, formError } from "../api/field-errors.js";
import { DialogActions } from "../components/dialog-actions.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import { phonesKey } from "./device-api.js";
import { useMailDelivery } from "./mail-delivery.js";
import type { User } from "./user-api.js";

/** POST /api/users/:id/enrollment-email: where it went and until when the link works (not the link). */
interface SentEnrollmentEmail {
  user_id: string;
  username: string;
  sent_to: string;
  expires_at: string;
}

const FIELDS = ["email", "valid_days"] as const;
const DEFAULT_DAYS = 30;

/**
 * "Send enrollment email" on a user's page: the user gets a link that sets up an authenticator app
 * (R-AUTH-5). Offered only to admins the engine lets send one to this user (R-ROLE-3, for Help Desk
 * the account's setting R-ROLE-4, R-UNIT-8a), and only where the server can send email.
 */
export function SendEnrollmentEmail({ user }: { user: User }) {
  const decision = useDecision({
    action: "users:send_enrollment",
    object: { kind: "user", id: user.id },
  });
  const mail = useMailDelivery();
  const client = useQueryClient();
  const [opened, { open, close }] = useDisclosure(false);
  const [email, setEmail] = useState(user.email ?? "");
  const [days, setDays] = useState<number | string>(DEFAULT_DAYS);
  const send = useMutation({
    mutationFn: () =>
      api.post<SentEnrollmentEmail>(`/users/${user.id}/enrollment-email`, {
        email: email.trim(),
        ...(typeof days === "number" ? { valid_days: days } : {}),
      }),
    meta: { inline: true },
    onSuccess: (sent) => {
      notifyDone(`Enrollment email sent to ${sent.sent_to}`);
      // The phone waiting for the app now shows among the user's phones.
      void client.invalidateQueries({ queryKey: phonesKey(user.id) });
    },
  });
  if (decision.data?.allow !== true || mail === undefined) return null;
  const finish = () => {
    close();
    send.reset();
    setEmail(user.email ?? "");
    setDays(DEFAULT_DAYS);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };
  const sent = send.data;
  return (
    <>
      <Group gap="xs">
        <Button variant="default" onClick={open} disabled={!mail}>
          Send enrollment email
        </Button>
        {mail ? null : (
          <Text size="sm" c="dimmed">
            This server has no mail server set up, so it cannot send email.
          </Text>
        )}
      </Group>
      <Modal opened={opened} onClose={finish} title={`Send ${user.username} an enrollment email`}>
        {sent ? (
          <Stack gap="sm">
            <Alert color="teal" variant="light" title="Email sent" data-testid="enrollment-sent">
              {sent.sent_to} has a link to set up an authenticator app for {sent.username}. It works
              once, until {new Date(sent.expires_at).toLocaleString()}.
            </Alert>
            <Group justify="flex-end">
              <Button onClick={finish}>Done</Button>
            </Group>
          </Stack>
        ) : (
          <form onSubmit={submit}>
            <Stack gap="sm">
              <RefusalBanner error={formError(send.error, FIELDS)} />
              <Text size="sm">
                <Explained rules={["R-AUTH-5"]}>
                  The email holds a link that sets up an authenticator app for {user.username}. It
                  works once; a link sent before and not used yet stops working.
                </Explained>
              </Text>
              <TextInput
                label="Email address"
                type="email"
                required
                value={email}
                onChange={(event) => setEmail(event.currentTarget.value)}
                error={fieldError(send.error, "email")}
                maxLength={254}
              />
              <NumberInput
                label="Link valid for (days)"
                min={1}
                max={DEFAULT_DAYS}
                allowDecimal={false}
                value={days}
                onChange={setDays}
                error={fieldError(send.error, "valid_days")}
              />
              <DialogActions onCancel={finish} label="Send email" loading={send.isPending} />
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}
