import { Button, Group, MultiSelect, Select, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useDecision } from "../api/decisions.js";
import { fieldError, formError } from "../api/field-errors.js";
import { ActionButton } from "../components/action-button.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import {
  type Policy,
  type PolicyPatch,
  policyKeys,
  updatePolicy,
  useNames,
} from "./policies-api.js";

/** The fields shown beside the inputs that send them; the domain names Duo's (apply_to_apps). */
const APPLICATION_FIELDS = ["apply_to_applications", "apply_to_apps"];
const GROUP_FIELDS = ["apply_to_groups", "apply_to_groups_in_apps"];

const firstFieldError = (error: unknown, fields: readonly string[]) =>
  fields.map((field) => fieldError(error, field)).find((message) => message !== undefined);

/**
 * Where a custom policy applies (R-POL-1): the applications it is the policy of, and the groups
 * within applications it is the policy for. Who may apply policies (Application Managers too)
 * applies and removes it here; a restricted admin only within their units (R-UNIT-8d).
 */
export function PolicyPlacement({ policy }: { policy: Policy }) {
  const queryClient = useQueryClient();
  const names = useNames();
  const mayApply = useDecision({ action: "policies:assign" }).data?.allow === true;
  const [application, setApplication] = useState<string | null>(null);
  const [groupApplication, setGroupApplication] = useState<string | null>(null);
  const [groups, setGroups] = useState<string[]>([]);

  const change = useMutation({
    mutationFn: (body: PolicyPatch) => updatePolicy(policy.key, body),
    meta: { inline: true },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: policyKeys.all });
      notifyDone(`Where “${saved.name}” applies is saved`);
      setApplication(null);
      setGroupApplication(null);
      setGroups([]);
    },
  });

  const groupRows = policy.groups.flatMap((entry) =>
    entry.group_ids.map((groupId) => ({ applicationId: entry.application_id, groupId })),
  );
  const applicationChoices = names.applications.map((app) => ({ value: app.id, label: app.name }));

  return (
    <Stack gap="sm">
      <Title order={3}>Where it applies</Title>
      <Text size="sm" c="dimmed" maw={720}>
        <Explained rules={["R-POL-1", "R-UNIT-8d"]}>
          On an application, this policy replaces the policy the application had. On a group within
          an application, it applies to that group&apos;s members there. An administrator restricted
          to administrative units applies it only to their own applications and groups.
        </Explained>
      </Text>
      <RefusalBanner error={formError(change.error, [...APPLICATION_FIELDS, ...GROUP_FIELDS])} />

      <Table withTableBorder aria-label="Applications and groups this policy applies to">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Application</Table.Th>
            <Table.Th>Group</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {policy.application_ids.length === 0 && groupRows.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={3}>
                <Text size="sm" c="dimmed">
                  Not applied anywhere yet.
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
          {policy.application_ids.map((id) => (
            <Table.Tr key={`app ${id}`}>
              <Table.Td>{names.application(id)}</Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  Everyone
                </Text>
              </Table.Td>
              <Table.Td align="right">
                {mayApply ? (
                  <Button
                    variant="subtle"
                    color="red"
                    size="compact-sm"
                    loading={change.isPending}
                    onClick={() => change.mutate({ unapply_from_applications: [id] })}
                    aria-label={`Remove ${names.application(id)}`}
                  >
                    Remove
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
          {groupRows.map((row) => (
            <Table.Tr key={`group ${row.applicationId} ${row.groupId}`}>
              <Table.Td>{names.application(row.applicationId)}</Table.Td>
              <Table.Td>{names.group(row.groupId)}</Table.Td>
              <Table.Td align="right">
                {mayApply ? (
                  <Button
                    variant="subtle"
                    color="red"
                    size="compact-sm"
                    loading={change.isPending}
                    onClick={() =>
                      change.mutate({
                        unapply_from_groups: [
                          { application_id: row.applicationId, group_ids: [row.groupId] },
                        ],
                      })
                    }
                    aria-label={`Remove ${names.group(row.groupId)} in ${names.application(row.applicationId)}`}
                  >
                    Remove
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Group align="flex-end" gap="sm">
        <Select
          label="Apply to an application"
          placeholder="Choose an application"
          searchable
          data={applicationChoices}
          value={application}
          onChange={setApplication}
          error={firstFieldError(change.error, APPLICATION_FIELDS)}
          w={320}
        />
        <ActionButton
          query={{ action: "policies:assign" }}
          variant="default"
          disabled={application === null}
          onClick={() => {
            if (application !== null) change.mutate({ apply_to_applications: [application] });
          }}
        >
          Apply
        </ActionButton>
      </Group>
      <Group align="flex-end" gap="sm">
        <Select
          label="Apply to groups within an application"
          placeholder="Choose an application"
          searchable
          data={applicationChoices}
          value={groupApplication}
          onChange={setGroupApplication}
          w={320}
        />
        <MultiSelect
          label="Groups"
          placeholder="Choose groups"
          searchable
          data={names.groups.map((group) => ({ value: group.id, label: group.name }))}
          value={groups}
          onChange={setGroups}
          error={firstFieldError(change.error, GROUP_FIELDS)}
          w={320}
        />
        <ActionButton
          query={{ action: "policies:assign" }}
          variant="default"
          disabled={groupApplication === null || groups.length === 0}
          onClick={() => {
            if (groupApplication !== null)
              change.mutate({
                apply_to_groups: [{ application_id: groupApplication, group_ids: groups }],
              });
          }}
        >
          Apply to groups
        </ActionButton>
      </Group>
    </Stack>
  );
}
