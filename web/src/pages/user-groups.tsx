import {
  Anchor,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "wouter";
import { api } from "../api/client.js";
import { rowsOf } from "../api/pages.js";
import { ActionButton } from "../components/action-button.js";
import { notifyDone } from "../components/refusal.js";
import { GROUPS_KEY, useGroupPages } from "./group-api.js";
import { USERS_KEY, type User, userKey } from "./user-api.js";

/**
 * A user's groups (those the admin may see, R-UNIT-8b), and membership changes: groups:manage_members,
 * asked with the user as object; the server decides again with the group (R-UNIT-8b).
 */
export function UserGroups({ user }: { user: User }) {
  const client = useQueryClient();
  const [groupId, setGroupId] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const groups = useGroupPages("", 500);
  const query = { action: "groups:manage_members", object: { kind: "user", id: user.id } } as const;
  const refresh = () => {
    void client.invalidateQueries({ queryKey: userKey(user.id) });
    void client.invalidateQueries({ queryKey: USERS_KEY });
    void client.invalidateQueries({ queryKey: GROUPS_KEY });
  };
  const add = useMutation({
    mutationFn: (id: string) => api.post(`/groups/${id}/members/${user.id}`),
    onSuccess: () => {
      refresh();
      setGroupId(null);
      notifyDone(`${user.username} added to the group`);
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/groups/${id}/members/${user.id}`),
    onSuccess: () => {
      refresh();
      notifyDone(`${user.username} removed from the group`);
    },
  });
  const member = new Set(user.groups.map((group) => group.id));
  const choices = (rowsOf(groups.data) ?? [])
    .filter((group) => !member.has(group.id))
    .map((group) => ({ value: group.id, label: group.name }));
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="user-groups">
      <Stack gap="sm">
        <Title order={3} size="h4" id="user-groups">
          Groups
        </Title>
        {user.groups.length === 0 ? (
          <Text size="sm" c="dimmed">
            Not in any group you can see.
          </Text>
        ) : (
          <Table aria-labelledby="user-groups">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Group</Table.Th>
                <Table.Th style={{ textAlign: "right" }}>Membership</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {user.groups.map((group) => (
                <Table.Tr key={group.id}>
                  <Table.Td>
                    <Anchor component={Link} href={`/groups/${group.id}`}>
                      {group.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Group justify="flex-end">
                      <ActionButton
                        size="xs"
                        variant="default"
                        query={query}
                        loading={remove.isPending && remove.variables === group.id}
                        onClick={() => remove.mutate(group.id)}
                      >
                        Remove<VisuallyHidden> from {group.name}</VisuallyHidden>
                      </ActionButton>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group align="flex-end" gap="sm">
          <Select
            label="Add to group"
            placeholder="Choose a group"
            data={choices}
            value={groupId}
            onChange={(id) => {
              setGroupId(id);
              setMissing(false);
            }}
            error={missing ? "Choose a group first" : undefined}
            searchable
            nothingFoundMessage="No other group"
            comboboxProps={{ withinPortal: true }}
            style={{ flex: 1, maxWidth: 360 }}
          />
          <ActionButton
            variant="default"
            query={query}
            loading={add.isPending}
            onClick={() => (groupId ? add.mutate(groupId) : setMissing(true))}
          >
            Add
          </ActionButton>
        </Group>
      </Stack>
    </Paper>
  );
}
