import { Anchor, Badge, Group, Modal, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link, useLocation } from "wouter";
import { api } from "../api/client.js";
import { fieldError, formError } from "../api/field-errors.js";
import { ActionButton } from "../components/action-button.js";
import { type DataColumn, DataTable } from "../components/data-table.js";
import { DialogActions } from "../components/dialog-actions.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import {
  type Policy,
  placementText,
  policyKeys,
  policyPath,
  SECTION_NAMES,
  useNames,
  usePolicies,
} from "./policies-api.js";
import { SECTION_TITLES } from "./policy-sections.js";

/** What a policy sets, in the section titles the editor uses. */
function setsText(policy: Policy): string {
  const set = SECTION_NAMES.filter((name) => policy.sections[name] !== undefined);
  if (policy.is_global) return "Every setting";
  if (set.length === 0) return "Nothing yet: every setting comes from the next policy";
  return set.map((name) => SECTION_TITLES[name]).join(", ");
}

/**
 * Policies (R-POL-1, R-POL-2): the global policy first, then the custom ones by name, each with what
 * it sets and where it applies. Owners and Administrators create policies; who may apply them
 * (Application Managers too) opens one to apply it.
 */
export default function PoliciesPage() {
  const policies = usePolicies();
  const names = useNames();
  const [creating, setCreating] = useState(false);

  const columns = useMemo<DataColumn<Policy>[]>(
    () => [
      {
        id: "name",
        header: "Name",
        cell: (policy) => (
          <Group gap="xs" wrap="nowrap">
            <Anchor component={Link} href={policyPath(policy.key)} fw={600} size="sm">
              {policy.name}
            </Anchor>
            {policy.is_global ? (
              <Badge variant="light" size="sm">
                Global
              </Badge>
            ) : null}
          </Group>
        ),
      },
      {
        id: "sets",
        header: "Sets",
        cell: (policy) => (
          <Text size="sm" lineClamp={2}>
            {setsText(policy)}
          </Text>
        ),
      },
      {
        id: "applies",
        header: "Where it applies",
        cell: (policy) => <Text size="sm">{placementText(policy, names.application)}</Text>,
      },
    ],
    [names.application],
  );

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>Policies</Title>
          <Text size="sm" c="dimmed" maw={680}>
            <Explained rules={["R-POL-1", "R-POL-2"]}>
              A policy decides how people log in to your applications. The global policy applies
              everywhere; a custom policy on an application, or on a group within an application,
              changes only the settings it sets, and the rest come from the next policy.
            </Explained>
          </Text>
        </div>
        <ActionButton
          query={{ action: "policies:create" }}
          leftSection={<IconPlus size={16} aria-hidden />}
          onClick={() => setCreating(true)}
        >
          Create policy
        </ActionButton>
      </Group>
      {policies.isError ? (
        <RefusalBanner error={policies.error} title="The policies could not be listed" />
      ) : (
        <DataTable
          label="Policies"
          columns={columns}
          // The server's order: the global policy first, then the custom ones by name.
          rows={policies.data}
          rowKey={(policy) => policy.key}
          search={{
            label: "Search policies",
            placeholder: "Name",
            matches: (policy, query) => policy.name.toLowerCase().includes(query.toLowerCase()),
          }}
          empty={
            <Text size="sm" c="dimmed">
              No policies.
            </Text>
          }
        />
      )}
      <CreatePolicyDialog opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

/** A new custom policy sets nothing at first: it is named here and edited on its own page. */
function CreatePolicyDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const creation = useMutation({
    mutationFn: () => api.post<Policy>("/policies", { name }),
    meta: { inline: true },
    onSuccess: (policy) => {
      void queryClient.invalidateQueries({ queryKey: policyKeys.all });
      notifyDone(`Policy “${policy.name}” created`);
      setName("");
      onClose();
      navigate(policyPath(policy.key));
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Create policy">
      <Stack
        gap="sm"
        component="form"
        onSubmit={(event) => {
          event.preventDefault();
          creation.mutate();
        }}
      >
        <RefusalBanner error={formError(creation.error, ["name", "policy_name"])} />
        <TextInput
          label="Name"
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={fieldError(creation.error, "name") ?? fieldError(creation.error, "policy_name")}
          data-autofocus
        />
        <DialogActions onCancel={onClose} label="Create" loading={creation.isPending} />
      </Stack>
    </Modal>
  );
}
