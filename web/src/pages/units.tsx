import { Anchor, Button, Group, Stack, Text, Title } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import { Link, useLocation } from "wouter";
import { ActionButton } from "../components/action-button.js";
import { type DataColumn, DataTable } from "../components/data-table.js";
import { RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import { scopeText, type Unit, useAdmins, useUnits } from "./unit-api.js";
import { UnitDeleteDialog } from "./unit-delete.js";

function unitPath(unit: Unit): string {
  return `/units/${encodeURIComponent(unit.id)}`;
}

/**
 * Administrative Units (R-UNIT-1..5): every unit of the account with its administrators, groups and
 * applications ("All" where a scope is every one), Create, and at the right of each row Edit and
 * Delete. Owners only; anyone else reaching the address sees the server's refusal.
 */
export default function UnitsPage() {
  const [, navigate] = useLocation();
  const units = useUnits();
  const [deleting, setDeleting] = useState<Unit | undefined>(undefined);
  // Read when a deletion is asked for: R-UNIT-5's warning names who would be left in no unit.
  const admins = useAdmins(deleting !== undefined);

  const columns = useMemo<DataColumn<Unit>[]>(
    () => [
      {
        id: "name",
        header: "Name",
        sortValue: (unit) => unit.name,
        cell: (unit) => (
          <Anchor component={Link} href={unitPath(unit)} fw={600} size="sm">
            {unit.name}
          </Anchor>
        ),
      },
      {
        id: "description",
        header: "Description",
        cell: (unit) => (
          <Text size="sm" c={unit.description ? undefined : "dimmed"} lineClamp={2}>
            {unit.description || "None"}
          </Text>
        ),
      },
      {
        id: "admins",
        header: "Administrators",
        align: "right",
        sortValue: (unit) => unit.counts.admins,
        cell: (unit) => unit.counts.admins.toLocaleString(),
      },
      {
        id: "groups",
        header: "Groups",
        align: "right",
        sortValue: (unit) => (unit.all_groups ? Number.POSITIVE_INFINITY : unit.counts.groups),
        cell: (unit) => scopeText(unit.all_groups, unit.counts.groups),
      },
      {
        id: "applications",
        header: "Applications",
        align: "right",
        sortValue: (unit) =>
          unit.all_applications ? Number.POSITIVE_INFINITY : unit.counts.applications,
        cell: (unit) => scopeText(unit.all_applications, unit.counts.applications),
      },
      {
        id: "actions",
        header: "Actions",
        align: "right",
        width: "190px",
        cell: (unit) => (
          <Group gap="xs" justify="flex-end" wrap="nowrap">
            <Button
              component={Link}
              href={unitPath(unit)}
              variant="default"
              size="compact-sm"
              aria-label={`Edit ${unit.name}`}
            >
              Edit
            </Button>
            <Button
              variant="subtle"
              color="red"
              size="compact-sm"
              onClick={() => setDeleting(unit)}
              aria-label={`Delete ${unit.name}`}
            >
              Delete
            </Button>
          </Group>
        ),
      },
    ],
    [],
  );

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>Administrative Units</Title>
          <Text size="sm" c="dimmed" maw={640}>
            <Explained rules={["R-UNIT-4"]}>
              An administrator in a unit can use their role only on the unit's groups (and the users
              in them) and applications. An administrator in no unit can use it on everything in the
              account.
            </Explained>
          </Text>
        </div>
        <ActionButton
          query={{ action: "units:manage" }}
          leftSection={<IconPlus size={16} aria-hidden />}
          onClick={() => navigate("/units/new")}
        >
          Create Administrative Unit
        </ActionButton>
      </Group>
      {units.isError ? (
        <RefusalBanner error={units.error} title="The units could not be listed" />
      ) : (
        <DataTable
          label="Administrative units"
          columns={columns}
          rows={units.data}
          rowKey={(unit) => unit.id}
          search={{
            label: "Search units",
            placeholder: "Name or description",
            matches: (unit, query) =>
              `${unit.name}\n${unit.description}`.toLowerCase().includes(query.toLowerCase()),
          }}
          empty={
            <Text size="sm" c="dimmed">
              No administrative units yet. Every administrator is global.
            </Text>
          }
        />
      )}
      <UnitDeleteDialog
        unit={deleting}
        admins={admins.data}
        onClose={() => setDeleting(undefined)}
      />
    </Stack>
  );
}
