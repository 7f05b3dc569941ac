import { Badge, Group, Paper, SimpleGrid, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "wouter";
import { api } from "../api/client.js";
import { ActionButton } from "../components/action-button.js";
import { ConfirmDelete } from "../components/confirm-delete.js";
import { Crumbs, DetailPage } from "../components/detail-page.js";
import {
  APPLICATION_TYPE_LABELS,
  APPLICATIONS_KEY,
  type Application,
  applicationKey,
  keyLabels,
  unitsOf,
  useUnits,
} from "./application-api.js";
import { ApplicationFormDialog } from "./application-form.js";
import { LegacyUnixClients } from "./application-legacy-unix.js";

/** "UNIX Application (unix)": the panel's name for a type, and the type as the API spells it. */
function typeLabel(type: string): string {
  const label = APPLICATION_TYPE_LABELS[type as keyof typeof APPLICATION_TYPE_LABELS];
  return label ? `${label} (${type})` : type;
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text>{value || "—"}</Text>
    </div>
  );
}

function DeleteApplication({ application }: { application: Application }) {
  const client = useQueryClient();
  return (
    <ConfirmDelete
      query={{
        action: "applications:delete",
        object: { kind: "application", id: application.id },
      }}
      label="Remove application"
      title={`Remove ${application.name}?`}
      explanation="Its integration key stops working at once. This cannot be undone."
      confirmLabel="Remove"
      remove={() => api.delete(`/applications/${application.id}`)}
      onDeleted={() => {
        client.removeQueries({ queryKey: applicationKey(application.id) });
        void client.invalidateQueries({ queryKey: APPLICATIONS_KEY });
      }}
      doneMessage={`${application.name} removed`}
      backTo="/applications"
    />
  );
}

/** One application (never its secret key): edit and remove as the engine allows (R-ROLE-2, R-UNIT-8c). */
export default function ApplicationPage() {
  const { id = "" } = useParams<{ id: string }>();
  const [editing, { open, close }] = useDisclosure(false);
  const units = useUnits();
  const application = useQuery({
    queryKey: applicationKey(id),
    queryFn: () => api.get<Application>(`/applications/${encodeURIComponent(id)}`),
  });
  return (
    <DetailPage
      query={application}
      back={
        <Crumbs href="/applications" list="Applications" current={application.data?.name ?? id} />
      }
      unavailable="This application is not available"
    >
      {(data) => (
        <>
          <Group justify="space-between" align="flex-start">
            <Group gap="sm">
              <Title order={2}>{data.name}</Title>
              <Badge variant="outline">{data.type}</Badge>
            </Group>
            <Group gap="sm">
              <ActionButton
                variant="default"
                query={{
                  action: "applications:update",
                  object: { kind: "application", id: data.id },
                }}
                onClick={open}
              >
                Edit application
              </ActionButton>
              <DeleteApplication application={data} />
            </Group>
          </Group>
          <Paper withBorder p="md" radius="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Field label="Type" value={typeLabel(data.type)} />
              <Field label={keyLabels(data.type).key} value={data.id} />
              <Field label="Created" value={new Date(data.created_at).toLocaleString()} />
              <Field label="Notes" value={data.notes} />
              <Field label="Greeting" value={data.greeting} />
              {units.data ? (
                <Field label="Units" value={unitsOf(data, units.data).join(", ")} />
              ) : null}
            </SimpleGrid>
          </Paper>
          {data.type === "unix" ? <LegacyUnixClients application={data} /> : null}
          {editing ? <ApplicationFormDialog application={data} onClose={close} /> : null}
        </>
      )}
    </DetailPage>
  );
}
