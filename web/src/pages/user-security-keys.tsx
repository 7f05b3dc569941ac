import { Group, Modal, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { useDecision } from "../api/decisions.js";
import type { Page } from "../api/pages.js";
import { ActionButton } from "../components/action-button.js";
import { DialogActions } from "../components/dialog-actions.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { WhyLink } from "../components/why-link.js";
import { keyName, type UserSecurityKey, userSecurityKeysKey, when } from "./security-key-api.js";
import type { User } from "./user-api.js";

/** Remove one key, confirmed in a dialog; a refusal stays in the dialog so the admin reads why. */
function RemoveKey({ user, credential }: { user: User; credential: UserSecurityKey }) {
  const client = useQueryClient();
  const [opened, { open, close }] = useDisclosure(false);
  const name = keyName(credential);
  const removal = useMutation({
    mutationFn: () => api.delete(`/webauthn-credentials/${credential.id}`),
    meta: { inline: true },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: userSecurityKeysKey(user.id) });
      close();
      notifyDone(`${name} removed from ${user.username}`);
    },
  });
  return (
    <>
      <ActionButton
        size="xs"
        variant="default"
        color="red"
        query={{ action: "tokens:delete", object: { kind: "user", id: user.id } }}
        onClick={open}
      >
        {`Remove ${name}`}
      </ActionButton>
      <Modal opened={opened} onClose={close} title={`Remove ${name} from ${user.username}?`}>
        <Stack gap="sm">
          <RefusalBanner error={removal.error} />
          <Text size="sm">
            {user.username} will no longer sign in with this{" "}
            {credential.passkey ? "passkey" : "security key"}. They can register it again at their
            next login.
          </Text>
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

/**
 * A user's WebAuthn security keys and passkeys (R-AUTH-2), which the user registers at the hosted
 * prompt: listed for whoever sees devices (not Application Manager, R-ROLE-3) and removable by
 * those who manage 2FA devices, Help Desk included (R-ROLE-2); a restricted admin reaches only
 * their units' users (R-UNIT-8f).
 */
export function UserSecurityKeys({ user }: { user: User }) {
  const object = { kind: "user", id: user.id } as const;
  const viewQuery = { action: "phones:view", object } as const;
  const mayView = useDecision(viewQuery);
  const allowed = mayView.data?.allow === true;
  const keys = useQuery({
    queryKey: userSecurityKeysKey(user.id),
    queryFn: () =>
      api.get<Page<UserSecurityKey>>(`/users/${user.id}/webauthn-credentials?limit=100`),
    enabled: allowed,
  });
  const items = [...(keys.data?.items ?? [])].sort((a, b) =>
    a.created_at.localeCompare(b.created_at),
  );
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="user-security-keys">
      <Stack gap="sm">
        <Title order={3} size="h4" id="user-security-keys">
          Security keys and passkeys
        </Title>
        {mayView.isPending ? null : !allowed ? (
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              Your role does not show security keys.
            </Text>
            <WhyLink query={viewQuery} />
          </Group>
        ) : keys.isError ? (
          <RefusalBanner error={keys.error} title="The security keys are not available" />
        ) : keys.isSuccess && items.length === 0 ? (
          <Text size="sm" c="dimmed">
            No security keys or passkeys. The user adds them when they log in.
          </Text>
        ) : (
          <Table aria-labelledby="user-security-keys" data-testid="user-security-keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Label</Table.Th>
                <Table.Th>Added</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th style={{ textAlign: "right" }}>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((credential) => (
                <Table.Tr key={credential.id}>
                  <Table.Td>{credential.credential_name}</Table.Td>
                  <Table.Td>{credential.label}</Table.Td>
                  <Table.Td>{when(credential.created_at, "")}</Table.Td>
                  <Table.Td>{when(credential.last_used_at, "Never")}</Table.Td>
                  <Table.Td>
                    <Group justify="flex-end">
                      <RemoveKey user={user} credential={credential} />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
