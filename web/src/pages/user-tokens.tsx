import { Group, Modal, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { useDecision } from "../api/decisions.js";
import type { Page } from "../api/pages.js";
import { ActionButton } from "../components/action-button.js";
import { RefusalBanner } from "../components/refusal.js";
import { WhyLink } from "../components/why-link.js";
import {
  ALL_TOKENS_KEY,
  isHotp,
  TOKEN_TYPE_LABELS,
  type Token,
  tokenLabel,
  tokensKey,
} from "./device-api.js";
import type { User } from "./user-api.js";
import { RemoveDevice } from "./user-device-remove.js";
import { AddTokenDialog, AttachTokenDialog, ResyncTokenDialog } from "./user-token-dialogs.js";

function TokenRow({ user, token }: { user: User; token: Token }) {
  const client = useQueryClient();
  const [resyncing, { open, close }] = useDisclosure(false);
  const object = { kind: "user", id: user.id } as const;
  const label = `${token.type.toUpperCase()} ${token.serial}`;
  return (
    <Table.Tr>
      <Table.Td>{token.serial}</Table.Td>
      <Table.Td>{TOKEN_TYPE_LABELS[token.type]}</Table.Td>
      <Table.Td>{token.totp_step ? `${token.totp_step} seconds` : ""}</Table.Td>
      <Table.Td>
        <Group justify="flex-end" gap="xs">
          {isHotp(token.type) ? (
            <ActionButton
              size="xs"
              variant="default"
              query={{ action: "tokens:update", object }}
              onClick={open}
            >
              {`Resync ${label}`}
            </ActionButton>
          ) : null}
          <RemoveDevice
            user={user}
            noun="hardware token"
            name={label}
            linkPath={`/users/${user.id}/tokens/${token.id}`}
            devicePath={`/tokens/${token.id}`}
            otherUsers={token.users.filter((other) => other.id !== user.id)}
            query={{ action: "tokens:delete", object }}
            onRemoved={() => {
              void client.invalidateQueries({ queryKey: tokensKey(user.id) });
              void client.invalidateQueries({ queryKey: ALL_TOKENS_KEY });
            }}
          />
        </Group>
        <Modal opened={resyncing} onClose={close} title={`Resync ${tokenLabel(token)}`}>
          {resyncing ? <ResyncTokenDialog user={user} token={token} onClose={close} /> : null}
        </Modal>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * A user's hardware tokens (R-ROLE-2 "Manage 2FA devices"): Help Desk adds, attaches, resyncs and
 * removes them (R-ROLE-3); hidden with the phones from whoever may not see devices (Application
 * Manager, R-ROLE-3); a restricted admin reaches only their units' users (R-UNIT-8f).
 */
export function UserTokens({ user }: { user: User }) {
  const [adding, addDialog] = useDisclosure(false);
  const [attaching, attachDialog] = useDisclosure(false);
  const object = { kind: "user", id: user.id } as const;
  const viewQuery = { action: "phones:view", object } as const;
  const mayView = useDecision(viewQuery);
  const allowed = mayView.data?.allow === true;
  const tokens = useQuery({
    queryKey: tokensKey(user.id),
    queryFn: () => api.get<Page<Token>>(`/users/${user.id}/tokens?limit=100`),
    enabled: allowed,
  });
  const everyToken = useQuery({
    queryKey: ALL_TOKENS_KEY,
    queryFn: () => api.get<Page<Token>>("/tokens?limit=500"),
    enabled: attaching,
  });
  const free = (everyToken.data?.items ?? []).filter((token) => token.users.length === 0);
  const items = tokens.data?.items ?? [];
  const createQuery = { action: "tokens:create", object } as const;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="user-tokens">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4" id="user-tokens">
            Hardware tokens
          </Title>
          {allowed ? (
            <Group gap="sm">
              <ActionButton variant="default" query={createQuery} onClick={attachDialog.open}>
                Attach a token
              </ActionButton>
              <ActionButton variant="default" query={createQuery} onClick={addDialog.open}>
                Add hardware token
              </ActionButton>
            </Group>
          ) : null}
        </Group>
        {mayView.isPending ? null : !allowed ? (
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              Your role does not show hardware tokens.
            </Text>
            <WhyLink query={viewQuery} />
          </Group>
        ) : tokens.isError ? (
          <RefusalBanner error={tokens.error} title="The hardware tokens are not available" />
        ) : tokens.isSuccess && items.length === 0 ? (
          <Text size="sm" c="dimmed">
            No hardware tokens.
          </Text>
        ) : (
          <Table aria-labelledby="user-tokens" data-testid="user-tokens">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Serial</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Time step</Table.Th>
                <Table.Th style={{ textAlign: "right" }}>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((token) => (
                <TokenRow key={token.id} user={user} token={token} />
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      <Modal
        opened={adding}
        onClose={addDialog.close}
        title={`Add a hardware token for ${user.username}`}
      >
        {adding ? <AddTokenDialog user={user} onClose={addDialog.close} /> : null}
      </Modal>
      <Modal
        opened={attaching}
        onClose={attachDialog.close}
        title={`Attach a token to ${user.username}`}
      >
        {attaching ? (
          everyToken.isError ? (
            <RefusalBanner error={everyToken.error} title="The tokens are not available" />
          ) : (
            <AttachTokenDialog user={user} free={free} onClose={attachDialog.close} />
          )
        ) : null}
      </Modal>
    </Paper>
  );
}
