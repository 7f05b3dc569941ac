import { Badge, Group, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "wouter";
import { api } from "../api/client.js";
import { ActionButton } from "../components/action-button.js";
import { ConfirmDelete } from "../components/confirm-delete.js";
import { Crumbs, DetailPage } from "../components/detail-page.js";
import { GROUP_STATUS_LABELS, GROUPS_KEY, type Group as GroupRow, groupKey } from "./group-api.js";
import { GroupFormDialog } from "./group-form.js";
import { GroupMembers } from "./group-members.js";
import { USERS_KEY } from "./user-api.js";

function DeleteGroup({ group }: { group: GroupRow }) {
  const client = useQueryClient();
  return (
    <ConfirmDelete
      query={{ action: "groups:delete", object: { kind: "group", id: group.id } }}
      label="Delete group"
      title={`Delete ${group.name}?`}
      explanation={`The group is removed; its ${group.member_count} member${group.member_count === 1 ? "" : "s"} stay, without this group.`}
      remove={() => api.delete(`/groups/${group.id}`)}
      onDeleted={() => {
        client.removeQueries({ queryKey: groupKey(group.id) });
        void client.invalidateQueries({ queryKey: GROUPS_KEY });
        void client.invalidateQueries({ queryKey: USERS_KEY });
      }}
      doneMessage={`Group ${group.name} deleted`}
      backTo="/groups"
    />
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
  return (
    <DetailPage
      query={group}
      back={<Crumbs href="/groups" list="Groups" current={group.data?.name ?? id} />}
      unavailable="This group is not available"
    >
      {(data) => (
        <>
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
        </>
      )}
    </DetailPage>
  );
}
