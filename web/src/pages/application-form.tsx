import {
  Alert,
  Autocomplete,
  Button,
  Code,
  Group,
  Modal,
  Stack,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import { fieldError, formError } from "../api/field-errors.js";
import { DialogActions } from "../components/dialog-actions.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import {
  APPLICATION_TYPES,
  APPLICATIONS_KEY,
  type Application,
  applicationKey,
  type CreatedApplication,
} from "./application-api.js";

const FIELDS = ["type", "name", "notes", "greeting"] as const;

/**
 * Protect an Application (no `application`) or edit one. The server decides: Admin API and
 * Accounts API types are the Owner's (R-ROLE-2); a restricted admin's new application joins their
 * units (R-UNIT-6). The secret key is shown once, in the answer to the creation.
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
  const save = useMutation({
    mutationFn: (): Promise<Application | CreatedApplication> =>
      application
        ? api.patch<Application>(`/applications/${application.id}`, { name, notes, greeting })
        : api.post<CreatedApplication>("/applications", { type, name, notes, greeting }),
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
          <Alert color="yellow" variant="light" title="Copy the secret key now">
            It is shown only this once.
          </Alert>
          <TextInput label="Integration key" value={created.id} readOnly />
          <Code block data-testid="secret-key">
            {created.secret_key}
          </Code>
          <Group justify="flex-end">
            <Button onClick={() => onCreated?.(created)}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <RefusalBanner error={formError(save.error, FIELDS)} />
            <Autocomplete
              label="Type"
              description="Lowercase letters, digits and hyphens, e.g. websdk."
              required
              data={[...APPLICATION_TYPES]}
              value={type}
              onChange={setType}
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
