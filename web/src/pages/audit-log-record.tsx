import { Modal, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import { TextWithRuleLinks } from "../components/rule-link.js";

/** One record of GET /api/audit-log (src/http/panel/audit-log.ts). */
export interface AuditRecord {
  id: string;
  created_at: string;
  account_id: string | null;
  actor: { kind: "admin" | "application" | "system"; id: string | null; name: string };
  action: string;
  object: { kind: string; id: string; name: string | null } | null;
  before: unknown;
  after: unknown;
  rule: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface Change {
  field: string;
  before: unknown;
  after: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The fields a record changed: before → after, one line each (a create has only "after"). */
export function changesOf(record: AuditRecord): Change[] {
  const { before, after } = record;
  if (!isRecord(before) && !isRecord(after))
    return before === null && after === null ? [] : [{ field: "value", before, after }];
  const was = isRecord(before) ? before : {};
  const is = isRecord(after) ? after : {};
  return [...new Set([...Object.keys(was), ...Object.keys(is)])].map((field) => ({
    field,
    before: was[field],
    after: is[field],
  }));
}

const OBJECT_ID = /^D[A-Z][0-9A-Z]{18}$/;

/** A value as the details table shows it: in full, lists joined. */
function show(value: unknown): string {
  if (value === undefined || value === null) return "—";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(show).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** A value as a table row shows it: a list of ids as its size, so one line stays readable. */
function brief(value: unknown): string {
  if (Array.isArray(value) && value.length > 0 && value.every((v) => OBJECT_ID.test(String(v))))
    return `${value.length} id${value.length === 1 ? "" : "s"}`;
  return show(value);
}

export function ChangeLines({ changes, max }: { changes: readonly Change[]; max?: number }) {
  if (changes.length === 0) return <Text size="xs">—</Text>;
  const shown = max === undefined ? changes : changes.slice(0, max);
  return (
    <Stack gap={0}>
      {shown.map((change) => (
        <Text size="xs" key={change.field} lineClamp={1}>
          <b>{change.field}</b>: {brief(change.before)} → {brief(change.after)}
        </Text>
      ))}
      {shown.length < changes.length ? (
        <Text size="xs" c="dimmed">
          and {changes.length - shown.length} more
        </Text>
      ) : null}
    </Stack>
  );
}

export function RecordDetails({
  record,
  onClose,
}: {
  record: AuditRecord | undefined;
  onClose: () => void;
}) {
  const changes = record ? changesOf(record) : [];
  return (
    <Modal opened={record !== undefined} onClose={onClose} title="Record details" size="lg">
      {record ? (
        <Stack gap="sm" data-testid="record-details">
          <SimpleGrid cols={2} spacing="xs">
            <Text size="sm">Time: {new Date(record.created_at).toLocaleString()}</Text>
            <Text size="sm">Action: {record.action}</Text>
            <Text size="sm">Actor: {record.actor.name}</Text>
            <Text size="sm">
              Object: {record.object ? `${record.object.kind} ${record.object.id}` : "—"}
            </Text>
            <Text size="sm">
              Rule: {record.rule ? <TextWithRuleLinks text={record.rule} /> : "—"}
            </Text>
            <Text size="sm">IP address: {record.ip ?? "—"}</Text>
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {record.user_agent ?? ""}
          </Text>
          <Table aria-label="Changed fields" withTableBorder fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Field</Table.Th>
                <Table.Th>Before</Table.Th>
                <Table.Th>After</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.map((change) => (
                <Table.Tr key={change.field}>
                  <Table.Td>{change.field}</Table.Td>
                  <Table.Td style={{ wordBreak: "break-word" }}>{show(change.before)}</Table.Td>
                  <Table.Td style={{ wordBreak: "break-word" }}>{show(change.after)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      ) : null}
    </Modal>
  );
}
