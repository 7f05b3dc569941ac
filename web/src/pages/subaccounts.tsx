import { Anchor, Autocomplete, Badge, Group, Stack, Text, Title } from "@mantine/core";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { IconLock, IconPlus } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import { Link } from "wouter";
import { rowsOf } from "../api/pages.js";
import { ActionButton } from "../components/action-button.js";
import { type DataColumn, DataTable } from "../components/data-table.js";
import { LoadMore } from "../components/load-more.js";
import { RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import { TagBadges } from "../components/tag-badges.js";
import { type Subaccount, useSubaccounts, useTags } from "./subaccount-data.js";
import { SubaccountDialog } from "./subaccount-dialog.js";

/**
 * "Edit" at the far right of a row. An account the admin cannot enter is not editable: the
 * button asks the engine about entering it, so its "Why?" names R-TAG-2 and both sides' tags.
 */
function EditCell({ row, onEdit }: { row: Subaccount; onEdit: (row: Subaccount) => void }) {
  return (
    <Group justify="flex-end">
      <ActionButton
        query={
          row.accessible
            ? { action: "subaccounts:rename" }
            : { action: "dashboard:view", accountId: row.id }
        }
        variant="default"
        size="xs"
        aria-label={`Edit ${row.name}`}
        onClick={() => onEdit(row)}
      >
        Edit
      </ActionButton>
    </Group>
  );
}

/**
 * The Accounts page (R-TEN-1, R-TAG-4, R-TAG-6): every subaccount of the parent with its access
 * tags, NFR flag and edition, listed to every parent-level admin, those they cannot enter marked
 * so. Searchable by name and by one exact, case-sensitive tag (R-TAG-1), both by the server.
 */
export default function SubaccountsPage() {
  const [search, setSearch] = useState("");
  const [tag, setTag] = useState("");
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const [debouncedTag] = useDebouncedValue(tag.trim(), 250);
  const list = useSubaccounts(debouncedSearch, debouncedTag);
  const tagList = useTags();
  const [editing, setEditing] = useState<Subaccount>();
  const [dialogOpen, dialog] = useDisclosure(false);
  const [dialogKey, setDialogKey] = useState(0);
  const openDialog = (row: Subaccount | undefined) => {
    setEditing(row);
    setDialogKey((key) => key + 1);
    dialog.open();
  };

  const rows = useMemo(() => rowsOf(list.data), [list.data]);
  const hidden = rows?.filter((row) => !row.accessible).length ?? 0;
  const columns: DataColumn<Subaccount>[] = [
    {
      id: "name",
      header: "Name",
      sortValue: (row) => row.name,
      cell: (row) => (
        <Group gap="xs" wrap="nowrap">
          <Anchor component={Link} href={`/subaccounts/${row.id}`} size="sm" fw={500}>
            {row.name}
          </Anchor>
          {row.accessible ? null : (
            <Badge
              color="gray"
              variant="outline"
              leftSection={<IconLock size={12} aria-hidden />}
              tt="none"
            >
              No access
            </Badge>
          )}
        </Group>
      ),
    },
    {
      id: "tags",
      header: "Access Tags",
      cell: (row) => <TagBadges tags={row.tags} />,
    },
    {
      id: "nfr",
      header: "NFR",
      sortValue: (row) => (row.nfr ? 0 : 1),
      cell: (row) =>
        row.nfr ? (
          <Badge color="grape" variant="light">
            NFR
          </Badge>
        ) : (
          <Text size="sm" c="dimmed">
            No
          </Text>
        ),
    },
    {
      id: "edition",
      header: "Edition",
      sortValue: (row) => row.edition,
      cell: (row) => row.edition,
    },
    {
      id: "edit",
      header: "Edit",
      align: "right",
      width: "12rem",
      cell: (row) => <EditCell row={row} onEdit={openDialog} />,
    },
  ];

  const filtered = debouncedSearch !== "" || debouncedTag !== "";
  const empty = filtered ? (
    <Text size="sm" c="dimmed">
      No subaccount matches
      {debouncedSearch ? ` the name “${debouncedSearch}”` : ""}
      {debouncedSearch && debouncedTag ? " and" : ""}
      {debouncedTag ? ` the tag “${debouncedTag}”` : ""}.
      {debouncedTag ? (
        <>
          {" "}
          <Explained rules={["R-TAG-1"]}>
            Capitals count in tags: “EU” and “eu” are two tags.
          </Explained>
        </>
      ) : null}
    </Text>
  ) : (
    <Text size="sm" c="dimmed">
      There are no subaccounts yet.
    </Text>
  );

  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>Accounts</Title>
        <Text size="sm" c="dimmed">
          <Explained rules={["R-TAG-2"]}>
            The subaccounts of this account, with their access tags. Administrators who are not
            Owners can open those that have no tags or share one of theirs.
          </Explained>
        </Text>
      </div>
      {list.isError ? (
        <RefusalBanner error={list.error} title="The Accounts page is not available" />
      ) : (
        <>
          {hidden > 0 ? (
            <Text size="sm" data-testid="no-access-note">
              <Explained rules={["R-TAG-4"]}>
                {hidden === 1 ? "One account is" : `${hidden} accounts are`} listed that you cannot
                open: you share no access tag with {hidden === 1 ? "it" : "them"}.
              </Explained>
            </Text>
          ) : null}
          <DataTable
            label="Subaccounts"
            columns={columns}
            rows={rows}
            rowKey={(row) => row.id}
            search={{
              label: "Search by name",
              placeholder: "Part of the name",
              value: search,
              onChange: setSearch,
            }}
            toolbar={
              <>
                <Autocomplete
                  label="Access tag"
                  placeholder="Exact, case-sensitive"
                  data={tagList.data?.map((use) => use.tag) ?? []}
                  value={tag}
                  onChange={setTag}
                  clearable
                  w={220}
                  comboboxProps={{ withinPortal: true }}
                />
                <ActionButton
                  query={{ action: "subaccounts:create" }}
                  leftSection={<IconPlus size={16} aria-hidden />}
                  onClick={() => openDialog(undefined)}
                >
                  Add Account
                </ActionButton>
              </>
            }
            empty={empty}
          />
          <LoadMore list={list} />
        </>
      )}
      <SubaccountDialog
        key={dialogKey}
        account={editing}
        opened={dialogOpen}
        onClose={dialog.close}
      />
    </Stack>
  );
}
