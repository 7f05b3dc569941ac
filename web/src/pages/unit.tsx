import {
  Anchor,
  Badge,
  Button,
  Divider,
  Group,
  MultiSelect,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { Link, useLocation, useParams } from "wouter";
import { api } from "../api/client.js";
import { fieldError } from "../api/field-errors.js";
import { type ModelChange, PreviewButton } from "../components/change-preview.js";
import { PageSkeleton } from "../components/page-skeleton.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import {
  ADMINS_KEY,
  type AdminSummary,
  type Unit,
  type UnitBody,
  unitKeys,
  useAdmins,
  useApplications,
  useGroups,
  useUnit,
  useUnits,
} from "./unit-api.js";
import { UnitDeleteDialog } from "./unit-delete.js";
import { UnitReach } from "./unit-reach.js";
import { ScopeField } from "./unit-scope.js";

const EMPTY: UnitBody = {
  name: "",
  description: "",
  all_groups: true,
  all_applications: true,
  group_ids: [],
  application_ids: [],
  admin_ids: [],
};

function bodyOf(unit: Unit | undefined): UnitBody {
  if (!unit) return EMPTY;
  const { name, description, all_groups, all_applications } = unit;
  return {
    name,
    description,
    all_groups,
    all_applications,
    group_ids: unit.group_ids,
    application_ids: unit.application_ids,
    admin_ids: unit.admin_ids,
  };
}

function AdminOption({ admin }: { admin: AdminSummary }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <div>
        <Text size="sm">{admin.name}</Text>
        <Text size="xs" c="dimmed">
          {admin.email}
        </Text>
      </div>
      <Badge variant="light" size="sm">
        {admin.role}
      </Badge>
    </Group>
  );
}

/**
 * Create or edit an administrative unit (R-UNIT-1, R-UNIT-2): name, description, administrators,
 * groups and applications, with what its administrators will manage shown live before saving
 * (R-UNIT-7), applications already in another unit unavailable (R-UNIT-3), and every refusal with
 * its rule and reason.
 */
function UnitForm({ unit }: { unit: Unit | undefined }) {
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const admins = useAdmins();
  const groups = useGroups();
  const applications = useApplications();
  const units = useUnits();
  const [draft, setDraft] = useState<UnitBody>(() => bodyOf(unit));
  const [deleting, setDeleting] = useState<Unit | undefined>(undefined);
  const set = <K extends keyof UnitBody>(key: K, value: UnitBody[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  // R-UNIT-3: an application in another unit cannot be picked here; the option says which unit.
  const taken = useMemo(() => {
    const map = new Map<string, string>();
    for (const other of units.data ?? [])
      if (other.id !== unit?.id)
        for (const id of other.application_ids)
          map.set(
            id,
            `Already in the unit "${other.name}": an application can be in one unit only`,
          );
    return map;
  }, [units.data, unit?.id]);

  const body: UnitBody = {
    ...draft,
    group_ids: draft.all_groups ? [] : draft.group_ids,
    application_ids: draft.all_applications ? [] : draft.application_ids,
  };
  const save = useMutation({
    mutationFn: () =>
      unit
        ? api.patch<Unit>(`/units/${encodeURIComponent(unit.id)}`, body)
        : api.post<Unit>("/units", body),
    meta: { inline: true },
    onSuccess: async (saved) => {
      notifyDone(`Unit "${saved.name}" saved`);
      await Promise.all([
        client.invalidateQueries({ queryKey: unitKeys.all }),
        client.invalidateQueries({ queryKey: ADMINS_KEY }),
      ]);
      navigate("/units");
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  const change: ModelChange | undefined = unit
    ? {
        kind: "unit",
        unitId: unit.id,
        allGroups: body.all_groups,
        allApplications: body.all_applications,
        groupIds: body.group_ids,
        applicationIds: body.application_ids,
        adminIds: body.admin_ids,
      }
    : undefined;
  const byId = new Map((admins.data ?? []).map((admin) => [admin.id, admin]));
  const chosen = draft.admin_ids.flatMap((id) => byId.get(id) ?? []);

  return (
    <form onSubmit={submit} aria-label={unit ? `Edit ${unit.name}` : "Create Administrative Unit"}>
      <Stack gap="lg">
        <Group justify="space-between">
          <Title order={2}>{unit ? unit.name : "Create Administrative Unit"}</Title>
          <Anchor component={Link} href="/units" size="sm">
            Back to Administrative Units
          </Anchor>
        </Group>
        <RefusalBanner error={save.error} title="The unit was not saved" />
        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <TextInput
              label="Administrative Unit Name"
              required
              maxLength={100}
              value={draft.name}
              onChange={(event) => set("name", event.currentTarget.value)}
              error={fieldError(save.error, "name")}
            />
            <Textarea
              label="Description"
              description="Optional"
              maxLength={500}
              autosize
              minRows={2}
              value={draft.description}
              onChange={(event) => set("description", event.currentTarget.value)}
              error={fieldError(save.error, "description")}
            />
          </Stack>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <Title order={3} size="h4">
              Administrators
            </Title>
            <MultiSelect
              label="Administrators in this unit"
              description={
                <Explained rules={["R-UNIT-4"]}>
                  Their role then applies only to the groups and applications of this unit and of
                  their other units.
                </Explained>
              }
              placeholder={admins.data ? "Search administrators by name or email" : "Loading…"}
              data={(admins.data ?? []).map((admin) => ({
                value: admin.id,
                label: `${admin.name} (${admin.email})`,
              }))}
              value={draft.admin_ids}
              onChange={(ids) => set("admin_ids", ids)}
              searchable
              clearable
              limit={100}
              nothingFoundMessage="No administrator matches"
              disabled={!admins.data}
              error={fieldError(save.error, "admin_ids")}
              comboboxProps={{ withinPortal: true }}
              renderOption={({ option }) => {
                const admin = byId.get(option.value);
                return admin ? <AdminOption admin={admin} /> : option.label;
              }}
            />
            <RefusalBanner error={admins.error} title="The administrators could not be listed" />
          </Stack>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Stack gap="md">
            <Title order={3} size="h4">
              Assignments
            </Title>
            <ScopeField
              kind="groups"
              all={draft.all_groups}
              onAllChange={(all) => set("all_groups", all)}
              ids={draft.group_ids}
              onIdsChange={(ids) => set("group_ids", ids)}
              options={groups.data}
              error={fieldError(save.error, "group_ids")}
            />
            <RefusalBanner error={groups.error} title="The groups could not be listed" />
            <Divider />
            <ScopeField
              kind="applications"
              all={draft.all_applications}
              onAllChange={(all) => set("all_applications", all)}
              ids={draft.application_ids}
              onIdsChange={(ids) => set("application_ids", ids)}
              options={applications.data}
              unavailable={taken}
              error={fieldError(save.error, "application_ids")}
            />
            <RefusalBanner
              error={applications.error}
              title="The applications could not be listed"
            />
          </Stack>
        </Paper>
        <UnitReach
          unitId={unit?.id}
          admins={chosen}
          groups={{ all: draft.all_groups, ids: draft.group_ids }}
          applications={{ all: draft.all_applications, ids: draft.application_ids }}
          allGroups={groups.data ?? []}
          allApplications={applications.data ?? []}
        />
        <Group justify="space-between">
          {unit ? (
            <Button color="red" variant="outline" onClick={() => setDeleting(unit)}>
              Delete unit
            </Button>
          ) : (
            <span />
          )}
          <Group gap="sm">
            {/* The preview simulates a saved unit; a new one has nothing to compare yet. */}
            {change ? <PreviewButton change={change} /> : null}
            <Button variant="default" component={Link} href="/units">
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save Administrative Unit
            </Button>
          </Group>
        </Group>
      </Stack>
      <UnitDeleteDialog
        unit={deleting}
        admins={admins.data}
        onClose={() => setDeleting(undefined)}
        onDeleted={() => navigate("/units")}
      />
    </form>
  );
}

/** "/units/new" and "/units/:id": the unit's form, once the saved unit (if any) is in. */
export default function UnitPage() {
  const { id } = useParams<{ id?: string }>();
  const unit = useUnit(id);
  if (id === undefined) return <UnitForm unit={undefined} />;
  if (unit.isPending) return <PageSkeleton />;
  if (unit.isError)
    return <RefusalBanner error={unit.error} title="The unit could not be opened" />;
  return <UnitForm key={unit.data.id} unit={unit.data} />;
}
