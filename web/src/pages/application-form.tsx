import { Alert, Button, Group, Modal, Select, Stack, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import { fieldError, formError } from "../api/field-errors.js";
import { CopyField } from "../components/copy-field.js";
import { DialogActions } from "../components/dialog-actions.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import {
  APPLICATION_TYPE_LABELS,
  APPLICATION_TYPES,
  APPLICATIONS_KEY,
  type Application,
  applicationKey,
  type CreatedApplication,
  keyLabels,
} from "./application-api.js";
import { UnitSelect } from "./application-unit.js";

const FIELDS = ["type", "name", "notes", "greeting", "unit_id"] as const;

/** The types offered, by name with the type beside it; an application's own type even if not among them. */
function typeOptions(current: string) {
  const known: readonly string[] = APPLICATION_TYPES;
  const types = current && !known.includes(current) ? [...known, current] : known;
  return types.map((value) => {
    const label = APPLICATION_TYPE_LABELS[value as (typeof APPLICATION_TYPES)[number]];
    return { value, label: label ? `${label} (${value})` : value };
  });
}

/**
 * Protect an Application (no `application`) or edit one. The server decides: Admin API and
 * Accounts API types are the Owner's (R-ROLE-2); a restricted admin's new application joins one of
 * their units (R-UNIT-6), and an Owner may put it in one (R-UNIT-1). The secret key is shown once,
 * in the answer to the creation.
 */
export function ApplicationFormDialog({
  application,
  onClose,
  onCreated,
}: {
  application?: Application;
  onClose: () => void;
  onCreated?: (application: Application) => void;
}) {
  const client = useQueryClient();
  const [type, setType] = useState(application?.type ?? "");
  const [name, setName] = useState(application?.name ?? "");
  const [notes, setNotes] = useState(application?.notes ?? "");
  const [greeting, setGreeting] = useState(application?.greeting ?? "");
  const [unitId, setUnitId] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (): Promise<Application | CreatedApplication> =>
      application
        ? api.patch<Application>(`/applications/${application.id}`, { name, notes, greeting })
        : api.post<CreatedApplication>("/applications", {
            type,
            name,
            notes,
            greeting,
            ...(unitId ? { unit_id: unitId } : {}),
          }),
    meta: { inline: true },
    onSuccess: (saved) => {
      client.setQueryData(applicationKey(saved.id), saved);
      void client.invalidateQueries({ queryKey: APPLICATIONS_KEY });
      notifyDone(application ? `${saved.name} saved` : `${saved.name} protected`);
      if (application) onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const created = save.data && "secret_key" in save.data ? save.data : undefined;
  return (
    <Modal
      opened
      onClose={onClose}
      title={application ? "Edit Application" : "Protect an Application"}
    >
      {created ? (
        <Stack gap="sm">
          <Alert
            color="yellow"
            variant="light"
            title={`Copy the ${keyLabels(created.type).secret.toLowerCase()} now`}
          >
            It is shown only this once. Give the application these three values.
          </Alert>
          <CopyField
            label={keyLabels(created.type).key}
            value={created.id}
            testId="integration-key"
          />
          <CopyField
            label={keyLabels(created.type).secret}
            value={created.secret_key}
            testId="secret-key"
          />
          <CopyField label="API hostname" value={created.api_hostname} testId="api-hostname" />
          <Group justify="flex-end">
            <Button onClick={() => onCreated?.(created)}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <RefusalBanner error={formError(save.error, FIELDS)} />
            <Select
              label="Type"
              description="What kind of application this is. It cannot be changed later."
              placeholder="Choose a type"
              required
              data={typeOptions(type)}
              value={type || null}
              onChange={(value) => setType(value ?? "")}
              allowDeselect={false}
              searchable
              disabled={Boolean(application)}
              comboboxProps={{ withinPortal: true }}
              error={fieldError(save.error, "type")}
            />
            <TextInput
              label="Name"
              required
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={fieldError(save.error, "name")}
            />
            <Textarea
              label="Notes"
              autosize
              minRows={2}
              value={notes}
              onChange={(event) => setNotes(event.currentTarget.value)}
              error={fieldError(save.error, "notes")}
            />
            <TextInput
              label="Greeting"
              description="Shown to users when they are asked for a second factor."
              value={greeting}
              onChange={(event) => setGreeting(event.currentTarget.value)}
              error={fieldError(save.error, "greeting")}
            />
            {application ? null : (
              <UnitSelect
                value={unitId}
                onChange={setUnitId}
                error={fieldError(save.error, "unit_id")}
              />
            )}
            <DialogActions
              onCancel={onClose}
              label={application ? "Save" : "Protect"}
              loading={save.isPending}
              disabled={!name.trim() || !type.trim()}
            />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
