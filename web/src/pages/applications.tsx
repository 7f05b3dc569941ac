import { Anchor, Badge, Group, Stack, Text, Title } from "@mantine/core";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { useState } from "react";
import { Link, useLocation } from "wouter";
import { rowsOf } from "../api/pages.js";
import { ActionButton } from "../components/action-button.js";
import { type DataColumn, DataTable } from "../components/data-table.js";
import { LoadMore } from "../components/load-more.js";
import { RefusalBanner } from "../components/refusal.js";
import { type Application, unitsOf, useApplicationPages, useUnits } from "./application-api.js";
import { ApplicationFormDialog } from "./application-form.js";

const BASE_COLUMNS: readonly DataColumn<Application>[] = [
  {
    id: "name",
    header: "Name",
    cell: (application) => (
      <Anchor component={Link} href={`/applications/${application.id}`}>
        {application.name}
      </Anchor>
    ),
    sortValue: (application) => application.name.toLowerCase(),
  },
  {
    id: "type",
    header: "Type",
    cell: (application) => <Badge variant="outline">{application.type}</Badge>,
    sortValue: (application) => application.type,
  },
];

/** Applications: those the admin may see (only their units' for a restricted admin, R-UNIT-8c), searched on the server. */
export default function ApplicationsPage() {
  const [, navigate] = useLocation();
  const [query, setQuery] = useState("");
  const [search] = useDebouncedValue(query.trim(), 250);
  const [adding, { open, close }] = useDisclosure(false);
  const applications = useApplicationPages(search);
  const units = useUnits();
  const columns: readonly DataColumn<Application>[] = units.data
    ? [
        ...BASE_COLUMNS,
        {
          id: "units",
          header: "Units",
          cell: (application) =>
            unitsOf(application, units.data).join(", ") || <Text c="dimmed">None</Text>,
        },
      ]
    : BASE_COLUMNS;
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Applications</Title>
        <ActionButton query={{ action: "applications:create" }} onClick={open}>
          Protect an Application
        </ActionButton>
      </Group>
      <RefusalBanner error={applications.error} title="The applications could not be listed" />
      <DataTable
        label="Applications"
        columns={columns}
        rows={applications.isError ? [] : rowsOf(applications.data)}
        rowKey={(application) => application.id}
        search={{
          label: "Search applications",
          placeholder: "Name",
          value: query,
          onChange: setQuery,
        }}
        empty={search ? `No application matches "${search}".` : "No applications yet."}
      />
      <LoadMore list={applications} />
      {adding ? (
        <ApplicationFormDialog
          onClose={close}
          onCreated={(application) => navigate(`/applications/${application.id}`)}
        />
      ) : null}
    </Stack>
  );
}
