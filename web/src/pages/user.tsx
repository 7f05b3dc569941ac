import { Group, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "wouter";
import { api } from "../api/client.js";
import type { DecisionQuery } from "../api/decisions.js";
import { ActionButton } from "../components/action-button.js";
import { ConfirmDelete } from "../components/confirm-delete.js";
import { Crumbs, DetailPage } from "../components/detail-page.js";
import { notifyDone } from "../components/refusal.js";
import { GROUPS_KEY } from "./group-api.js";
import { STATUS_LABELS, USERS_KEY, type User, type UserStatus, userKey } from "./user-api.js";
import { UserBypassCodes } from "./user-bypass-codes.js";
import { UserDetailsForm } from "./user-details.js";
import { SendEnrollmentEmail } from "./user-enrollment-email.js";
import { UserGroups } from "./user-groups.js";
import { UserPhones } from "./user-phones.js";
import { UserPolicy } from "./user-policy.js";
import { UserRememberedBrowsers } from "./user-remembered-browsers.js";
import { UserSecurityKeys } from "./user-security-keys.js";
import { StatusBadge } from "./user-status.js";
import { UserTokens } from "./user-tokens.js";

type SettableStatus = Extract<UserStatus, "active" | "bypass" | "disabled">;

interface StatusChange {
  to: SettableStatus;
  label: string;
  action: DecisionQuery["action"];
}

/**
 * The status changes offered from a status, each with the action the server will decide it by
 * (src/domain/users/update.ts statusAction): Locked Out → Active is an unlock, which Help Desk may
 * make (R-ROLE-3); Bypass has its own action (R-ROLE-4); every other change is users:set_status.
 */
function statusChanges(from: UserStatus): StatusChange[] {
  const changes: StatusChange[] = [];
  if (from === "locked out")
    changes.push({ to: "active", label: "Unlock", action: "users:unlock" });
  else if (from !== "active")
    changes.push({ to: "active", label: "Set Active", action: "users:set_status" });
  if (from !== "disabled")
    changes.push({ to: "disabled", label: "Disable", action: "users:set_status" });
  if (from !== "bypass")
    changes.push({ to: "bypass", label: "Set Bypass", action: "users:set_bypass" });
  return changes;
}

function StatusActions({ user }: { user: User }) {
  const client = useQueryClient();
  const change = useMutation({
    mutationFn: (to: SettableStatus) => api.patch<User>(`/users/${user.id}`, { status: to }),
    onSuccess: (updated) => {
      client.setQueryData(userKey(updated.id), updated);
      void client.invalidateQueries({ queryKey: USERS_KEY });
      notifyDone(`${updated.username} is now ${STATUS_LABELS[updated.status]}`);
    },
  });
  const object = { kind: "user", id: user.id } as const;
  return (
    <Group gap="sm">
      {statusChanges(user.status).map((item) => (
        <ActionButton
          key={item.label}
          variant="default"
          query={{ action: item.action, object }}
          loading={change.isPending && change.variables === item.to}
          onClick={() => change.mutate(item.to)}
        >
          {item.label}
        </ActionButton>
      ))}
    </Group>
  );
}

/** R-ROLE-2: Delete user (not Help Desk: R-ROLE-3), confirmed in a dialog. */
function DeleteUser({ user }: { user: User }) {
  const client = useQueryClient();
  return (
    <ConfirmDelete
      query={{ action: "users:delete", object: { kind: "user", id: user.id } }}
      label="Delete user"
      title={`Delete ${user.username}?`}
      explanation="The user, their group memberships and their bypass codes are removed. This cannot be undone."
      remove={() => api.delete(`/users/${user.id}`)}
      onDeleted={() => {
        client.removeQueries({ queryKey: userKey(user.id) });
        void client.invalidateQueries({ queryKey: USERS_KEY });
        void client.invalidateQueries({ queryKey: GROUPS_KEY });
      }}
      doneMessage={`User ${user.username} deleted`}
      backTo="/users"
    />
  );
}

/** One user: edit, status, groups, phones, hardware tokens, bypass codes, delete. Out of the admin's scope it is "not found" (R-UNIT-8a). */
export default function UserPage() {
  const { id = "" } = useParams<{ id: string }>();
  const user = useQuery({
    queryKey: userKey(id),
    queryFn: () => api.get<User>(`/users/${encodeURIComponent(id)}`),
  });
  return (
    <DetailPage
      query={user}
      back={<Crumbs href="/users" list="Users" current={user.data?.username ?? id} />}
      unavailable="This user is not available"
    >
      {(data) => (
        <>
          <Group justify="space-between" align="flex-start">
            <Group gap="sm">
              <Title order={2}>{data.username}</Title>
              <StatusBadge status={data.status} />
            </Group>
            <DeleteUser user={data} />
          </Group>
          <Group gap="sm" justify="space-between">
            <StatusActions user={data} />
            <SendEnrollmentEmail user={data} />
          </Group>
          <UserDetailsForm key={`${data.id}:${data.username}:${data.real_name}`} user={data} />
          <UserGroups user={data} />
          <UserPhones user={data} />
          <UserTokens user={data} />
          <UserSecurityKeys user={data} />
          <UserBypassCodes user={data} />
          <UserRememberedBrowsers user={data} />
          <UserPolicy user={data} />
        </>
      )}
    </DetailPage>
  );
}
