import { Group, Stack, Text, Title } from "@mantine/core";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { useState } from "react";
import { useLocation } from "wouter";
import { rowsOf } from "../api/pages.js";
import { ActionButton } from "../components/action-button.js";
import { type DataColumn, DataTable } from "../components/data-table.js";
import { LoadMore } from "../components/load-more.js";
import { RefusalBanner } from "../components/refusal.js";
import { AddUserDialog } from "./user-add.js";
import { type User, useUserPages } from "./user-api.js";
import { StatusBadge, USERNAME_COLUMN } from "./user-status.js";

const COLUMNS: readonly DataColumn<User>[] = [
  USERNAME_COLUMN,
  {
    id: "real_name",
    header: "Full name",
    cell: (user) => user.real_name,
    sortValue: (user) => user.real_name.toLowerCase(),
  },
  {
    id: "email",
    header: "Email",
    cell: (user) => user.email ?? <Text c="dimmed">Hidden</Text>,
    sortValue: (user) => user.email ?? "",
  },
  {
    id: "status",
    header: "Status",
    cell: (user) => <StatusBadge status={user.status} />,
    sortValue: (user) => user.status,
  },
  {
    id: "groups",
    header: "Groups",
    cell: (user) => user.groups.map((group) => group.name).join(", "),
  },
];

/**
 * Users: the account's users, searched and paged on the server. A restricted admin's list holds
 * only members of their units' groups, and a search finds no other (R-UNIT-8a).
 */
export default function UsersPage() {
  const [, navigate] = useLocation();
  const [query, setQuery] = useState("");
  const [search] = useDebouncedValue(query.trim(), 250);
  const [adding, { open, close }] = useDisclosure(false);
  const users = useUserPages(search);
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Users</Title>
        <ActionButton query={{ action: "users:create" }} onClick={open}>
          Add User
        </ActionButton>
      </Group>
      <RefusalBanner error={users.error} title="The users could not be listed" />
      <DataTable
        label="Users"
        columns={COLUMNS}
        rows={users.isError ? [] : rowsOf(users.data)}
        rowKey={(user) => user.id}
        search={{
          label: "Search users",
          placeholder: "Username, full name or email",
          value: query,
          onChange: setQuery,
        }}
        empty={search ? `No user matches "${search}".` : "No users yet."}
      />
      <LoadMore list={users} />
      <AddUserDialog
        opened={adding}
        onClose={close}
        onCreated={(user) => navigate(`/users/${user.id}`)}
      />
    </Stack>
  );
}
