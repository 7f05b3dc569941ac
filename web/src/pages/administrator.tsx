import { Badge, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { IconTrash } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useParams } from "wouter";
import { api } from "../api/client.js";
import { useSignedIn } from "../api/session.js";
import { ActionButton } from "../components/action-button.js";
import { PreviewButton } from "../components/change-preview.js";
import { ConfirmDelete } from "../components/confirm-delete.js";
import { BackLink, DetailPage } from "../components/detail-page.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { Explained, RuleLinks } from "../components/rule-link.js";
import { TagBadges } from "../components/tag-badges.js";
import { ActivationLinkView } from "./administrators-add.js";
import {
  type ActivationLink,
  type Admin,
  adminKey,
  adminsKey,
  useAdmin,
} from "./administrators-api.js";
import { FreeEditionNotice, StatusBadge } from "./administrators-badges.js";
import { DelegationForm } from "./administrators-edit.js";
import { ActivationEmailed, EmailLinkSwitch, useEmailLink } from "./administrators-email-link.js";

/** R-ADM-2: a new activation link for an admin who has not activated yet, emailed if chosen. */
function RenewActivation({ admin }: { admin: Admin }) {
  const [sendEmail, setSendEmail] = useState<boolean>();
  const emailLink = useEmailLink(sendEmail);
  const renew = useMutation({
    mutationFn: () =>
      api.post<ActivationLink>(
        `/admins/${encodeURIComponent(admin.id)}/activation-link`,
        emailLink ? { send_email: true } : {},
      ),
    meta: { inline: true },
  });
  return (
    <Stack gap="xs">
      <Text size="sm">
        <Explained rules={["R-ADM-2"]}>
          {admin.email} has not activated yet. A new link replaces the previous one, which then
          stops working.
        </Explained>
      </Text>
      <RefusalBanner error={renew.error} />
      {renew.data?.emailed_to ? (
        <ActivationEmailed to={renew.data.emailed_to} link={renew.data} />
      ) : renew.data ? (
        <ActivationLinkView link={renew.data} />
      ) : null}
      <EmailLinkSwitch checked={emailLink} onChange={setSendEmail} />
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
  return (
    <ConfirmDelete
      query={{ action: "admins:delete", object: { kind: "admin", id: admin.id } }}
      label="Delete administrator"
      icon={<IconTrash size={16} aria-hidden />}
      title="Delete administrator"
      explanation={`Delete ${admin.name} (${admin.email})? They lose every access at once; this cannot be undone.`}
      refusalTitle="The administrator was not deleted"
      extra={<PreviewButton change={{ kind: "admin", adminId: admin.id, delete: true }} />}
      remove={() => api.delete(`/admins/${encodeURIComponent(admin.id)}`)}
      onDeleted={() => {
        client.removeQueries({ queryKey: adminKey(session.account_id, admin.id) });
        void client.invalidateQueries({ queryKey: adminsKey(session.account_id) });
      }}
      doneMessage={`${admin.email} was deleted`}
      backTo="/administrators"
    />
  );
}

/** One administrator: who they are, their delegation (editable with a Preview), and lifecycle actions. */
export default function AdministratorPage() {
  const { id = "" } = useParams<{ id: string }>();
  const admin = useAdmin(id);
  return (
    <DetailPage
      query={admin}
      back={<BackLink href="/administrators" label="Administrators" />}
      unavailable="This administrator could not be opened"
      gap="md"
    >
      {(data) => (
        <>
          <Group justify="space-between" align="flex-start">
            <Stack gap={4}>
              <Title order={2}>{data.name}</Title>
              <Group gap="xs">
                <Text size="sm">{data.email}</Text>
                <StatusBadge status={data.status} />
                {data.is_temporary ? (
                  <Badge color="orange" variant="light">
                    Temporary
                  </Badge>
                ) : null}
                {data.directory_synced ? (
                  <Badge color="grape" variant="light">
                    Directory synced
                  </Badge>
                ) : null}
                <RuleLinks
                  ids={[
                    ...(data.is_temporary ? ["R-ADM-5"] : []),
                    ...(data.directory_synced ? ["R-ROLE-8"] : []),
                  ]}
                />
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
          <FreeEditionNotice />
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
        </>
      )}
    </DetailPage>
  );
}
