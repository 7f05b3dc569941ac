import { Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import {
  browserSupportsWebAuthn,
  type PublicKeyCredentialCreationOptionsJSON,
  startRegistration,
} from "@simplewebauthn/browser";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import { fieldError, formError } from "../api/field-errors.js";
import { DialogActions } from "../components/dialog-actions.js";
import { PasswordField } from "../components/password-field.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import {
  ceremonyProblem,
  keyName,
  OWN_SECURITY_KEYS_KEY,
  type SecurityKey,
  when,
} from "./security-key-api.js";

const MAX_LABEL = 100;

/**
 * Add a key: the current password (as replacing the authenticator app asks), then the browser's
 * own dialog to touch the key. The key is then offered at every sign-in instead of a code.
 */
function AddKeyForm() {
  const client = useQueryClient();
  const [label, setLabel] = useState("");
  const [password, setPassword] = useState("");
  const add = useMutation({
    mutationFn: async () => {
      const { options } = await api.post<{ options: PublicKeyCredentialCreationOptionsJSON }>(
        "/profile/security-keys/options",
        { current_password: password },
      );
      setPassword("");
      let response: unknown;
      try {
        response = await startRegistration({ optionsJSON: options });
      } catch (error) {
        throw new Error(ceremonyProblem(error));
      }
      return api.post<SecurityKey>("/profile/security-keys", { response, label: label.trim() });
    },
    meta: { inline: true },
    onSuccess: (added) => {
      setLabel("");
      void client.invalidateQueries({ queryKey: OWN_SECURITY_KEYS_KEY });
      notifyDone(`${keyName(added)} added. You can use it instead of a code when you sign in.`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <RefusalBanner
          error={formError(add.error, ["current_password", "label"])}
          title="Security key not added"
        />
        <TextInput
          label="Label for the new key"
          description="Optional, such as “Blue YubiKey”: it helps you tell your keys apart."
          maxLength={MAX_LABEL}
          value={label}
          onChange={(event) => setLabel(event.currentTarget.value)}
          error={fieldError(add.error, "label")}
        />
        <PasswordField
          label="Your password, to add a key"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={fieldError(add.error, "current_password")}
        />
        <Group justify="flex-end">
          <Button type="submit" variant="default" loading={add.isPending} disabled={!password}>
            Add security key
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RenameKey({ securityKey }: { securityKey: SecurityKey }) {
  const client = useQueryClient();
  const [opened, { open, close }] = useDisclosure(false);
  const [label, setLabel] = useState(securityKey.label);
  const rename = useMutation({
    mutationFn: () =>
      api.patch<SecurityKey>(`/profile/security-keys/${securityKey.id}`, { label: label.trim() }),
    meta: { inline: true },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: OWN_SECURITY_KEYS_KEY });
      close();
      notifyDone("The key was renamed");
    },
  });
  return (
    <>
      <Button
        size="xs"
        variant="default"
        onClick={open}
        aria-label={`Rename ${keyName(securityKey)}`}
      >
        Rename
      </Button>
      <Modal opened={opened} onClose={close} title={`Rename ${keyName(securityKey)}`}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            rename.mutate();
          }}
          noValidate
        >
          <Stack gap="sm">
            <RefusalBanner error={formError(rename.error, ["label"])} />
            <TextInput
              label="Label"
              description="Leave empty to show what the key is."
              maxLength={MAX_LABEL}
              value={label}
              onChange={(event) => setLabel(event.currentTarget.value)}
              error={fieldError(rename.error, "label")}
              data-autofocus
            />
            <DialogActions onCancel={close} label="Save" loading={rename.isPending} />
          </Stack>
        </form>
      </Modal>
    </>
  );
}

/** R-ADM-3: the last key goes only while an authenticator app remains; the server says so here. */
function RemoveKey({ securityKey }: { securityKey: SecurityKey }) {
  const client = useQueryClient();
  const [opened, { open, close }] = useDisclosure(false);
  const name = keyName(securityKey);
  const removal = useMutation({
    mutationFn: () => api.delete(`/profile/security-keys/${securityKey.id}`),
    meta: { inline: true },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: OWN_SECURITY_KEYS_KEY });
      close();
      notifyDone(`${name} removed`);
    },
  });
  return (
    <>
      <Button size="xs" variant="light" color="red" onClick={open} aria-label={`Remove ${name}`}>
        Remove
      </Button>
      <Modal opened={opened} onClose={close} title={`Remove ${name}?`}>
        <Stack gap="sm">
          <RefusalBanner error={removal.error} title="The key was not removed" />
          <Text size="sm">You will no longer be able to sign in with this key.</Text>
          <DialogActions
            onCancel={close}
            label="Remove"
            loading={removal.isPending}
            onConfirm={() => removal.mutate()}
          />
        </Stack>
      </Modal>
    </>
  );
}

/** Edit Profile's security keys (R-ADM-3, R-ROLE-7): the signed-in admin's own, and only theirs. */
export function SecurityKeys() {
  const keys = useQuery({
    queryKey: OWN_SECURITY_KEYS_KEY,
    queryFn: () => api.get<{ items: SecurityKey[] }>("/profile/security-keys"),
  });
  const supported = browserSupportsWebAuthn();
  const items = keys.data?.items ?? [];
  return (
    <Stack gap="md">
      <Text size="sm">
        <Explained rules={["R-ADM-3"]}>
          A security key (such as a YubiKey) or a passkey can stand in for the authenticator app's
          code when you sign in.
        </Explained>
      </Text>
      {keys.isError ? (
        <RefusalBanner error={keys.error} title="Your security keys could not be loaded" />
      ) : keys.isSuccess && items.length === 0 ? (
        <Text size="sm" c="dimmed">
          You have no security keys.
        </Text>
      ) : (
        <Stack
          component="ul"
          gap="xs"
          aria-label="Your security keys"
          data-testid="own-security-keys"
          style={{ listStyle: "none", margin: 0, padding: 0 }}
        >
          {items.map((key) => (
            <Group key={key.id} component="li" justify="space-between" wrap="nowrap" gap="sm">
              <div>
                <Text size="sm" fw={600}>
                  {key.label ? `${key.label} (${key.credential_name})` : key.credential_name}
                </Text>
                <Text size="xs" c="dimmed">
                  {`Added ${when(key.created_at, "")} · last used ${when(key.last_used_at, "never")}`}
                </Text>
              </div>
              <Group gap="xs" wrap="nowrap">
                <RenameKey securityKey={key} />
                <RemoveKey securityKey={key} />
              </Group>
            </Group>
          ))}
        </Stack>
      )}
      {supported ? (
        <AddKeyForm />
      ) : (
        <Text size="sm" c="dimmed">
          This browser cannot use security keys; open Edit Profile in one that can to add one.
        </Text>
      )}
    </Stack>
  );
}
