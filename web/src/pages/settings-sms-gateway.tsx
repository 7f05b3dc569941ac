import {
  Badge,
  Button,
  Group,
  PasswordInput,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import { fieldError, formError } from "../api/field-errors.js";
import { ConfirmDelete } from "../components/confirm-delete.js";
import { PageSkeleton } from "../components/page-skeleton.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import { SettingsSection } from "./settings-fields.js";
import {
  CONTENT_TYPE_CHOICES,
  GATEWAY_FIELDS,
  type GatewayContentType,
  type GatewayMethod,
  METHOD_CHOICES,
  type SmsGateway,
  type SmsGatewayInput,
  smsGatewayKey,
} from "./settings-sms-api.js";
import { TestMessage } from "./settings-sms-test.js";

const MONOSPACE = { input: { fontFamily: "var(--mantine-font-family-monospace)" } };

/** The form over one loaded copy of the gateway: Save sends it whole, the secret only if typed. */
function GatewayForm({ saved, accountId }: { saved: SmsGateway; accountId: string }) {
  const client = useQueryClient();
  const [url, setUrl] = useState(saved.url ?? "");
  const [method, setMethod] = useState<GatewayMethod>(saved.method);
  const [contentType, setContentType] = useState<GatewayContentType>(saved.content_type);
  const [body, setBody] = useState(saved.body);
  const [header, setHeader] = useState(saved.secret_header ?? "");
  const [secret, setSecret] = useState("");
  const save = useMutation({
    mutationFn: () => {
      const input: SmsGatewayInput = {
        url,
        method,
        content_type: contentType,
        body,
        secret_header: header.trim() === "" ? null : header,
        ...(secret === "" ? {} : { secret_value: secret }),
      };
      return api.put<SmsGateway>("/settings/sms-gateway", input);
    },
    meta: { inline: true },
    onSuccess: (updated) => {
      client.setQueryData(smsGatewayKey(accountId), updated);
      notifyDone("SMS gateway saved");
    },
  });
  const error = (field: (typeof GATEWAY_FIELDS)[number]) => fieldError(save.error, field);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const hasSecret = saved.secret_value === "set" && header.trim() === saved.secret_header;
  return (
    <form onSubmit={submit} noValidate aria-label="SMS gateway">
      <Stack gap="sm">
        <RefusalBanner error={formError(save.error, GATEWAY_FIELDS)} />
        <TextInput
          label="Gateway address"
          description="Where each message is sent, e.g. https://sms.example.com/send. Keep passwords and keys out of it: the address is shown to administrators and kept in the log; use the secret header."
          placeholder="https://"
          required
          value={url}
          onChange={(event) => setUrl(event.currentTarget.value)}
          error={error("url")}
          styles={MONOSPACE}
        />
        <Group grow align="flex-start">
          <Select
            label="Method"
            data={METHOD_CHOICES}
            value={method}
            onChange={(value) => setMethod((value as GatewayMethod | null) ?? "POST")}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            error={error("method")}
          />
          <Select
            label="Content type"
            data={CONTENT_TYPE_CHOICES}
            value={contentType}
            onChange={(value) =>
              setContentType((value as GatewayContentType | null) ?? "application/json")
            }
            allowDeselect={false}
            disabled={method === "GET"}
            comboboxProps={{ withinPortal: true }}
            error={error("content_type")}
          />
        </Group>
        <Textarea
          label="Body template"
          description={
            method === "GET"
              ? "A GET request sends no body: put {{to}} and {{message}} in the address."
              : "Gatehouse puts the number where {{to}} is and the text where {{message}} is, escaped for the content type."
          }
          autosize
          minRows={2}
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
          disabled={method === "GET"}
          error={error("body")}
          styles={MONOSPACE}
        />
        <Group grow align="flex-start">
          <TextInput
            label="Secret header name"
            description="Optional: the header that carries the gateway's key, e.g. X-Api-Key."
            value={header}
            onChange={(event) => setHeader(event.currentTarget.value)}
            error={error("secret_header")}
          />
          <PasswordInput
            label="Secret header value"
            description={
              hasSecret
                ? "Set. Kept sealed and never shown; type a new value to replace it."
                : "Kept sealed and never shown again."
            }
            placeholder={hasSecret ? "set" : undefined}
            value={secret}
            onChange={(event) => setSecret(event.currentTarget.value)}
            disabled={header.trim() === ""}
            error={error("secret_value")}
            autoComplete="new-password"
          />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={url.trim() === ""}>
            Save gateway
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The account's SMS gateway (R-AUTH-2): where SMS passcodes and activation links are sent. Saved
 * apart from the other settings: its secret is write-only, shown only as "set".
 */
export function SmsGatewaySettings({ accountId }: { accountId: string }) {
  const client = useQueryClient();
  const gateway = useQuery({
    queryKey: smsGatewayKey(accountId),
    queryFn: () => api.get<SmsGateway>("/settings/sms-gateway"),
  });
  return (
    <SettingsSection
      title="SMS gateway"
      description={
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            <Explained rules={["R-AUTH-2"]}>
              Gatehouse texts passcodes and activation links through your SMS provider: one web
              request per message.
            </Explained>
          </Text>
          {gateway.data ? (
            <Badge color={gateway.data.configured ? "teal" : "gray"} variant="light">
              {gateway.data.configured ? "Set" : "Not set"}
            </Badge>
          ) : null}
        </Group>
      }
    >
      {gateway.isPending ? (
        <PageSkeleton />
      ) : gateway.isError ? (
        <RefusalBanner error={gateway.error} title="The SMS gateway is not available" />
      ) : (
        <>
          <GatewayForm
            key={JSON.stringify(gateway.data)}
            saved={gateway.data}
            accountId={accountId}
          />
          {gateway.data.configured ? (
            <>
              <TestMessage />
              <Group justify="flex-end">
                <ConfirmDelete
                  query={{ action: "settings:modify" }}
                  label="Remove gateway"
                  title="Remove the SMS gateway?"
                  explanation="Gatehouse stops sending SMS passcodes and activation links, and forgets the secret header."
                  confirmLabel="Remove"
                  remove={() => api.delete<SmsGateway>("/settings/sms-gateway")}
                  onDeleted={() =>
                    void client.invalidateQueries({ queryKey: smsGatewayKey(accountId) })
                  }
                  doneMessage="SMS gateway removed"
                  backTo="/settings"
                />
              </Group>
            </>
          ) : null}
        </>
      )}
    </SettingsSection>
  );
}
