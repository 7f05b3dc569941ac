import { Button, Group, Paper, Stack, TagsInput, Textarea, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { api } from "../api/client.js";
import { useDecision } from "../api/decisions.js";
import { fieldError, formError } from "../api/field-errors.js";
import type { Action } from "../api/types.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { WhyLink } from "../components/why-link.js";
import { USERS_KEY, type User, userKey } from "./user-api.js";

const FIELDS = ["username", "aliases", "real_name", "email", "notes"] as const;

/**
 * Whether the engine lets the admin change one field of this user, asked with the same target the
 * server decides the PATCH by (the user as object: R-ROLE-3 field by field, R-UNIT-8a), and what
 * the field says when it may not: a "Why?" with the rule and reason.
 */
function useFieldAccess(action: Action, userId: string): { allowed: boolean; why: ReactNode } {
  const query = { action, object: { kind: "user", id: userId } } as const;
  const decision = useDecision(query);
  const allowed = decision.data?.allow === true;
  return {
    allowed,
    why:
      decision.data && !allowed ? (
        <Group gap={4} component="span">
          You may not change this.
          <WhyLink query={query} />
        </Group>
      ) : undefined,
  };
}

/** Edit User: each input is enabled only where the engine allows its action; the server decides again on save. */
export function UserDetailsForm({ user }: { user: User }) {
  const client = useQueryClient();
  const [username, setUsername] = useState(user.username);
  const [aliases, setAliases] = useState(user.aliases);
  const [realName, setRealName] = useState(user.real_name);
  const [email, setEmail] = useState(user.email ?? "");
  const [notes, setNotes] = useState(user.notes ?? "");
  const usernameAccess = useFieldAccess("users:update_username", user.id);
  const nameAccess = useFieldAccess("users:update_name", user.id);
  const emailAccess = useFieldAccess("users:update_email", user.id);
  const notesAccess = useFieldAccess("users:update_notes", user.id);

  const change: Record<string, string | string[]> = {};
  if (username !== user.username) change.username = username;
  if (aliases.join("\n") !== user.aliases.join("\n")) change.aliases = aliases;
  if (realName !== user.real_name) change.real_name = realName;
  if (user.email !== undefined && email !== user.email) change.email = email;
  if (user.notes !== undefined && notes !== user.notes) change.notes = notes;
  const dirty = Object.keys(change).length > 0;

  const save = useMutation({
    mutationFn: () => api.patch<User>(`/users/${user.id}`, change),
    meta: { inline: true },
    onSuccess: (updated) => {
      client.setQueryData(userKey(updated.id), updated);
      void client.invalidateQueries({ queryKey: USERS_KEY });
      notifyDone(`${updated.username} saved`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (dirty) save.mutate();
  };
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="user-details">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={3} size="h4" id="user-details">
            Details
          </Title>
          <RefusalBanner error={formError(save.error, FIELDS)} />
          <TextInput
            label="Username"
            required
            value={username}
            onChange={(event) => setUsername(event.currentTarget.value)}
            disabled={!usernameAccess.allowed}
            description={usernameAccess.why}
            error={fieldError(save.error, "username")}
          />
          <TagsInput
            label="Aliases"
            value={aliases}
            onChange={setAliases}
            maxTags={8}
            disabled={!usernameAccess.allowed}
            description={usernameAccess.why}
            error={fieldError(save.error, "aliases")}
          />
          <TextInput
            label="Full name"
            value={realName}
            onChange={(event) => setRealName(event.currentTarget.value)}
            disabled={!nameAccess.allowed}
            description={nameAccess.why}
            error={fieldError(save.error, "real_name")}
          />
          {user.email === undefined ? null : (
            <TextInput
              label="Email"
              type="email"
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              disabled={!emailAccess.allowed}
              description={emailAccess.why}
              error={fieldError(save.error, "email")}
            />
          )}
          {user.notes === undefined ? null : (
            <Textarea
              label="Notes"
              autosize
              minRows={2}
              value={notes}
              onChange={(event) => setNotes(event.currentTarget.value)}
              disabled={!notesAccess.allowed}
              description={notesAccess.why}
              error={fieldError(save.error, "notes")}
            />
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} disabled={!dirty}>
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
