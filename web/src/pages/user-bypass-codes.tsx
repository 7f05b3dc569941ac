import {
  Alert,
  Button,
  Checkbox,
  Code,
  Group,
  List,
  Modal,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import { fieldError } from "../api/field-errors.js";
import { ActionButton } from "../components/action-button.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { type BypassCode, bypassCodesKey, type CreatedBypassCode, type User } from "./user-api.js";

const MAX_COUNT = 10;
const MAX_MINUTES = 10 * 365 * 24 * 60;

function when(value: string | null, never: string): string {
  return value ? new Date(value).toLocaleString() : never;
}

/**
 * Create bypass codes: how many, for how long and how often each may be used. The server decides
 * R-ROLE-4 for Help Desk with the expiration asked for ("limit": at most so many minutes), so a
 * refusal names that rule. The codes are shown here once; the server keeps only their hashes.
 */
function CreateCodesDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const client = useQueryClient();
  const [count, setCount] = useState<number | string>(1);
  const [minutes, setMinutes] = useState<number | string>(60);
  const [reuse, setReuse] = useState<number | string>(1);
  const [preserve, setPreserve] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      api.post<{ items: CreatedBypassCode[] }>(`/users/${user.id}/bypass-codes`, {
        count: Number(count),
        valid_secs: Number(minutes) * 60,
        reuse_count: Number(reuse),
        preserve_existing: preserve,
      }),
    meta: { inline: true },
    onSuccess: () => void client.invalidateQueries({ queryKey: bypassCodesKey(user.id) }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  if (create.data)
    return (
      <Stack gap="sm">
        <Alert color="yellow" variant="light" title="Copy these codes now">
          They are shown only this once; Gatehouse keeps only a hash of each.
        </Alert>
        <List data-testid="new-bypass-codes" spacing={4}>
          {create.data.items.map((item) => (
            <List.Item key={item.id}>
              <Code fz="md">{item.code}</Code>
            </List.Item>
          ))}
        </List>
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    );
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <RefusalBanner error={create.error} />
        <NumberInput
          label="Number of codes"
          min={1}
          max={MAX_COUNT}
          value={count}
          onChange={setCount}
          error={fieldError(create.error, "count")}
        />
        <NumberInput
          label="Expires after (minutes)"
          description="0: the codes never expire."
          min={0}
          max={MAX_MINUTES}
          value={minutes}
          onChange={setMinutes}
          error={fieldError(create.error, "valid_secs")}
        />
        <NumberInput
          label="Uses per code"
          description="0: unlimited."
          min={0}
          max={1000}
          value={reuse}
          onChange={setReuse}
          error={fieldError(create.error, "reuse_count")}
        />
        <Checkbox
          label="Keep the user's existing codes"
          checked={preserve}
          onChange={(event) => setPreserve(event.currentTarget.checked)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create codes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A user's bypass codes, listed without the codes (R-ROLE-2 "Manage 2FA devices and bypass codes", R-ROLE-3). */
export function UserBypassCodes({ user }: { user: User }) {
  const client = useQueryClient();
  const [creating, { open, close }] = useDisclosure(false);
  const object = { kind: "user", id: user.id } as const;
  const codes = useQuery({
    queryKey: bypassCodesKey(user.id),
    queryFn: () =>
      api.get<{ items: BypassCode[]; total: number }>(`/users/${user.id}/bypass-codes?limit=100`),
  });
  const remove = useMutation({
    mutationFn: (codeId: string) => api.delete(`/users/${user.id}/bypass-codes/${codeId}`),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: bypassCodesKey(user.id) });
      notifyDone("Bypass code deleted");
    },
  });
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="user-bypass-codes">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4" id="user-bypass-codes">
            Bypass codes
          </Title>
          <ActionButton
            variant="default"
            query={{ action: "bypass_codes:delete", object }}
            onClick={open}
          >
            Create bypass codes
          </ActionButton>
        </Group>
        {codes.isError ? (
          <RefusalBanner error={codes.error} title="The bypass codes are not available" />
        ) : codes.data && codes.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            No bypass codes.
          </Text>
        ) : (
          <Table aria-labelledby="user-bypass-codes" data-testid="bypass-codes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Created</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Uses left</Table.Th>
                <Table.Th>Created by</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(codes.data?.items ?? []).map((code) => (
                <Table.Tr key={code.id}>
                  <Table.Td>{when(code.created_at, "")}</Table.Td>
                  <Table.Td>{when(code.expires_at, "Never")}</Table.Td>
                  <Table.Td>{code.remaining_uses ?? "Unlimited"}</Table.Td>
                  <Table.Td>{code.created_by}</Table.Td>
                  <Table.Td>
                    <Group justify="flex-end">
                      <ActionButton
                        size="xs"
                        variant="default"
                        color="red"
                        query={{ action: "bypass_codes:delete", object }}
                        loading={remove.isPending && remove.variables === code.id}
                        onClick={() => remove.mutate(code.id)}
                      >
                        Delete
                        <VisuallyHidden> code created {when(code.created_at, "")}</VisuallyHidden>
                      </ActionButton>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      <Modal opened={creating} onClose={close} title={`Bypass codes for ${user.username}`}>
        {creating ? <CreateCodesDialog user={user} onClose={close} /> : null}
      </Modal>
    </Paper>
  );
}
