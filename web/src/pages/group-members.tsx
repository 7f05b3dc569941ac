import { Group, Paper, Select, Stack, Text, Title, VisuallyHidden } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "../api/client.js";
import { rowsOf } from "../api/pages.js";
import { ActionButton } from "../components/action-button.js";
import { type DataColumn, DataTable } from "../components/data-table.js";
import { notifyDone } from "../components/refusal.js";
import { GROUPS_KEY, type Group as GroupRow } from "./group-api.js";
import { USERS_KEY, type User, useUserPages } from "./user-api.js";
import { StatusBadge, USERNAME_COLUMN } from "./user-status.js";

/** The group's members (GET /api/users?group_id=), every page of them. */
function useMembers(group: GroupRow): User[] | undefined {
  const users = useUserPages("", 500, group.id);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = users;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  return hasNextPage ? undefined : rowsOf(users.data);
}

/** Members, added and removed (groups:manage_members; only in-scope users move, R-UNIT-8b). */
export function GroupMembers({ group }: { group: GroupRow }) {
  const client = useQueryClient();
  const members = useMembers(group);
  const [userId, setUserId] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [typed, setTyped] = useState("");
  const [search] = useDebouncedValue(typed.trim(), 250);
  const candidates = useUserPages(search, 20);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: USERS_KEY });
    void client.invalidateQueries({ queryKey: GROUPS_KEY });
  };
  const add = useMutation({
    mutationFn: (id: string) => api.post(`/groups/${group.id}/members/${id}`),
    onSuccess: () => {
      refresh();
      setUserId(null);
      setTyped("");
      notifyDone(`Member added to ${group.name}`);
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/groups/${group.id}/members/${id}`),
    onSuccess: () => {
      refresh();
      notifyDone(`Member removed from ${group.name}`);
    },
  });
  const columns: readonly DataColumn<User>[] = [
    USERNAME_COLUMN,
    { id: "real_name", header: "Full name", cell: (user) => user.real_name },
    { id: "status", header: "Status", cell: (user) => <StatusBadge status={user.status} /> },
    {
      id: "remove",
      header: "Membership",
      align: "right",
      cell: (user) => (
        <Group justify="flex-end">
          <ActionButton
            size="xs"
            variant="default"
            query={{ action: "groups:manage_members", object: { kind: "user", id: user.id } }}
            loading={remove.isPending && remove.variables === user.id}
            onClick={() => remove.mutate(user.id)}
          >
            Remove<VisuallyHidden> {user.username}</VisuallyHidden>
          </ActionButton>
        </Group>
      ),
    },
  ];
  const choices = (rowsOf(candidates.data) ?? [])
    .filter((user) => !user.groups.some((ref) => ref.id === group.id))
    .map((user) => ({
      value: user.id,
      label: user.real_name ? `${user.username} (${user.real_name})` : user.username,
    }));
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="group-members">
      <Stack gap="sm">
        <Title order={3} size="h4" id="group-members">
          Members
        </Title>
        <DataTable
          label="Members"
          columns={columns}
          rows={members}
          rowKey={(user) => user.id}
          search={{
            label: "Filter members",
            matches: (user, query) =>
              `${user.username} ${user.real_name}`.toLowerCase().includes(query.toLowerCase()),
          }}
          empty={<Text size="sm">No members yet.</Text>}
          maxHeight={400}
        />
        <Group align="flex-end" gap="sm">
          <Select
            label="Add member"
            placeholder="Search users"
            data={choices}
            value={userId}
            onChange={(id) => {
              setUserId(id);
              setMissing(false);
            }}
            searchable
            searchValue={typed}
            onSearchChange={setTyped}
            filter={({ options }) => options}
            nothingFoundMessage={candidates.isFetching ? "Searching…" : "No other user"}
            error={missing ? "Choose a user first" : undefined}
            comboboxProps={{ withinPortal: true }}
            style={{ flex: 1, maxWidth: 360 }}
          />
          <ActionButton
            variant="default"
            query={{ action: "groups:manage_members" }}
            loading={add.isPending}
            onClick={() => (userId ? add.mutate(userId) : setMissing(true))}
          >
            Add
          </ActionButton>
        </Group>
      </Stack>
    </Paper>
  );
}
