import {
  Autocomplete,
  Badge,
  Button,
  Code,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconDownload } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { api, queryString } from "../api/client.js";
import { rowsOf, usePagedList } from "../api/pages.js";
import { useSignedIn } from "../api/session.js";
import type { Switcher } from "../api/types.js";
import { SWITCHER_KEY } from "../components/account-switcher.js";
import { type DataColumn, DataTable } from "../components/data-table.js";
import { LoadMore } from "../components/load-more.js";
import { RefusalBanner } from "../components/refusal.js";
import { type AuditRecord, ChangeLines, changesOf, RecordDetails } from "./audit-log-record.js";

interface Filters {
  from: string;
  to: string;
  action: string;
  actor: string;
  object: string;
  account: string;
}
const NO_FILTERS: Filters = { from: "", to: "", action: "", actor: "", object: "", account: "" };
const ACTION_NAME = /^[a-z][a-z0-9_]*$/;
const PAGE_SIZE = 50;

/** The API's filter: days as local midnights, "to" inclusive of its day (the API's is exclusive). */
function apiFilter(filters: Filters, sessionAccount: string): Record<string, string | undefined> {
  const midnight = (day: string, plusDays = 0) => {
    const time = new Date(`${day}T00:00:00`);
    if (Number.isNaN(time.getTime())) return undefined;
    time.setDate(time.getDate() + plusDays);
    return time.toISOString();
  };
  return {
    from: filters.from ? midnight(filters.from) : undefined,
    to: filters.to ? midnight(filters.to, 1) : undefined,
    action: ACTION_NAME.test(filters.action) ? filters.action : undefined,
    actor: filters.actor.trim() || undefined,
    object: filters.object.trim() || undefined,
    account: filters.account && filters.account !== sessionAccount ? filters.account : undefined,
  };
}

/**
 * The Administrator Actions log (R-AUD-1; a restricted admin sees actions on in-scope objects only,
 * R-UNIT-8g): filters by time, action, actor, object and account, newest first, more on request
 * (keyset paging), each record's changed fields, and the same filter as a CSV download.
 */
export default function AuditLogPage() {
  const session = useSignedIn();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [debounced] = useDebouncedValue(filters, 400);
  const [open, setOpen] = useState<AuditRecord | undefined>(undefined);
  const [seenActions, setSeenActions] = useState<ReadonlySet<string>>(new Set());
  const set = (key: keyof Filters) => (value: string) =>
    setFilters((current) => ({ ...current, [key]: value }));

  const filter = apiFilter(debounced, session.account_id);
  const log = usePagedList<AuditRecord>(
    ["audit-log", session.account_id, filter],
    "/audit-log",
    { ...filter, limit: PAGE_SIZE },
    { keepPrevious: true },
  );
  const switcher = useQuery({
    queryKey: SWITCHER_KEY,
    queryFn: () => api.get<Switcher>("/switcher"),
  });
  const accountNames = new Map((switcher.data?.accounts ?? []).map((a) => [a.id, a.name]));
  const rows = useMemo(() => rowsOf(log.data), [log.data]);

  // The action filter suggests the actions seen so far (the API filters by exact name).
  useEffect(() => {
    if (!rows?.some((row) => !seenActions.has(row.action))) return;
    setSeenActions((seen) => new Set([...seen, ...rows.map((row) => row.action)]));
  }, [rows, seenActions]);

  const columns: DataColumn<AuditRecord>[] = [
    {
      id: "time",
      header: "Time",
      width: "170px",
      cell: (row) => <Text size="sm">{new Date(row.created_at).toLocaleString()}</Text>,
    },
    {
      id: "actor",
      header: "Actor",
      cell: (row) => (
        <Group gap={4} wrap="nowrap">
          <Text size="sm">{row.actor.name}</Text>
          {row.actor.kind === "admin" ? null : (
            <Badge size="xs" variant="light" color="gray">
              {row.actor.kind}
            </Badge>
          )}
        </Group>
      ),
    },
    { id: "action", header: "Action", cell: (row) => <Code>{row.action}</Code> },
    {
      id: "object",
      header: "Object",
      cell: (row) =>
        row.object ? (
          <Text size="sm">
            {row.object.name ?? row.object.id}{" "}
            <Text span size="xs" c="dimmed">
              ({row.object.kind})
            </Text>
          </Text>
        ) : (
          "—"
        ),
    },
    {
      id: "account",
      header: "Account",
      cell: (row) => (row.account_id ? (accountNames.get(row.account_id) ?? row.account_id) : "—"),
    },
    {
      id: "changes",
      header: "Changed fields",
      width: "34%",
      cell: (row) => <ChangeLines changes={changesOf(row)} max={4} />,
    },
    {
      id: "details",
      header: "Details",
      align: "right",
      cell: (row) => (
        <Button
          size="compact-xs"
          variant="default"
          onClick={() => setOpen(row)}
          aria-label={`Details of ${row.action} at ${new Date(row.created_at).toLocaleString()}`}
        >
          Details
        </Button>
      ),
    },
  ];

  const actionInvalid = filters.action !== "" && !ACTION_NAME.test(filters.action);
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Administrator Actions</Title>
        <Button
          component="a"
          href={`/api/audit-log.csv${queryString(filter)}`}
          download
          variant="default"
          leftSection={<IconDownload size={16} aria-hidden />}
        >
          Export CSV
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3, lg: 6 }} spacing="sm">
        <TextInput
          label="From"
          type="date"
          value={filters.from}
          onChange={(e) => set("from")(e.currentTarget.value)}
        />
        <TextInput
          label="To"
          type="date"
          value={filters.to}
          onChange={(e) => set("to")(e.currentTarget.value)}
        />
        <Autocomplete
          label="Action"
          placeholder="e.g. admin_unit_update"
          data={[...seenActions].sort()}
          value={filters.action}
          onChange={set("action")}
          error={actionInvalid ? "Lower-case letters, digits and _" : undefined}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          label="Actor"
          placeholder="Email or admin id"
          value={filters.actor}
          onChange={(e) => set("actor")(e.currentTarget.value)}
        />
        <TextInput
          label="Object id"
          placeholder="e.g. DN…"
          value={filters.object}
          onChange={(e) => set("object")(e.currentTarget.value)}
        />
        <Select
          label="Account"
          data={(switcher.data?.accounts ?? []).map((a) => ({ value: a.id, label: a.name }))}
          value={filters.account || session.account_id}
          onChange={(value) => set("account")(value ?? "")}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
      </SimpleGrid>
      {log.isError ? (
        <RefusalBanner error={log.error} title="The log could not be read" />
      ) : (
        <DataTable
          label="Administrator actions"
          columns={columns}
          rows={rows}
          rowKey={(row) => row.id}
          maxHeight={560}
          empty={
            <Text size="sm" c="dimmed">
              No administrator actions match these filters.
            </Text>
          }
        />
      )}
      <LoadMore list={log} />
      <RecordDetails record={open} onClose={() => setOpen(undefined)} />
    </Stack>
  );
}
