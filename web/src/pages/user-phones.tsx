import {
  Badge,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import { useDecision } from "../api/decisions.js";
import { fieldError, formError } from "../api/field-errors.js";
import type { Page } from "../api/pages.js";
import { ActionButton } from "../components/action-button.js";
import { DialogActions } from "../components/dialog-actions.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { WhyLink } from "../components/why-link.js";
import {
  PHONE_TYPE_CHOICES,
  type Phone,
  type PhoneFields,
  PLATFORM_CHOICES,
  phoneLabel,
  phonesKey,
} from "./device-api.js";
import type { User } from "./user-api.js";
import { RemoveDevice } from "./user-device-remove.js";
import { SetUpAuthenticatorApp } from "./user-phone-activation.js";

const FIELDS = ["number", "extension", "name", "type", "platform"] as const;
const NEW_PHONE: PhoneFields = {
  number: "",
  extension: "",
  name: "",
  type: "Mobile",
  platform: "Unknown",
};

/** Add or edit a phone: the server checks the number (E.164) and says which field is wrong. */
function PhoneDialog({ user, phone, onClose }: { user: User; phone?: Phone; onClose: () => void }) {
  const client = useQueryClient();
  const [fields, setFields] = useState<PhoneFields>(phone ?? NEW_PHONE);
  const set = (field: keyof PhoneFields) => (value: string | null) =>
    setFields((current) => ({ ...current, [field]: value ?? "" }));
  const save = useMutation({
    mutationFn: () => {
      const body = Object.fromEntries(FIELDS.map((field) => [field, fields[field]]));
      return phone
        ? api.patch<Phone>(`/phones/${phone.id}`, body)
        : api.post<Phone>(`/users/${user.id}/phones`, body);
    },
    meta: { inline: true },
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: phonesKey(user.id) });
      notifyDone(`${phoneLabel(saved)} ${phone ? "saved" : `added to ${user.username}`}`);
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <RefusalBanner error={formError(save.error, FIELDS)} />
        <TextInput
          label="Phone number"
          description="In international form, e.g. +15551230000. Leave empty for a tablet."
          value={fields.number}
          onChange={(event) => set("number")(event.currentTarget.value)}
          error={fieldError(save.error, "number")}
          data-autofocus
        />
        <TextInput
          label="Extension"
          value={fields.extension}
          onChange={(event) => set("extension")(event.currentTarget.value)}
          error={fieldError(save.error, "extension")}
        />
        <TextInput
          label="Name"
          description="How the user recognises it, e.g. Work phone."
          value={fields.name}
          onChange={(event) => set("name")(event.currentTarget.value)}
          error={fieldError(save.error, "name")}
        />
        <Select
          label="Type"
          data={PHONE_TYPE_CHOICES}
          value={fields.type}
          onChange={set("type")}
          allowDeselect={false}
          error={fieldError(save.error, "type")}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label="Platform"
          data={PLATFORM_CHOICES}
          value={fields.platform}
          onChange={set("platform")}
          allowDeselect={false}
          error={fieldError(save.error, "platform")}
          comboboxProps={{ withinPortal: true }}
        />
        <DialogActions
          onCancel={onClose}
          label={phone ? "Save phone" : "Add phone"}
          loading={save.isPending}
        />
      </Stack>
    </form>
  );
}

function PhoneRow({ user, phone }: { user: User; phone: Phone }) {
  const client = useQueryClient();
  const [editing, { open, close }] = useDisclosure(false);
  const object = { kind: "user", id: user.id } as const;
  const label = phoneLabel(phone);
  return (
    <Table.Tr>
      <Table.Td>{label}</Table.Td>
      <Table.Td>{phone.name}</Table.Td>
      <Table.Td>{phone.type}</Table.Td>
      <Table.Td>{phone.platform}</Table.Td>
      <Table.Td>
        <Badge color={phone.activated ? "teal" : "gray"} variant="light">
          {phone.activated ? "Set up" : "Not set up"}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Group justify="flex-end" gap="xs">
          <SetUpAuthenticatorApp user={user} phone={phone} />
          <ActionButton
            size="xs"
            variant="default"
            query={{ action: "phones:update", object }}
            onClick={open}
          >
            {`Edit ${label}`}
          </ActionButton>
          <RemoveDevice
            user={user}
            noun="phone"
            name={label}
            linkPath={`/users/${user.id}/phones/${phone.id}`}
            devicePath={`/phones/${phone.id}`}
            otherUsers={phone.users.filter((other) => other.id !== user.id)}
            query={{ action: "phones:delete", object }}
            onRemoved={() => void client.invalidateQueries({ queryKey: phonesKey(user.id) })}
          />
        </Group>
        <Modal opened={editing} onClose={close} title={`Edit ${label}`}>
          {editing ? <PhoneDialog user={user} phone={phone} onClose={close} /> : null}
        </Modal>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * A user's phones (R-ROLE-2 "Manage 2FA devices"): Help Desk adds, edits and removes them
 * (R-ROLE-3); an Application Manager sees no phone numbers (R-ROLE-3), so the list is not even
 * asked for; a restricted admin reaches only their units' users (R-UNIT-8f).
 */
export function UserPhones({ user }: { user: User }) {
  const [adding, { open, close }] = useDisclosure(false);
  const object = { kind: "user", id: user.id } as const;
  const viewQuery = { action: "phones:view", object } as const;
  const mayView = useDecision(viewQuery);
  const allowed = mayView.data?.allow === true;
  const phones = useQuery({
    queryKey: phonesKey(user.id),
    queryFn: () => api.get<Page<Phone>>(`/users/${user.id}/phones?limit=100`),
    enabled: allowed,
  });
  const items = phones.data?.items ?? [];
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="user-phones">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4" id="user-phones">
            Phones
          </Title>
          {allowed ? (
            <ActionButton
              variant="default"
              query={{ action: "phones:create", object }}
              onClick={open}
            >
              Add phone
            </ActionButton>
          ) : null}
        </Group>
        {mayView.isPending ? null : !allowed ? (
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              Your role does not show phone numbers.
            </Text>
            <WhyLink query={viewQuery} />
          </Group>
        ) : phones.isError ? (
          <RefusalBanner error={phones.error} title="The phones are not available" />
        ) : phones.isSuccess && items.length === 0 ? (
          <Text size="sm" c="dimmed">
            No phones.
          </Text>
        ) : (
          <Table aria-labelledby="user-phones" data-testid="user-phones">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Number</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Platform</Table.Th>
                <Table.Th>Authenticator app</Table.Th>
                <Table.Th style={{ textAlign: "right" }}>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((phone) => (
                <PhoneRow key={phone.id} user={user} phone={phone} />
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      <Modal opened={adding} onClose={close} title={`Add a phone for ${user.username}`}>
        {adding ? <PhoneDialog user={user} onClose={close} /> : null}
      </Modal>
    </Paper>
  );
}
