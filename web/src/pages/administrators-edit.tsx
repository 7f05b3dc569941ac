import {
  Button,
  Group,
  MultiSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Title,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { api } from "../api/client.js";
import { useSignedIn } from "../api/session.js";
import type { Role } from "../api/types.js";
import { ActionButton } from "../components/action-button.js";
import { type ModelChange, PreviewButton } from "../components/change-preview.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import {
  type Admin,
  adminKey,
  adminsKey,
  ROLES,
  useIsSubaccount,
  useUnitChoices,
} from "./administrators-api.js";
import { AccessTagsInput } from "./administrators-tags-input.js";

type SettableStatus = "Active" | "Disabled";

interface Draft {
  role: Role;
  subaccountRole: Role | null;
  tags: string[];
  restricted: boolean;
  unitIds: string[];
  status: Admin["status"];
}

const draftOf = (admin: Admin): Draft => ({
  role: admin.role,
  subaccountRole: admin.subaccount_role,
  tags: admin.tags,
  restricted: admin.restricted_by_units,
  unitIds: admin.unit_ids,
  status: admin.status,
});

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value) => b.includes(value));

/** The PATCH body and the preview's change: only what differs from the saved admin. */
function diff(admin: Admin, draft: Draft) {
  const body: {
    role?: Role;
    subaccount_role?: Role;
    tags?: string[];
    restricted?: boolean;
    unit_ids?: string[];
    status?: SettableStatus;
  } = {};
  const change: Extract<ModelChange, { kind: "admin" }> = { kind: "admin", adminId: admin.id };
  if (draft.role !== admin.role) body.role = change.role = draft.role;
  if (draft.subaccountRole !== null && draft.subaccountRole !== admin.subaccount_role)
    body.subaccount_role = change.subaccountRole = draft.subaccountRole;
  // R-TAG-1: tags compare case-sensitively.
  if (!sameSet(draft.tags, admin.tags)) body.tags = change.tags = draft.tags;
  if (draft.restricted !== admin.restricted_by_units)
    body.restricted = change.restricted = draft.restricted;
  if (draft.restricted && !sameSet(draft.unitIds, admin.unit_ids))
    body.unit_ids = change.unitIds = draft.unitIds;
  if (draft.status !== admin.status && (draft.status === "Active" || draft.status === "Disabled"))
    body.status = change.status = draft.status;
  return { body, change, changed: Object.keys(body).length > 0 };
}

/**
 * A new role, and the subaccount role the server would give with it (update.ts): Owner for an
 * Owner (R-SUB-2); a former Owner's follows the new role (R-SUB-3); otherwise the saved one stays.
 */
function roleChange(admin: Admin, role: Role): Pick<Draft, "role" | "subaccountRole"> {
  if (admin.subaccount_role === null) return { role, subaccountRole: null };
  if (role === "Owner") return { role, subaccountRole: "Owner" };
  return { role, subaccountRole: admin.role === "Owner" ? role : admin.subaccount_role };
}

const roleData = ROLES.map((role) => ({ value: role, label: role }));

/**
 * Edit Administrator's delegation: role, subaccount role, access tags, units and status
 * (R-ROLE-5, R-SUB-1..4, R-TAG-1, R-UNIT-4, R-ADM-1), with a Preview of who gains and who loses
 * access before Save (issue 8). The engine decides on save; a refusal shows its rule and reason.
 */
export function DelegationForm({ admin }: { admin: Admin }) {
  const client = useQueryClient();
  const session = useSignedIn();
  const parentLevel = useIsSubaccount() === false;
  const { units, allowed: unitsAllowed } = useUnitChoices();
  const [draft, setDraft] = useState<Draft>(() => draftOf(admin));
  const set = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));
  const { body, change, changed } = useMemo(() => diff(admin, draft), [admin, draft]);

  const save = useMutation({
    mutationFn: () => api.patch<Admin>(`/admins/${encodeURIComponent(admin.id)}`, body),
    meta: { inline: true },
    onSuccess: (saved) => {
      client.setQueryData(adminKey(session.account_id, saved.id), saved);
      void client.invalidateQueries({ queryKey: adminsKey(session.account_id), exact: true });
      // A tag taken from its last holder is gone from the list (R-TAG-3).
      void client.invalidateQueries({ queryKey: ["tags"] });
      setDraft(draftOf(saved));
      notifyDone(`${saved.email} was saved`);
    },
  });

  const owner = draft.role === "Owner";
  const settableStatus = admin.status === "Active" || admin.status === "Disabled";
  const unitData = useMemo(() => {
    const known = (units ?? []).map((unit) => ({ value: unit.id, label: unit.name }));
    // A unit the list does not name still shows, by id, rather than vanish from the selection.
    const missing = draft.unitIds
      .filter((id) => !known.some((unit) => unit.value === id))
      .map((id) => ({ value: id, label: id }));
    return [...known, ...missing];
  }, [units, draft.unitIds]);

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="delegation-title">
      <Stack gap="sm">
        <Title order={3} size="h4" id="delegation-title">
          Role and access
        </Title>
        <RefusalBanner error={save.error} title="The change was not saved" />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label="Role"
            data={roleData}
            value={draft.role}
            allowDeselect={false}
            onChange={(value) => value && set(roleChange(admin, value as Role))}
          />
          {parentLevel ? (
            <Select
              label="Subaccount role"
              description={
                owner ? (
                  <Explained rules={["R-SUB-2"]}>
                    An Owner is an Owner in every subaccount too.
                  </Explained>
                ) : (
                  <Explained rules={["R-SUB-1", "R-SUB-7"]}>
                    What they may do in every subaccount they can open. Choosing Owner here gives
                    them Owner rights in those subaccounts, never in this account.
                  </Explained>
                )
              }
              data={roleData}
              value={owner ? "Owner" : draft.subaccountRole}
              disabled={owner}
              allowDeselect={false}
              onChange={(value) => value && set({ subaccountRole: value as Role })}
            />
          ) : null}
          {settableStatus ? (
            <Select
              label="Status"
              description={
                <Explained rules={["R-ADM-1"]}>Only Active administrators can sign in.</Explained>
              }
              data={["Active", "Disabled"]}
              value={draft.status}
              allowDeselect={false}
              onChange={(value) => value && set({ status: value as SettableStatus })}
            />
          ) : (
            <Text size="sm">
              Status: {admin.status}.{" "}
              {admin.status === "Expired" ? (
                <Explained rules={["R-ADM-1"]}>
                  They were inactive too long. Clear their inactivity to let them sign in again.
                </Explained>
              ) : (
                <Explained rules={["R-ADM-2"]}>
                  They become Active when they open their activation link.
                </Explained>
              )}
            </Text>
          )}
        </SimpleGrid>
        {parentLevel ? (
          <AccessTagsInput value={draft.tags} onChange={(tags) => set({ tags })} />
        ) : null}
        {unitsAllowed || admin.restricted_by_units ? (
          <>
            <Switch
              label="Restricted by administrative units"
              description={
                owner ? (
                  <Explained rules={["R-UNIT-8h"]}>
                    Owners always reach every group and application.
                  </Explained>
                ) : (
                  <Explained rules={["R-UNIT-4", "R-UNIT-5"]}>
                    On: their role applies only to the groups and applications of their units. Off:
                    it applies to all of them.
                  </Explained>
                )
              }
              checked={draft.restricted}
              disabled={!unitsAllowed}
              onChange={(event) => set({ restricted: event.currentTarget.checked })}
            />
            {draft.restricted ? (
              <MultiSelect
                label="Administrative units"
                data={unitData}
                value={draft.unitIds}
                disabled={!unitsAllowed}
                onChange={(unitIds) => set({ unitIds })}
                searchable
                nothingFoundMessage="No unit by that name"
                description={
                  draft.unitIds.length === 0 ? (
                    <Explained rules={["R-UNIT-5"]}>
                      In no unit, they can open nothing but their own profile.
                    </Explained>
                  ) : undefined
                }
              />
            ) : null}
          </>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" disabled={!changed} onClick={() => setDraft(draftOf(admin))}>
            Reset
          </Button>
          <PreviewButton change={changed ? change : undefined} />
          <ActionButton
            query={{ action: "admins:update", object: { kind: "admin", id: admin.id } }}
            onClick={() => save.mutate()}
            loading={save.isPending}
            disabled={!changed}
          >
            Save
          </ActionButton>
        </Group>
      </Stack>
    </Paper>
  );
}
