import { Group, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconAlertTriangle, IconCircleCheck, IconCircleX, IconShieldX } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useMemo, useState } from "react";
import { useDecision } from "../api/decisions.js";
import { fetchEvery, rowsOf, usePagedList } from "../api/pages.js";
import { useSignedIn } from "../api/session.js";
import { type DataColumn, DataTable } from "../components/data-table.js";
import { LoadMore } from "../components/load-more.js";
import { RefusalBanner } from "../components/refusal.js";
import { RuleLinks } from "../components/rule-link.js";
import type { Application } from "./application-api.js";
import {
  AUTH_RESULTS,
  type AuthLogRecord,
  type AuthResult,
  type DayRange,
  rangeError,
  rangeTimes,
} from "./auth-log-api.js";
import {
  FILTER_FACTORS,
  factorLabel,
  outcomeWords,
  RESULT_LABELS,
  reasonRules,
} from "./auth-log-words.js";
import { DayRangeFields, ReportHeader } from "./report-parts.js";

interface Filters extends DayRange {
  user: string;
  application: string;
  result: string;
  factor: string;
}
const NO_FILTERS: Filters = { from: "", to: "", user: "", application: "", result: "", factor: "" };
const PAGE_SIZE = 50;
/** Pickers list the viewer's applications up to this many pages of the server's largest page. */
const MAX_APPLICATION_PAGES = 4;

const RESULT_ICONS: Record<AuthResult, ReactNode> = {
  success: <IconCircleCheck size={18} color="var(--mantine-color-teal-8)" aria-hidden />,
  denied: <IconCircleX size={18} color="var(--mantine-color-red-8)" aria-hidden />,
  error: <IconAlertTriangle size={18} color="var(--mantine-color-orange-8)" aria-hidden />,
  fraud: <IconShieldX size={18} color="var(--mantine-color-grape-8)" aria-hidden />,
};

function apiFilter(filters: Filters): Record<string, string | undefined> {
  const user = filters.user.trim();
  return {
    ...(rangeError(filters) ? {} : rangeTimes(filters)),
    user: user || undefined,
    application: filters.application || undefined,
    result: filters.result || undefined,
    factor: filters.factor || undefined,
  };
}

/** The applications the viewer may see, for the filter (none asked when the engine says no). */
function useApplicationChoices() {
  const { account_id } = useSignedIn();
  const allowed = useDecision({ action: "applications:view" }).data?.allow === true;
  return useQuery({
    queryKey: ["applications", account_id, "report-choices"],
    queryFn: () => fetchEvery<Application>("/applications", {}, MAX_APPLICATION_PAGES),
    enabled: allowed,
  });
}

function Outcome({ record }: { record: AuthLogRecord }) {
  return (
    <Group gap={6} wrap="nowrap" align="flex-start">
      {/* The icon keeps its size beside a sentence that wraps. */}
      <span style={{ flex: "none", display: "inline-flex", paddingTop: 1 }}>
        {RESULT_ICONS[record.result]}
      </span>
      <Text size="sm">
        {outcomeWords(record)}{" "}
        <span style={{ whiteSpace: "nowrap" }}>
          <RuleLinks ids={reasonRules(record.reason)} />
        </span>
      </Text>
    </Group>
  );
}

const COLUMNS: DataColumn<AuthLogRecord>[] = [
  {
    id: "time",
    header: "Time",
    width: "165px",
    cell: (row) => <Text size="sm">{new Date(row.created_at).toLocaleString()}</Text>,
  },
  { id: "outcome", header: "Result", width: "30%", cell: (row) => <Outcome record={row} /> },
  {
    id: "user",
    header: "User",
    cell: (row) => (
      <div>
        <Text size="sm">{row.user.username}</Text>
        {row.user.id === null ? (
          <Text size="xs" c="dimmed">
            Unknown user
          </Text>
        ) : row.user.groups.length > 0 ? (
          <Text size="xs" c="dimmed">
            {row.user.groups.join(", ")}
          </Text>
        ) : null}
      </div>
    ),
  },
  {
    id: "application",
    header: "Application",
    cell: (row) =>
      row.application ? (
        <Text size="sm">{row.application.name}</Text>
      ) : (
        <Text size="sm" c="dimmed">
          {row.event_type === "enrollment" ? "Enrollment link" : "None"}
        </Text>
      ),
  },
  {
    id: "factor",
    header: "Factor",
    cell: (row) => <Text size="sm">{factorLabel(row.factor)}</Text>,
  },
  {
    id: "access",
    header: "Access device",
    cell: (row) => (
      <Text size="sm">
        {[row.access_device.ip, row.access_device.hostname].filter(Boolean).join(" · ") || "—"}
      </Text>
    ),
  },
  {
    id: "device",
    header: "Device used",
    cell: (row) => <Text size="sm">{row.auth_device?.name ?? "—"}</Text>,
  },
];

/**
 * The Authentication Log (R-AUTH-4): every attempt, allowed or denied, newest first, more on
 * request (keyset paging); filters by time, user, application, result and factor; each result and
 * reason in words; the same filter as a CSV download (R-REP-1). A restricted admin's list holds
 * only events of users in their units' groups or of their units' applications (R-UNIT-8g).
 */
export default function AuthenticationLogPage() {
  const session = useSignedIn();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [debounced] = useDebouncedValue(filters, 400);
  const set = (key: keyof Filters) => (value: string | null) =>
    setFilters((current) => ({ ...current, [key]: value ?? "" }));
  const filter = apiFilter(debounced);
  const log = usePagedList<AuthLogRecord>(
    ["authentication-log", session.account_id, filter],
    "/authentication-log",
    { ...filter, limit: PAGE_SIZE },
    { keepPrevious: true },
  );
  const rows = useMemo(() => rowsOf(log.data), [log.data]);
  const applications = useApplicationChoices();

  return (
    <Stack gap="lg">
      <ReportHeader title="Authentication Log" csvPath="/authentication-log.csv" filter={filter}>
        <Text size="sm" c="dimmed">
          Every login attempt through your protected applications, allowed or denied.
        </Text>
      </ReportHeader>
      <SimpleGrid cols={{ base: 1, sm: 3, lg: 6 }} spacing="sm">
        <DayRangeFields
          range={filters}
          onChange={(range) => setFilters((f) => ({ ...f, ...range }))}
        />
        <TextInput
          label="User"
          placeholder="Username or user id"
          value={filters.user}
          onChange={(event) => set("user")(event.currentTarget.value)}
        />
        <Select
          label="Application"
          placeholder={applications.isError ? "Not available" : "Any application"}
          data={(applications.data ?? []).map((app) => ({ value: app.id, label: app.name }))}
          value={filters.application || null}
          onChange={set("application")}
          disabled={!applications.data}
          searchable
          clearable
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label="Result"
          placeholder="Any result"
          data={AUTH_RESULTS.map((value) => ({ value, label: RESULT_LABELS[value] }))}
          value={filters.result || null}
          onChange={set("result")}
          clearable
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label="Factor"
          placeholder="Any factor"
          data={FILTER_FACTORS.map((value) => ({ value, label: factorLabel(value) }))}
          value={filters.factor || null}
          onChange={set("factor")}
          clearable
          comboboxProps={{ withinPortal: true }}
        />
      </SimpleGrid>
      {log.isError ? (
        <RefusalBanner error={log.error} title="The Authentication Log could not be read" />
      ) : (
        <DataTable
          label="Authentication attempts"
          columns={COLUMNS}
          rows={rows}
          rowKey={(row) => row.id}
          maxHeight={560}
          empty={
            <Text size="sm" c="dimmed">
              No authentication attempts match these filters.
            </Text>
          }
        />
      )}
      <LoadMore list={log} />
    </Stack>
  );
}
