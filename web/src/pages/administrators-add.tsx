import {
  Alert,
  Button,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import { useSignedIn } from "../api/session.js";
import type { Role } from "../api/types.js";
import { DialogActions } from "../components/dialog-actions.js";
import { IN_DIALOG_COMBOBOX, IN_DIALOG_DROPDOWN_HEIGHT } from "../components/in-dialog.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import {
  type ActivationLink,
  type Admin,
  adminsKey,
  ROLES,
  useCurrentAccount,
  useIsSubaccount,
  useUnitChoices,
} from "./administrators-api.js";
import { ActivationEmailed, EmailLinkSwitch, useEmailLink } from "./administrators-email-link.js";
import { AccessTagsInput } from "./administrators-tags-input.js";

/** R-ADM-2: the activation link, shown once, with a copy button. */
export function ActivationLinkView({ link }: { link: ActivationLink }) {
  return (
    <Stack gap="xs" data-testid="activation-link">
      <TextInput label="Activation link" value={link.url} readOnly />
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Valid until {new Date(link.expires_at).toLocaleString()}. Send it to the administrator; it
          is not shown again.
        </Text>
        <CopyButton value={link.url}>
          {({ copied, copy }) => (
            <Button
              variant="light"
              color={copied ? "teal" : undefined}
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
            >
              {copied ? "Copied" : "Copy link"}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

const roleData = ROLES.map((role) => ({ value: role, label: role }));

/** `/administrators?add=1` opens Add Administrator (the subaccount page sends admins there). */
export const ADD_ADMINISTRATOR_SEARCH = "add=1";

interface Draft {
  name: string;
  email: string;
  role: Role;
  subaccountRole: Role | null;
  tags: string[];
  restricted: boolean;
  unitIds: string[];
  /** R-ADM-2: email the link; undefined: the default (on where the server sends email). */
  sendEmail?: boolean;
}

const EMPTY: Draft = {
  name: "",
  email: "",
  role: "Read-only",
  subaccountRole: null,
  tags: [],
  restricted: false,
  unitIds: [],
};

/** Add Administrator (R-ROLE-5): the server decides; its refusal shows in the dialog with its rule. */
export function AddAdministratorDialog({
  opened,
  onClose,
}: {
  opened: boolean;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const session = useSignedIn();
  const isSubaccount = useIsSubaccount();
  const account = useCurrentAccount();
  const parentLevel = isSubaccount === false;
  const { units, allowed: unitsAllowed } = useUnitChoices();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [created, setCreated] = useState<{ admin: Admin; activation: ActivationLink }>();
  const set = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));
  const emailLink = useEmailLink(draft.sendEmail);

  const add = useMutation({
    mutationFn: () =>
      api.post<{ admin: Admin; activation: ActivationLink }>("/admins", {
        name: draft.name.trim(),
        email: draft.email.trim(),
        role: draft.role,
        ...(parentLevel && draft.subaccountRole ? { subaccount_role: draft.subaccountRole } : {}),
        ...(parentLevel && draft.tags.length > 0 ? { tags: draft.tags } : {}),
        ...(draft.restricted ? { unit_ids: draft.unitIds } : {}),
        ...(emailLink ? { send_email: true } : {}),
      }),
    meta: { inline: true },
    onSuccess: (result) => {
      setCreated(result);
      void client.invalidateQueries({ queryKey: adminsKey(session.account_id) });
      notifyDone(`${result.admin.email} was added; they activate with the link`);
    },
  });

  const close = () => {
    onClose();
    setDraft(EMPTY);
    setCreated(undefined);
    add.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  const owner = draft.role === "Owner";
  const unitsMissing = draft.restricted && draft.unitIds.length === 0;

  return (
    <Modal opened={opened} onClose={close} title="Add Administrator" size="lg">
      {created ? (
        <Stack gap="md">
          <Alert color="teal" variant="light" title={`${created.admin.name} was added`}>
            <Explained rules={["R-ADM-2"]}>
              {created.admin.email} cannot sign in until they open their activation link and choose
              a password and an authenticator.
            </Explained>
          </Alert>
          {created.activation.emailed_to ? (
            <ActivationEmailed to={created.activation.emailed_to} link={created.activation} />
          ) : (
            <ActivationLinkView link={created.activation} />
          )}
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack gap="sm">
            <RefusalBanner error={add.error} />
            {isSubaccount && account ? (
              <Text size="sm" data-testid="adding-to">
                <Explained rules={["R-SUB-5"]}>
                  They will be an administrator of {account.name} only, with one role there.
                </Explained>
              </Text>
            ) : null}
            <TextInput
              label="Name"
              required
              value={draft.name}
              onChange={(event) => set({ name: event.currentTarget.value })}
              maxLength={100}
            />
            <TextInput
              label="Email"
              type="email"
              required
              value={draft.email}
              onChange={(event) => set({ email: event.currentTarget.value })}
            />
            <Select
              label="Role"
              data={roleData}
              value={draft.role}
              allowDeselect={false}
              onChange={(value) => value && set({ role: value as Role, restricted: false })}
              comboboxProps={{ withinPortal: true }}
            />
            {parentLevel ? (
              <>
                <Select
                  label="Subaccount role"
                  description={
                    owner ? (
                      <Explained rules={["R-SUB-2"]}>
                        An Owner is an Owner in every subaccount too.
                      </Explained>
                    ) : (
                      <Explained rules={["R-SUB-1", "R-SUB-3"]}>
                        What they may do in the subaccounts they can open. Left empty, it is the
                        same as their role.
                      </Explained>
                    )
                  }
                  placeholder={`Same as role (${draft.role})`}
                  data={roleData}
                  value={owner ? "Owner" : draft.subaccountRole}
                  disabled={owner}
                  clearable
                  clearButtonProps={{ "aria-label": "Same as role" }}
                  onChange={(value) => set({ subaccountRole: (value as Role | null) ?? null })}
                />
                <AccessTagsInput value={draft.tags} onChange={(tags) => set({ tags })} inDialog />
              </>
            ) : null}
            {unitsAllowed ? (
              <>
                <Switch
                  label="Restricted by administrative units"
                  description={
                    owner ? (
                      <Explained rules={["R-UNIT-8h"]}>
                        Owners always reach every group and application.
                      </Explained>
                    ) : (
                      <Explained rules={["R-UNIT-4"]}>
                        Their role then applies only to the groups and applications of their units.
                      </Explained>
                    )
                  }
                  checked={draft.restricted && !owner}
                  disabled={owner}
                  onChange={(event) => set({ restricted: event.currentTarget.checked })}
                />
                {draft.restricted && !owner ? (
                  <MultiSelect
                    label="Administrative units"
                    data={(units ?? []).map((unit) => ({ value: unit.id, label: unit.name }))}
                    value={draft.unitIds}
                    onChange={(unitIds) => set({ unitIds })}
                    searchable
                    nothingFoundMessage="No unit by that name"
                    error={unitsMissing ? "Choose at least one unit" : undefined}
                    maxDropdownHeight={IN_DIALOG_DROPDOWN_HEIGHT}
                    comboboxProps={IN_DIALOG_COMBOBOX}
                  />
                ) : null}
              </>
            ) : null}
            <EmailLinkSwitch checked={emailLink} onChange={(sendEmail) => set({ sendEmail })} />
            <DialogActions
              onCancel={close}
              label="Add Administrator"
              loading={add.isPending}
              disabled={unitsMissing}
              mt="sm"
            />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
