import { Alert, Badge, Group, Modal, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconCopy, IconTrash } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useLocation, useParams } from "wouter";
import { ApiError, api } from "../api/client.js";
import { useDecision } from "../api/decisions.js";
import { fieldError } from "../api/field-errors.js";
import { ActionButton } from "../components/action-button.js";
import { ConfirmDelete } from "../components/confirm-delete.js";
import { Crumbs, DetailPage } from "../components/detail-page.js";
import { DialogActions } from "../components/dialog-actions.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import {
  type Policy,
  type PolicyPatch,
  policyKeys,
  policyPath,
  SECTION_NAMES,
  type Sections,
  updatePolicy,
  useNames,
  usePolicy,
} from "./policies-api.js";
import { type PolicyImpact, PolicyImpactPreview } from "./policy-impact.js";
import { PolicyPlacement } from "./policy-placement.js";
import { SectionsEditor } from "./policy-sections.js";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** One policy: its name and settings, where it applies, copy and delete (R-POL-1, R-POL-2). */
export default function PolicyPage() {
  const { id = "" } = useParams<{ id: string }>();
  const policy = usePolicy(id);
  return (
    <DetailPage
      query={policy}
      back={<Crumbs href="/policies" list="Policies" current={policy.data?.name ?? id} />}
      unavailable="This policy cannot be shown"
    >
      {(data) => <PolicyEditor key={`${data.key} ${JSON.stringify(data)}`} policy={data} />}
    </DetailPage>
  );
}

/** The form starts from the saved policy; a save or another admin's change starts it again. */
function PolicyEditor({ policy }: { policy: Policy }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(policy.name);
  const [draft, setDraft] = useState<Sections>(policy.sections);
  const decision = useDecision({ action: "policies:update" }).data;
  const names = useNames();
  // R-UNIT-8d, as the server decides it on save: said before the admin edits, not after.
  const restricted = decision?.restricted_to_units === true;
  const outsideUnits =
    restricted &&
    names.loaded &&
    (policy.application_ids.some((id) => !names.seesApplication(id)) ||
      policy.groups.some(
        (entry) =>
          !names.seesApplication(entry.application_id) ||
          entry.group_ids.some((id) => !names.seesGroup(id)),
      ));
  const readOnlyBecause = policy.is_global
    ? "You are restricted to administrative units, so the global policy is read-only to you."
    : "This policy applies to applications or groups outside your administrative units, so you cannot change it; copy it and change the copy instead.";
  const lockedByUnits = restricted && (policy.is_global || outsideUnits);
  const mayEdit = decision?.allow === true && !lockedByUnits;

  /** The edit as PATCH takes it: the name if renamed, and the sections that differ (null: unset). */
  const pending = (): PolicyPatch => {
    const sections: NonNullable<PolicyPatch["sections"]> = {};
    for (const section of SECTION_NAMES)
      if (!same(draft[section], policy.sections[section]))
        (sections as Record<string, unknown>)[section] = draft[section] ?? null;
    return {
      ...(name !== policy.name ? { name } : {}),
      ...(Object.keys(sections).length > 0 ? { sections } : {}),
    };
  };
  const preview = useMutation({
    mutationFn: (body: PolicyPatch) =>
      api.post<PolicyImpact>(`/policies/${encodeURIComponent(policy.key)}/impact`, body),
    meta: { inline: true },
  });
  // A preview speaks of the edit it was asked for: once the edit changes, it is gone.
  const previewed = JSON.stringify(preview.variables) === JSON.stringify(pending());
  const save = useMutation({
    mutationFn: () => updatePolicy(policy.key, pending()),
    meta: { inline: true },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: policyKeys.all });
      notifyDone(`Policy “${saved.name}” saved`);
    },
  });
  const changed = name !== policy.name || !same(draft, policy.sections);
  const error = (field: string) => fieldError(save.error, field);
  // Errors about a field show beside it (the editor shows every section's fields by their paths).
  const besideField =
    save.error instanceof ApiError &&
    save.error.field !== undefined &&
    (save.error.field.startsWith("sections.") ||
      ["name", "policy_name"].includes(save.error.field));

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={2}>{policy.name}</Title>
            {policy.is_global ? <Badge variant="light">Global</Badge> : null}
          </Group>
          <Text size="sm" c="dimmed" maw={720}>
            {policy.is_global ? (
              <Explained rules={["R-POL-1", "R-UNIT-8d"]}>
                The global policy applies wherever no other policy does, and sets every setting a
                custom policy leaves to it. Administrators restricted to administrative units can
                read it but not change it.
              </Explained>
            ) : (
              <Explained rules={["R-POL-1", "R-POL-2", "R-UNIT-8d"]}>
                This policy changes only the settings it sets; the others come from the next policy:
                on a group, the application&apos;s policy, then the global one. If it applies to
                applications or groups outside your administrative units, you cannot change it, but
                you can copy it and change the copy.
              </Explained>
            )}
          </Text>
        </div>
        <Group gap="sm">
          <CopyPolicy policy={policy} />
          {policy.is_global ? null : (
            <ConfirmDelete
              query={{ action: "policies:delete" }}
              label="Delete policy"
              icon={<IconTrash size={16} aria-hidden />}
              title={`Delete “${policy.name}”?`}
              explanation="The applications and groups it applies to go back to the next policy: an application to the global policy, a group to its application's policy."
              remove={() => api.delete(`/policies/${encodeURIComponent(policy.key)}`)}
              onDeleted={() => void queryClient.invalidateQueries({ queryKey: policyKeys.all })}
              doneMessage={`Policy “${policy.name}” deleted`}
              backTo="/policies"
            />
          )}
        </Group>
      </Group>

      {lockedByUnits ? (
        <Alert color="yellow" variant="light" title="Read-only to you">
          <Explained rules={["R-UNIT-8d"]}>{readOnlyBecause}</Explained>
        </Alert>
      ) : null}
      <Stack
        gap="md"
        component="form"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <RefusalBanner error={besideField ? null : save.error} />
        <TextInput
          label="Name"
          required
          maxLength={100}
          maw={480}
          readOnly={!mayEdit}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={error("name") ?? error("policy_name")}
        />
        <SectionsEditor
          isGlobal={policy.is_global}
          draft={draft}
          readOnly={!mayEdit}
          version={JSON.stringify(policy.sections)}
          error={error}
          onChange={(section, value) => {
            // An error speaks of the draft it was given: once the draft changes, it is gone.
            save.reset();
            setDraft((current) => {
              const next = { ...current };
              if (value === undefined) delete next[section];
              else (next as Record<string, unknown>)[section] = value;
              return next;
            });
          }}
        />
        <Group>
          <ActionButton
            query={{ action: "policies:update" }}
            variant="default"
            disabled={!changed || lockedByUnits}
            loading={preview.isPending}
            onClick={() => preview.mutate(pending())}
          >
            Preview impact
          </ActionButton>
          <ActionButton
            query={{ action: "policies:update" }}
            disabled={!changed || lockedByUnits}
            loading={save.isPending}
            onClick={() => save.mutate()}
          >
            Save policy
          </ActionButton>
        </Group>
        {changed && previewed ? (
          <PolicyImpactPreview impact={preview.data} error={preview.error} />
        ) : null}
      </Stack>

      {policy.is_global ? null : <PolicyPlacement policy={policy} />}
    </Stack>
  );
}

/** R-UNIT-8d: a copy applies nowhere, so a restricted admin may copy a policy they cannot edit. */
function CopyPolicy({ policy }: { policy: Policy }) {
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState(`Copy of ${policy.name}`);
  const copy = useMutation({
    mutationFn: () =>
      api.post<{ items: Policy[] }>(`/policies/${encodeURIComponent(policy.key)}/copy`, {
        names: [name],
      }),
    meta: { inline: true },
    onSuccess: ({ items: [created] }) => {
      void queryClient.invalidateQueries({ queryKey: policyKeys.all });
      setOpened(false);
      if (created) {
        notifyDone(`Policy “${created.name}” created`);
        navigate(policyPath(created.key));
      }
    },
  });
  const nameError =
    fieldError(copy.error, "names") ??
    fieldError(copy.error, "names.0") ??
    fieldError(copy.error, "policy_name") ??
    fieldError(copy.error, "new_policy_names_list");
  return (
    <>
      <ActionButton
        query={{ action: "policies:create" }}
        variant="default"
        leftSection={<IconCopy size={16} aria-hidden />}
        onClick={() => setOpened(true)}
      >
        Copy policy
      </ActionButton>
      <Modal opened={opened} onClose={() => setOpened(false)} title={`Copy “${policy.name}”`}>
        <Stack
          gap="sm"
          component="form"
          onSubmit={(event) => {
            event.preventDefault();
            copy.mutate();
          }}
        >
          <RefusalBanner error={nameError === undefined ? copy.error : null} />
          <Text size="sm">
            The copy has the same settings and applies nowhere until you apply it.
          </Text>
          <TextInput
            label="Name of the copy"
            required
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={nameError}
            data-autofocus
          />
          <DialogActions onCancel={() => setOpened(false)} label="Copy" loading={copy.isPending} />
        </Stack>
      </Modal>
    </>
  );
}
