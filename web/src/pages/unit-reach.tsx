import {
  Badge,
  Button,
  Collapse,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { RefusalBanner } from "../components/refusal.js";
import { Explained, SentenceWithRules } from "../components/rule-link.js";
import {
  type AdminSummary,
  type Named,
  plural,
  type ScopePreview,
  usePreview,
} from "./unit-api.js";

/** One scope of the unit as the form holds it now, unsaved. */
export interface DraftScope {
  all: boolean;
  ids: readonly string[];
}

interface Reach {
  all: boolean;
  /** The names, sorted; every object of the account where `all`. */
  names: string[];
  /** The saved units' list was cut short (over 1000 names): the count is a lower bound. */
  partial: boolean;
}

/** The union of what an admin's other saved units give and this unit's draft scope (R-UNIT-4). */
function unite(saved: ScopePreview, draft: DraftScope, every: readonly Named[]): Reach {
  if (saved.all || draft.all)
    return { all: true, names: every.map((item) => item.name).sort(), partial: false };
  const names = new Map<string, string>();
  for (const item of saved.items ?? []) names.set(item.id, item.name);
  const byId = new Map(every.map((item) => [item.id, item.name]));
  for (const id of draft.ids) names.set(id, byId.get(id) ?? id);
  return { all: false, names: [...names.values()].sort(), partial: saved.truncated === true };
}

function countText(reach: Reach, noun: string): string {
  const text = plural(reach.names.length, noun);
  return reach.all ? `All ${text}` : reach.partial ? `at least ${text}` : text;
}

function NameList({ title, names }: { title: string; names: readonly string[] }) {
  return (
    <div>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      <Text size="sm" c={names.length === 0 ? "dimmed" : undefined}>
        {names.length === 0 ? "None" : names.join(", ")}
      </Text>
    </div>
  );
}

interface ReachProps {
  unitId: string | undefined;
  admins: readonly AdminSummary[];
  groups: DraftScope;
  applications: DraftScope;
  allGroups: readonly Named[];
  allApplications: readonly Named[];
}

/** One admin's row: their other saved units come from GET /api/units/preview, this unit from the form. */
function AdminReach(props: ReachProps & { admin: AdminSummary; details: boolean }) {
  const { admin, unitId } = props;
  const others = admin.unit_ids.filter((id) => id !== unitId).sort();
  const preview = usePreview(admin.id, others);
  const cells = (() => {
    if (preview.isPending) return null;
    if (preview.isError) return { error: preview.error } as const;
    const groups = unite(preview.data.groups, props.groups, props.allGroups);
    const applications = unite(
      preview.data.applications,
      props.applications,
      props.allApplications,
    );
    return { groups, applications, refusal: preview.data.refusal } as const;
  })();
  return (
    <Table.Tr data-testid={`reach-${admin.email}`}>
      <Table.Td>
        <Text size="sm">{admin.name}</Text>
        <Text size="xs" c="dimmed">
          {admin.email}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge variant="light">{admin.role}</Badge>
      </Table.Td>
      {cells === null ? (
        <Table.Td colSpan={2}>
          <Loader size="xs" aria-label={`Counting what ${admin.name} will manage`} />
        </Table.Td>
      ) : "error" in cells ? (
        <Table.Td colSpan={2}>
          <RefusalBanner error={cells.error} />
        </Table.Td>
      ) : (
        <Table.Td colSpan={2}>
          <Text size="sm">
            {countText(cells.groups, "group")} and {countText(cells.applications, "application")}
            {others.length > 0 ? ` (with ${plural(others.length, "other unit")})` : ""}
          </Text>
          {cells.refusal ? (
            <Text size="sm" c="red.8" role="alert">
              <SentenceWithRules
                text={`Saving will be refused: ${cells.refusal.reason}`}
                rules={[cells.refusal.rule]}
              />
            </Text>
          ) : null}
          <Collapse expanded={props.details}>
            <SimpleGrid cols={2} mt="xs">
              <NameList title="Groups" names={cells.groups.names} />
              <NameList title="Applications" names={cells.applications.names} />
            </SimpleGrid>
          </Collapse>
        </Table.Td>
      )}
    </Table.Tr>
  );
}

/**
 * R-UNIT-7: before saving, how many groups and applications each of the unit's admins will be able
 * to manage (this unit united with their other units, R-UNIT-4), and on request their names. It
 * follows the form as it changes, a moment after the last change.
 */
export function UnitReach(props: ReachProps) {
  const [details, { toggle }] = useDisclosure(false);
  const [draft] = useDebouncedValue(props, 300);
  const own = {
    groups: unite({ all: false, count: 0 }, draft.groups, draft.allGroups),
    applications: unite({ all: false, count: 0 }, draft.applications, draft.allApplications),
  };
  return (
    <Paper withBorder p="md" radius="md" data-testid="unit-reach">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            What the administrators will manage
          </Title>
          <Button variant="subtle" size="compact-sm" onClick={toggle} aria-expanded={details}>
            {details ? "Hide details" : "Show details"}
          </Button>
        </Group>
        <Text size="sm" aria-live="polite" data-testid="unit-reach-summary">
          This unit: {countText(own.groups, "group")} and{" "}
          {countText(own.applications, "application")}.
        </Text>
        {draft.admins.length === 0 ? (
          <>
            <Text size="sm" c="dimmed">
              <Explained rules={["R-UNIT-4"]}>
                No administrators assigned yet. Those you assign can then manage only what their
                units hold.
              </Explained>
            </Text>
            <Collapse expanded={details}>
              <SimpleGrid cols={2}>
                <NameList title="Groups" names={own.groups.names} />
                <NameList title="Applications" names={own.applications.names} />
              </SimpleGrid>
            </Collapse>
          </>
        ) : (
          <Table aria-label="What each administrator will manage" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Administrator</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th colSpan={2}>Will manage</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody aria-live="polite">
              {draft.admins.map((admin) => (
                <AdminReach key={admin.id} {...draft} admin={admin} details={details} />
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
