import {
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Group,
  Modal,
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
import { GROUP_STATUS_LABELS, GROUPS_KEY, type Group as GroupRow, groupKey } from "./group-api.js";
import { GroupFormDialog } from "./group-form.js";
import { GroupMembers } from "./group-members.js";
import { USERS_KEY } from "./user-api.js";

function DeleteGroup({ group }: { group: GroupRow }) {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const [opened, { open, close }] = useDisclosure(false);
  const remove = useMutation({
    mutationFn: () => api.delete(`/groups/${group.id}`),
    meta: { inline: true },
    onSuccess: () => {
      client.removeQueries({ queryKey: groupKey(group.id) });
      void client.invalidateQueries({ queryKey: GROUPS_KEY });
      void client.invalidateQueries({ queryKey: USERS_KEY });
      notifyDone(`Group ${group.name} deleted`);
      navigate("/groups");
    },
  });
  return (
    <>
      <ActionButton
        color="red"
        variant="light"
        query={{ action: "groups:delete", object: { kind: "group", id: group.id } }}
        onClick={open}
      >
        Delete group
      </ActionButton>
      <Modal opened={opened} onClose={close} title={`Delete ${group.name}?`}>
        <Stack gap="sm">
          <RefusalBanner error={remove.error} />
          <Text size="sm">
            The group is removed; its {group.member_count} member
            {group.member_count === 1 ? "" : "s"} stay, without this group.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** One group: name, description, status, members; edit and delete as the engine allows (R-ROLE-2, R-UNIT-8b). */
export default function GroupPage() {
  const { id = "" } = useParams<{ id: string }>();
  const [editing, { open, close }] = useDisclosure(false);
  const group = useQuery({
    queryKey: groupKey(id),
    queryFn: () => api.get<GroupRow>(`/groups/${encodeURIComponent(id)}`),
  });
  const crumbs = (
    <Breadcrumbs>
      <Anchor component={Link} href="/groups">
        Groups
      </Anchor>
      <Text>{group.data?.name ?? id}</Text>
    </Breadcrumbs>
  );
  if (group.isPending) return <PageSkeleton />;
  if (group.isError)
    return (
      <Stack gap="lg">
        {crumbs}
        <RefusalBanner error={group.error} title="This group is not available" />
      </Stack>
    );
  const data = group.data;
  return (
    <Stack gap="lg">
      {crumbs}
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={2}>{data.name}</Title>
            <Badge variant="light" color={data.status === "active" ? "teal" : "gray"}>
              {GROUP_STATUS_LABELS[data.status]}
            </Badge>
          </Group>
          <Text c="dimmed" mt={4}>
            {data.description || "No description"}
          </Text>
        </div>
        <Group gap="sm">
          <ActionButton
            variant="default"
            query={{ action: "groups:update", object: { kind: "group", id: data.id } }}
            onClick={open}
          >
            Edit group
          </ActionButton>
          <DeleteGroup group={data} />
        </Group>
      </Group>
      <GroupMembers group={data} />
      {editing ? <GroupFormDialog group={data} opened onClose={close} /> : null}
    </Stack>
  );
}
