import { Modal, Select, Stack, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import { fieldError, formError } from "../api/field-errors.js";
import { DialogActions } from "../components/dialog-actions.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import {
  GROUP_STATUS_LABELS,
  GROUPS_KEY,
  type Group as GroupRow,
  type GroupStatus,
  groupKey,
} from "./group-api.js";

const FIELDS = ["name", "description", "status"] as const;
const STATUSES = Object.entries(GROUP_STATUS_LABELS).map(([value, label]) => ({ value, label }));

/**
 * Add Group (no `group`) or Edit Group. A group a restricted admin creates joins their units
 * (R-UNIT-6); the server decides groups:create and groups:update.
 */
export function GroupFormDialog({
  group,
  opened,
  onClose,
  onSaved,
}: {
  group?: GroupRow;
  opened: boolean;
  onClose: () => void;
  onSaved?: (group: GroupRow) => void;
}) {
  const client = useQueryClient();
  const [name, setName] = useState(group?.name ?? "");
  const [description, setDescription] = useState(group?.description ?? "");
  const [status, setStatus] = useState<GroupStatus>(group?.status ?? "active");
  const save = useMutation({
    mutationFn: () =>
      group
        ? api.patch<GroupRow>(`/groups/${group.id}`, { name, description, status })
        : api.post<GroupRow>("/groups", { name, description, status }),
    meta: { inline: true },
    onSuccess: (saved) => {
      client.setQueryData(groupKey(saved.id), saved);
      void client.invalidateQueries({ queryKey: GROUPS_KEY });
      notifyDone(group ? `Group ${saved.name} saved` : `Group ${saved.name} added`);
      onClose();
      onSaved?.(saved);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={group ? "Edit Group" : "Add Group"}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <RefusalBanner error={formError(save.error, FIELDS)} />
          <TextInput
            label="Name"
            required
            data-autofocus
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={fieldError(save.error, "name")}
          />
          <Textarea
            label="Description"
            autosize
            minRows={2}
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
            error={fieldError(save.error, "description")}
          />
          <Select
            label="Status"
            data={STATUSES}
            value={status}
            onChange={(value) => value && setStatus(value as GroupStatus)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            error={fieldError(save.error, "status")}
          />
          <DialogActions
            onCancel={onClose}
            label={group ? "Save" : "Add Group"}
            loading={save.isPending}
            disabled={!name.trim()}
          />
        </Stack>
      </form>
    </Modal>
  );
}
