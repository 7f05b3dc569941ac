import { Anchor, Button, Group, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconDownload, IconUserPlus } from "@tabler/icons-react";
import { type MouseEvent, useCallback, useEffect, useMemo } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { useDecision } from "../api/decisions.js";
import { ActionButton } from "../components/action-button.js";
import { type DataColumn, DataTable } from "../components/data-table.js";
import { RefusalBanner } from "../components/refusal.js";
import { TagBadges } from "../components/tag-badges.js";
import { WhyLink } from "../components/why-link.js";
import { ADD_ADMINISTRATOR_SEARCH, AddAdministratorDialog } from "./administrators-add.js";
import { type Admin, adminMatches, useAdmins, useIsSubaccount } from "./administrators-api.js";
import { FreeEditionNotice, StatusBadge } from "./administrators-badges.js";

const COLUMNS: readonly DataColumn<Admin>[] = [
  {
    id: "name",
    header: "Name",
    cell: (admin) => (
      <Stack gap={0}>
        <Text size="sm" fw={500}>
          {admin.name}
        </Text>
        {admin.is_temporary ? (
          <Text size="xs" c="orange">
            Temporary administrator
          </Text>
        ) : null}
      </Stack>
    ),
    sortValue: (admin) => admin.name,
  },
  { id: "email", header: "Email", cell: (admin) => admin.email, sortValue: (admin) => admin.email },
  { id: "role", header: "Role", cell: (admin) => admin.role, sortValue: (admin) => admin.role },
  {
    id: "subaccount_role",
    header: "Subaccount Role",
    cell: (admin) => admin.subaccount_role ?? "—",
    sortValue: (admin) => admin.subaccount_role ?? "",
  },
  {
    id: "tags",
    header: "Access Tags",
    cell: (admin) => <TagBadges tags={admin.tags} />,
    sortValue: (admin) => admin.tags.join(" "),
  },
  {
    id: "status",
    header: "Status",
    cell: (admin) => <StatusBadge status={admin.status} />,
    sortValue: (admin) => admin.status,
  },
  {
    id: "edit",
    header: "Edit",
    align: "right",
    width: "5rem",
    cell: (admin) => (
      <Anchor
        component={Link}
        href={`/administrators/${admin.id}`}
        size="sm"
        aria-label={`Edit ${admin.name} (${admin.email})`}
        onClick={(event: MouseEvent) => event.stopPropagation()}
      >
        Edit
      </Anchor>
    ),
  },
];

/**
 * R-SUM-1: a plain link, so the browser downloads the CSV the server streams. The summary is the
 * parent's (parent-level admins by subaccount): not offered while acting in a subaccount.
 */
function AccessSummaryLink() {
  const query = { action: "admins:view" } as const;
  const decision = useDecision(query);
  const isSubaccount = useIsSubaccount();
  if (isSubaccount !== false || decision.isPending) return null;
  const allowed = decision.data?.allow === true;
  return (
    <Group gap="xs" wrap="nowrap">
      <Button
        component="a"
        href={allowed ? "/api/access-summary.csv" : undefined}
        download={allowed ? true : undefined}
        aria-disabled={allowed ? undefined : true}
        disabled={!allowed}
        variant="default"
        leftSection={<IconDownload size={16} aria-hidden />}
      >
        Download access summary
      </Button>
      {allowed ? null : <WhyLink query={query} />}
    </Group>
  );
}

/**
 * The Administrators page (R-ROLE-5, R-TEN-2): every admin of the account the session acts in,
 * searchable by name, email, role, subaccount role and tag (R-TAG-6, tags case-sensitively,
 * R-TAG-1); Add Administrator for Owners; the access summary download (R-SUM-1).
 */
export default function AdministratorsPage() {
  const admins = useAdmins();
  const [, navigate] = useLocation();
  const [adding, { open, close }] = useDisclosure(false);
  const search = useSearch();
  // Sent here to add an administrator (from a subaccount's page): open the dialog, once.
  useEffect(() => {
    if (search !== ADD_ADMINISTRATOR_SEARCH) return;
    open();
    navigate("/administrators", { replace: true });
  }, [search, open, navigate]);
  const openAdmin = useCallback(
    (admin: Admin) => navigate(`/administrators/${admin.id}`),
    [navigate],
  );
  const searchOptions = useMemo(
    () => ({
      label: "Search administrators",
      placeholder: "Name, email, role, subaccount role or tag",
      matches: adminMatches,
    }),
    [],
  );
  const toolbar = (
    <>
      <AccessSummaryLink />
      <ActionButton
        query={{ action: "admins:create" }}
        onClick={open}
        leftSection={<IconUserPlus size={16} aria-hidden />}
      >
        Add Administrator
      </ActionButton>
    </>
  );
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Administrators</Title>
      </Group>
      <FreeEditionNotice />
      {admins.isError ? (
        <Group gap="xs" align="flex-start">
          <RefusalBanner error={admins.error} title="The administrators could not be listed" />
          <WhyLink query={{ action: "admins:view" }} />
        </Group>
      ) : (
        <DataTable
          label="Administrators"
          columns={COLUMNS}
          rows={admins.data}
          rowKey={(admin) => admin.id}
          search={searchOptions}
          toolbar={toolbar}
          empty={<Text size="sm">No administrators yet.</Text>}
          onRowClick={openAdmin}
        />
      )}
      <AddAdministratorDialog opened={adding} onClose={close} />
    </Stack>
  );
}
