import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconAlertTriangle, IconEye } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import type { JSX } from "react";
import type {
  AccessDelta,
  ModelChange,
  ScopeDelta,
  Simulation,
} from "../../../src/authz/simulate.js";
import type { AdminStatus } from "../../../src/authz/vocabulary.js";
import { api } from "../api/client.js";
import { useDecision } from "../api/decisions.js";
import { RefusalBanner } from "./refusal.js";

/**
 * The preview's change (POST /api/simulate's `change`) and answer are the engine's own types:
 * the route's schema (ModelChangeSchema in src/http/panel/explain.ts) is them field for field.
 */
export type {
  AccessDelta,
  ModelChange,
  ScopeDelta,
  Simulation,
} from "../../../src/authz/simulate.js";

/**
 * R-SUM-1 Decision (issue 13 item 6): the preview's access is what each admin is configured to
 * have, whatever their status; beside an admin who is not Active the panel says when it applies,
 * so a pending admin's new tag reads "will gain access on activation", not "nothing changes".
 */
const APPLIES_ONCE: Record<Exclude<AdminStatus, "Active">, string> = {
  "Pending Activation": "applies once they activate",
  Disabled: "applies once they are enabled again",
  Expired: "applies once they are reactivated",
};

/** Beside the admin's email: when their access applies, or how their status changes; nothing when Active. */
function StatusNote({ before, after }: { before: AdminStatus; after: AdminStatus }) {
  if (before === "Active" && after === "Active") return null;
  const words =
    before === after && after !== "Active"
      ? `${after}: ${APPLIES_ONCE[after]}`
      : `${before} → ${after}`;
  return (
    <Text span size="xs" c="dimmed">
      {" "}
      ({words})
    </Text>
  );
}

/** The action the /simulate route declares (src/http/panel/explain.ts): Owners at the parent (R-SUB-4). */
const SIMULATE_ACTION = "tags:manage" as const;

function DeltaTable({
  title,
  deltas,
  color,
}: {
  title: string;
  deltas: readonly AccessDelta[];
  color: string;
}) {
  if (deltas.length === 0) return null;
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Title order={3} size="h5">
          {title}
        </Title>
        <Badge color={color} variant="light">
          {deltas.length}
        </Badge>
      </Group>
      <Table aria-label={title} withTableBorder verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Administrator</Table.Th>
            <Table.Th>Account</Table.Th>
            <Table.Th>Before</Table.Th>
            <Table.Th>After</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {deltas.map((delta) => (
            <Table.Tr key={`${delta.adminId}/${delta.accountId}`}>
              <Table.Td>
                {delta.email}
                <StatusNote before={delta.statusBefore} after={delta.status} />
              </Table.Td>
              <Table.Td>{delta.accountName}</Table.Td>
              <Table.Td>{delta.before ?? "No access"}</Table.Td>
              <Table.Td>{delta.after ?? "No access"}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

const scopeCount = (ids: readonly string[]) => (ids.includes("*") ? "all" : String(ids.length));

function ScopeTable({ scopes }: { scopes: readonly ScopeDelta[] }) {
  if (scopes.length === 0) return null;
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        Unit scope changes
      </Title>
      <Table aria-label="Unit scope changes" withTableBorder verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Administrator</Table.Th>
            <Table.Th>Groups</Table.Th>
            <Table.Th>Applications</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {scopes.map((scope) => (
            <Table.Tr key={scope.adminId}>
              <Table.Td>
                {scope.email}
                <StatusNote before={scope.status} after={scope.status} />
              </Table.Td>
              <Table.Td>
                {scopeCount(scope.groups.before)} → {scopeCount(scope.groups.after)}
              </Table.Td>
              <Table.Td>
                {scopeCount(scope.applications.before)} → {scopeCount(scope.applications.after)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function SimulationView({ simulation }: { simulation: Simulation }) {
  const nothing =
    simulation.gains.length +
      simulation.losses.length +
      simulation.changes.length +
      simulation.scopes.length ===
    0;
  return (
    <Stack gap="md" data-testid="simulation">
      {simulation.warnings.length > 0 ? (
        <Alert
          color="orange"
          variant="light"
          title="Warnings"
          icon={<IconAlertTriangle aria-hidden />}
        >
          <List size="sm">
            {simulation.warnings.map((warning) => (
              <List.Item key={warning}>{warning}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      {nothing ? (
        <Text size="sm">Nobody gains or loses access, and no role or unit scope changes.</Text>
      ) : null}
      <DeltaTable title="Who loses access" deltas={simulation.losses} color="red" />
      <DeltaTable title="Who gains access" deltas={simulation.gains} color="teal" />
      <DeltaTable title="Whose role changes" deltas={simulation.changes} color="blue" />
      <ScopeTable scopes={simulation.scopes} />
    </Stack>
  );
}

/**
 * "Preview" before saving a role, tag, unit or edition change (issue 8): who gains and who loses
 * access, whose role changes in which account, unit scope changes and warnings, as the engine
 * computes them on a copy of the model (POST /api/simulate). Offered only when the engine allows
 * the route's action to the signed-in admin; renders nothing otherwise.
 */
export function PreviewButton(props: {
  change: ModelChange | undefined;
  disabled?: boolean;
}): JSX.Element | null {
  const { change, disabled } = props;
  const [opened, { open, close }] = useDisclosure(false);
  const decision = useDecision({ action: SIMULATE_ACTION });
  const simulation = useQuery({
    queryKey: ["simulate", change] as const,
    queryFn: () => api.post<Simulation>("/simulate", { change }),
    enabled: opened && change !== undefined,
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
  if (decision.data?.allow !== true) return null;
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconEye size={16} aria-hidden />}
        disabled={disabled || change === undefined}
        onClick={open}
      >
        Preview
      </Button>
      <Modal opened={opened} onClose={close} title="Preview of the change" size="xl">
        {simulation.isPending ? (
          <Group gap="xs" aria-busy="true">
            <Loader size="sm" />
            <Text size="sm">Computing who gains and who loses access…</Text>
          </Group>
        ) : simulation.isError ? (
          <RefusalBanner error={simulation.error} title="The preview was refused" />
        ) : (
          <SimulationView simulation={simulation.data} />
        )}
        <Group justify="flex-end" mt="md">
          <Button onClick={close}>Close</Button>
        </Group>
      </Modal>
    </>
  );
}
