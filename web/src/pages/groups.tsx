import { Anchor, Badge, Group, Stack, Title } from "@mantine/core";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { useState } from "react";
import { Link, useLocation } from "wouter";
import { rowsOf } from "../api/pages.js";
import { ActionButton } from "../components/action-button.js";
import { type DataColumn, DataTable } from "../components/data-table.js";
import { LoadMore } from "../components/load-more.js";
import { RefusalBanner } from "../components/refusal.js";
import { GROUP_STATUS_LABELS, type Group as GroupRow, useGroupPages } from "./group-api.js";
import { GroupFormDialog } from "./group-form.js";

const COLUMNS: readonly DataColumn<GroupRow>[] = [
  {
    id: "name",
    header: "Name",
    cell: (group) => (
      <Anchor component={Link} href={`/groups/${group.id}`}>
        {group.name}
      </Anchor>
    ),
    sortValue: (group) => group.name.toLowerCase(),
  },
  { id: "description", header: "Description", cell: (group) => group.description },
  {
    id: "status",
    header: "Status",
    cell: (group) => (
      <Badge variant="light" color={group.status === "active" ? "teal" : "gray"}>
        {GROUP_STATUS_LABELS[group.status]}
      </Badge>
    ),
    sortValue: (group) => group.status,
  },
  {
    id: "members",
    header: "Members",
    cell: (group) => group.member_count.toLocaleString(),
    sortValue: (group) => group.member_count,
    align: "right",
  },
];

/** Groups: the account's groups (only the units' groups for a restricted admin, R-UNIT-8b), searched on the server. */
export default function GroupsPage() {
  const [, navigate] = useLocation();
  const [query, setQuery] = useState("");
  const [search] = useDebouncedValue(query.trim(), 250);
  const [adding, { open, close }] = useDisclosure(false);
  const groups = useGroupPages(search);
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Groups</Title>
        <ActionButton query={{ action: "groups:create" }} onClick={open}>
          Add Group
        </ActionButton>
      </Group>
      <RefusalBanner error={groups.error} title="The groups could not be listed" />
      <DataTable
        label="Groups"
        columns={COLUMNS}
        rows={groups.isError ? [] : rowsOf(groups.data)}
        rowKey={(group) => group.id}
        search={{ label: "Search groups", placeholder: "Name", value: query, onChange: setQuery }}
        empty={search ? `No group matches "${search}".` : "No groups yet."}
      />
      <LoadMore list={groups} />
      {adding ? (
        <GroupFormDialog
          opened
          onClose={close}
          onSaved={(group) => navigate(`/groups/${group.id}`)}
        />
      ) : null}
    </Stack>
  );
}
