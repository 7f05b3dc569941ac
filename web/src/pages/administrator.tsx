import { Anchor, Badge, Button, Group, Modal, Paper, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconArrowLeft, IconTrash } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useParams } from "wouter";
import { api } from "../api/client.js";
import { useSignedIn } from "../api/session.js";
import { ActionButton } from "../components/action-button.js";
import { type ModelChange, PreviewButton } from "../components/change-preview.js";
import { PageSkeleton } from "../components/page-skeleton.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { ActivationLinkView } from "./administrators-add.js";
import {
  type ActivationLink,
  type Admin,
  adminKey,
  adminsKey,
  useAdmin,
} from "./administrators-api.js";
import { StatusBadge, TagBadges } from "./administrators-badges.js";
import { DelegationForm } from "./administrators-edit.js";

/** R-ADM-2: a new activation link for an admin who has not activated yet. */
function RenewActivation({ admin }: { admin: Admin }) {
  const renew = useMutation({
    mutationFn: () =>
      api.post<ActivationLink>(`/admins/${encodeURIComponent(admin.id)}/activation-link`, {}),
    meta: { inline: true },
  });
  return (
    <Stack gap="xs">
      <Text size="sm">
        {admin.email} has not activated yet. A new link replaces the previous one (R-ADM-2).
      </Text>
      <RefusalBanner error={renew.error} />
      {renew.data ? <ActivationLinkView link={renew.data} /> : null}
      <Group>
        <ActionButton
          query={{ action: "admins:update", object: { kind: "admin", id: admin.id } }}
          onClick={() => renew.mutate()}
          loading={renew.isPending}
          variant="light"
        >
          New activation link
        </ActionButton>
      </Group>
    </Stack>
  );
}

/** R-ADM-1: an Expired admin (inactivity) can sign in again once an Owner clears it. */
function ClearInactivity({ admin }: { admin: Admin }) {
  const client = useQueryClient();
  const session = useSignedIn();
  const clear = useMutation({
    mutationFn: () =>
      api.post<{ status: Admin["status"] }>(
        `/admins/${encodeURIComponent(admin.id)}/clear-inactivity`,
        {},
      ),
    meta: { inline: true },
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: adminsKey(session.account_id) });
      notifyDone(`${admin.email} is ${result.status}`);
    },
  });
  return (
    <Stack gap="xs">
      <Text size="sm">{admin.email} expired after a period of inactivity.</Text>
      <RefusalBanner error={clear.error} />
      <Group>
        <ActionButton
          query={{ action: "admins:update", object: { kind: "admin", id: admin.id } }}
          onClick={() => clear.mutate()}
          loading={clear.isPending}
          variant="light"
        >
          Clear inactivity
        </ActionButton>
      </Group>
    </Stack>
  );
}

/** Delete, after a confirmation naming the admin; the engine refuses the last Owner (R-ROLE-9). */
function DeleteAdministrator({ admin }: { admin: Admin }) {
  const client = useQueryClient();
  const session = useSignedIn();
  const [, navigate] = useLocation();
  const [opened, { open, close }] = useDisclosure(false);
  const remove = useMutation({
    mutationFn: () => api.delete(`/admins/${encodeURIComponent(admin.id)}`),
    meta: { inline: true },
    onSuccess: () => {
      client.removeQueries({ queryKey: adminKey(session.account_id, admin.id) });
      void client.invalidateQueries({ queryKey: adminsKey(session.account_id) });
      notifyDone(`${admin.email} was deleted`);
      navigate("/administrators");
    },
  });
  const change: ModelChange = { kind: "admin", adminId: admin.id, delete: true };
  return (
    <>
      <ActionButton
        query={{ action: "admins:delete", object: { kind: "admin", id: admin.id } }}
        onClick={open}
        color="red"
        variant="light"
        leftSection={<IconTrash size={16} aria-hidden />}
      >
        Delete administrator
      </ActionButton>
      <Modal opened={opened} onClose={close} title="Delete administrator">
        <Stack gap="sm">
          <Text size="sm">
            Delete {admin.name} ({admin.email})? They lose every access at once; this cannot be
            undone.
          </Text>
          <RefusalBanner error={remove.error} title="The administrator was not deleted" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <PreviewButton change={change} />
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** One administrator: who they are, their delegation (editable with a Preview), and lifecycle actions. */
export default function AdministratorPage() {
  const { id = "" } = useParams<{ id: string }>();
  const admin = useAdmin(id);
  const back = (
    <Anchor component={Link} href="/administrators" size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        Administrators
      </Group>
    </Anchor>
  );
  if (admin.isPending) return <PageSkeleton />;
  if (admin.isError)
    return (
      <Stack gap="md">
        {back}
        <RefusalBanner error={admin.error} title="This administrator could not be opened" />
      </Stack>
    );
  const data = admin.data;
  return (
    <Stack gap="md">
      {back}
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={2}>{data.name}</Title>
          <Group gap="xs">
            <Text size="sm">{data.email}</Text>
            <StatusBadge status={data.status} />
            {data.is_temporary ? (
              <Badge color="orange" variant="light">
                Temporary (R-ADM-5)
              </Badge>
            ) : null}
            {data.directory_synced ? (
              <Badge color="grape" variant="light">
                Directory synced (R-ROLE-8)
              </Badge>
            ) : null}
          </Group>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              Access tags:
            </Text>
            <TagBadges tags={data.tags} />
          </Group>
          <Text size="sm" c="dimmed">
            Last sign-in:{" "}
            {data.last_sign_in_at ? new Date(data.last_sign_in_at).toLocaleString() : "never"}
          </Text>
        </Stack>
        <DeleteAdministrator admin={data} />
      </Group>
      <DelegationForm key={`${data.id}:${data.role}:${data.status}`} admin={data} />
      {data.status === "Pending Activation" || data.status === "Expired" ? (
        <Paper withBorder p="md" radius="md">
          {data.status === "Pending Activation" ? (
            <RenewActivation admin={data} />
          ) : (
            <ClearInactivity admin={data} />
          )}
        </Paper>
      ) : null}
    </Stack>
  );
}
