import { Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMemo, useState } from "react";
import { rowsOf, usePagedList } from "../api/pages.js";
import { useSignedIn } from "../api/session.js";
import { type DataColumn, DataTable } from "../components/data-table.js";
import { LoadMore } from "../components/load-more.js";
import { RefusalBanner } from "../components/refusal.js";
import {
  type DayRange,
  rangeError,
  rangeTimes,
  type TelephonyContext,
  type TelephonyRecord,
} from "./auth-log-api.js";
import { CONTEXT_LABELS } from "./auth-log-words.js";
import { DayRangeFields, ReportHeader } from "./report-parts.js";

interface Filters extends DayRange {
  user: string;
  context: string;
}
const NO_FILTERS: Filters = { from: "", to: "", user: "", context: "" };
const PAGE_SIZE = 50;
const CONTEXTS = Object.keys(CONTEXT_LABELS) as TelephonyContext[];

function apiFilter(filters: Filters): Record<string, string | undefined> {
  return {
    ...(rangeError(filters) ? {} : rangeTimes(filters)),
    user: filters.user.trim() || undefined,
    context: filters.context || undefined,
  };
}

const COLUMNS: DataColumn<TelephonyRecord>[] = [
  {
    id: "time",
    header: "Time",
    width: "170px",
    cell: (row) => <Text size="sm">{new Date(row.created_at).toLocaleString()}</Text>,
  },
  { id: "type", header: "Type", cell: (row) => (row.type === "sms" ? "SMS" : row.type) },
  { id: "context", header: "Sent for", cell: (row) => CONTEXT_LABELS[row.context] ?? row.context },
  { id: "phone", header: "Phone", cell: (row) => <Text size="sm">{row.phone}</Text> },
  {
    id: "user",
    header: "User",
    cell: (row) =>
      row.user ? (
        <Text size="sm">{row.user.username ?? `${row.user.id} (deleted)`}</Text>
      ) : (
        <Text size="sm" c="dimmed">
          None
        </Text>
      ),
  },
  { id: "credits", header: "Credits", align: "right", cell: (row) => row.credits },
];

/**
 * The Telephony Log: every SMS Gatehouse sent, with the credits it used, newest first; filters by
 * time, user and what it was sent for; the same as a CSV download (R-REP-1). A restricted admin
 * sees the messages of users in their units (R-UNIT-8g); an Application Manager no full number
 * (R-ROLE-3).
 */
export default function TelephonyLogPage() {
  const session = useSignedIn();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [debounced] = useDebouncedValue(filters, 400);
  const filter = apiFilter(debounced);
  const log = usePagedList<TelephonyRecord>(
    ["telephony-log", session.account_id, filter],
    "/telephony-log",
    { ...filter, limit: PAGE_SIZE },
    { keepPrevious: true },
  );
  const rows = useMemo(() => rowsOf(log.data), [log.data]);

  return (
    <Stack gap="lg">
      <ReportHeader title="Telephony Log" csvPath="/telephony-log.csv" filter={filter}>
        <Text size="sm" c="dimmed">
          Every text message sent to your users, and the credits it used.
        </Text>
      </ReportHeader>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
        <DayRangeFields
          range={filters}
          onChange={(range) => setFilters((f) => ({ ...f, ...range }))}
        />
        <TextInput
          label="User"
          placeholder="Username or user id"
          value={filters.user}
          onChange={(event) => {
            const user = event.currentTarget.value;
            setFilters((current) => ({ ...current, user }));
          }}
        />
        <Select
          label="Sent for"
          placeholder="Anything"
          data={CONTEXTS.map((value) => ({ value, label: CONTEXT_LABELS[value] }))}
          value={filters.context || null}
          onChange={(context) => setFilters((current) => ({ ...current, context: context ?? "" }))}
          clearable
          comboboxProps={{ withinPortal: true }}
        />
      </SimpleGrid>
      {log.isError ? (
        <RefusalBanner error={log.error} title="The Telephony Log could not be read" />
      ) : (
        <DataTable
          label="Text messages sent"
          columns={COLUMNS}
          rows={rows}
          rowKey={(row) => row.id}
          maxHeight={560}
          empty={
            <Text size="sm" c="dimmed">
              No messages match these filters.
            </Text>
          }
        />
      )}
      <LoadMore list={log} />
    </Stack>
  );
}
