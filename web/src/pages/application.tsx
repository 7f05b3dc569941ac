import {
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useParams } from "wouter";
import { api } from "../api/client.js";
import { ActionButton } from "../components/action-button.js";
import { PageSkeleton } from "../components/page-skeleton.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import {
  APPLICATIONS_KEY,
  type Application,
  applicationKey,
  unitsOf,
  useUnits,
} from "./application-api.js";
import { ApplicationFormDialog } from "./application-form.js";

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
  const [, navigate] = useLocation();
  const [opened, { open, close }] = useDisclosure(false);
  const remove = useMutation({
    mutationFn: () => api.delete(`/applications/${application.id}`),
    meta: { inline: true },
    onSuccess: () => {
      client.removeQueries({ queryKey: applicationKey(application.id) });
      void client.invalidateQueries({ queryKey: APPLICATIONS_KEY });
      notifyDone(`${application.name} removed`);
      navigate("/applications");
    },
  });
  return (
    <>
      <ActionButton
        color="red"
        variant="light"
        query={{
          action: "applications:delete",
          object: { kind: "application", id: application.id },
        }}
        onClick={open}
      >
        Remove application
      </ActionButton>
      <Modal opened={opened} onClose={close} title={`Remove ${application.name}?`}>
        <Stack gap="sm">
          <RefusalBanner error={remove.error} />
          <Text size="sm">Its integration key stops working at once. This cannot be undone.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              Remove
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
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
  const crumbs = (
    <Breadcrumbs>
      <Anchor component={Link} href="/applications">
        Applications
      </Anchor>
      <Text>{application.data?.name ?? id}</Text>
    </Breadcrumbs>
  );
  if (application.isPending) return <PageSkeleton />;
  if (application.isError)
    return (
      <Stack gap="lg">
        {crumbs}
        <RefusalBanner error={application.error} title="This application is not available" />
      </Stack>
    );
  const data = application.data;
  const object = { kind: "application", id: data.id } as const;
  return (
    <Stack gap="lg">
      {crumbs}
      <Group justify="space-between" align="flex-start">
        <Group gap="sm">
          <Title order={2}>{data.name}</Title>
          <Badge variant="outline">{data.type}</Badge>
        </Group>
        <Group gap="sm">
          <ActionButton
            variant="default"
            query={{ action: "applications:update", object }}
            onClick={open}
          >
            Edit application
          </ActionButton>
          <DeleteApplication application={data} />
        </Group>
      </Group>
      <Paper withBorder p="md" radius="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Field label="Integration key" value={data.id} />
          <Field label="Created" value={new Date(data.created_at).toLocaleString()} />
          <Field label="Notes" value={data.notes} />
          <Field label="Greeting" value={data.greeting} />
          {units.data ? (
            <Field label="Units" value={unitsOf(data, units.data.items).join(", ")} />
          ) : null}
        </SimpleGrid>
      </Paper>
      {editing ? <ApplicationFormDialog application={data} onClose={close} /> : null}
    </Stack>
  );
}
