import { Modal, MultiSelect, Stack, TagsInput, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ApiError, api } from "../api/client.js";
import { useDecision } from "../api/decisions.js";
import { fieldError, formError } from "../api/field-errors.js";
import { rowsOf } from "../api/pages.js";
import { DialogActions } from "../components/dialog-actions.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { GROUPS_KEY, useGroupPages } from "./group-api.js";
import { USERS_KEY, type User } from "./user-api.js";

const FIELDS = ["username", "real_name", "email", "aliases", "group_ids"] as const;

/**
 * Add User, with the fields POST /api/users takes. The group picker lists GET /api/groups, which
 * for an admin restricted by units holds only their units' groups; such an admin must choose at
 * least one (R-UNIT-8a); the engine's explanation of users:create says whether they are restricted.
 */
export function AddUserDialog({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (user: User) => void;
}) {
  const client = useQueryClient();
  const [username, setUsername] = useState("");
  const [realName, setRealName] = useState("");
  const [email, setEmail] = useState("");
  const [aliases, setAliases] = useState<string[]>([]);
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const [groupsMissing, setGroupsMissing] = useState(false);
  const groups = useGroupPages("", 500);
  const decision = useDecision({ action: "users:create" }, opened);
  const restricted = decision.data?.restricted_to_units ?? false;

  const reset = () => {
    setUsername("");
    setRealName("");
    setEmail("");
    setAliases([]);
    setGroupIds([]);
    setGroupsMissing(false);
    create.reset();
  };
  const create = useMutation({
    mutationFn: () =>
      api.post<User>("/users", {
        username,
        real_name: realName,
        ...(email ? { email } : {}),
        ...(aliases.length ? { aliases } : {}),
        ...(groupIds.length ? { group_ids: groupIds } : {}),
      }),
    meta: { inline: true },
    onSuccess: (user) => {
      void client.invalidateQueries({ queryKey: USERS_KEY });
      void client.invalidateQueries({ queryKey: GROUPS_KEY });
      notifyDone(`User ${user.username} added`);
      reset();
      onClose();
      onCreated(user);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (restricted && groupIds.length === 0) {
      setGroupsMissing(true);
      return;
    }
    create.mutate();
  };
  const scopeRefusal =
    create.error instanceof ApiError && create.error.rule === "R-UNIT-8a"
      ? create.error.message
      : undefined;
  const groupError =
    (groupsMissing ? "Choose at least one group of your administrative units." : undefined) ??
    scopeRefusal ??
    fieldError(create.error, "group_ids");
  const cancel = () => {
    reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={cancel} title="Add User">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <RefusalBanner error={formError(create.error, FIELDS)} />
          <TextInput
            label="Username"
            required
            data-autofocus
            value={username}
            onChange={(event) => setUsername(event.currentTarget.value)}
            error={fieldError(create.error, "username")}
          />
          <TextInput
            label="Full name"
            value={realName}
            onChange={(event) => setRealName(event.currentTarget.value)}
            error={fieldError(create.error, "real_name")}
          />
          <TextInput
            label="Email"
            type="email"
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={fieldError(create.error, "email")}
          />
          <TagsInput
            label="Aliases"
            description="Other usernames the user may sign in with; press Enter after each."
            value={aliases}
            onChange={setAliases}
            maxTags={8}
            error={fieldError(create.error, "aliases")}
          />
          <MultiSelect
            label="Groups"
            description={
              restricted
                ? "You manage users through your administrative units: choose at least one of their groups."
                : undefined
            }
            required={restricted}
            placeholder={groupIds.length ? undefined : "Choose groups"}
            data={(rowsOf(groups.data) ?? []).map((group) => ({
              value: group.id,
              label: group.name,
            }))}
            value={groupIds}
            onChange={(ids) => {
              setGroupIds(ids);
              setGroupsMissing(false);
            }}
            searchable
            nothingFoundMessage="No group"
            error={groupError}
            comboboxProps={{ withinPortal: true }}
          />
          <DialogActions
            onCancel={cancel}
            label="Add User"
            loading={create.isPending}
            disabled={!username.trim()}
          />
        </Stack>
      </form>
    </Modal>
  );
}
