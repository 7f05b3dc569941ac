import { Button, Group, TextInput, Title } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { queryString } from "../api/client.js";
import { type DayRange, rangeError } from "./auth-log-api.js";

/** A report's title with its "Export CSV" link: the same filter as the table, as a download (R-REP-1). */
export function ReportHeader({
  title,
  csvPath,
  filter,
  children,
}: {
  title: string;
  csvPath: string;
  filter: Record<string, string | undefined>;
  children?: ReactNode;
}) {
  return (
    <Group justify="space-between" align="flex-end">
      <div>
        <Title order={2}>{title}</Title>
        {children}
      </div>
      <Button
        component="a"
        href={`/api${csvPath}${queryString(filter)}`}
        download
        variant="default"
        leftSection={<IconDownload size={16} aria-hidden />}
      >
        Export CSV
      </Button>
    </Group>
  );
}

/** "From" and "To" as two date fields; a "To" before "From" says so beside it. */
export function DayRangeFields({
  range,
  onChange,
}: {
  range: DayRange;
  onChange: (range: DayRange) => void;
}) {
  return (
    <>
      <TextInput
        label="From"
        type="date"
        value={range.from}
        onChange={(event) => onChange({ ...range, from: event.currentTarget.value })}
      />
      <TextInput
        label="To"
        type="date"
        value={range.to}
        error={rangeError(range)}
        onChange={(event) => onChange({ ...range, to: event.currentTarget.value })}
      />
    </>
  );
}
