import { BarChart } from "@mantine/charts";
import {
  Anchor,
  Group,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import "@mantine/charts/styles.css";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "wouter";
import { api, queryString } from "../api/client.js";
import { useSignedIn } from "../api/session.js";
import { RefusalBanner } from "../components/refusal.js";
import {
  type ActivityDay,
  AUTH_RESULTS,
  type AuthenticationActivity,
  type AuthResult,
} from "./auth-log-api.js";
import { RESULT_LABELS } from "./auth-log-words.js";

/** Each result's colour (Mantine's palette); the bars stack in AUTH_RESULTS' order, allowed at the bottom. */
const COLOURS: Record<AuthResult, string> = {
  success: "teal.6",
  denied: "red.6",
  error: "orange.5",
  fraud: "grape.7",
};

/** How the summary counts each result: "3 allowed, 1 denied, 0 errors, 0 reported as fraud". */
const SUMMARY_WORDS: Record<AuthResult, string> = {
  success: "allowed",
  denied: "denied",
  error: "errors",
  fraud: "reported as fraud",
};

function dayLabel(date: string, style: "short" | "long"): string {
  // Noon: the day stays the day in any time zone the browser formats it in.
  const noon = new Date(`${date}T12:00:00`);
  return style === "short"
    ? `${noon.toLocaleDateString(undefined, { weekday: "short" })} ${noon.getDate()}`
    : noon.toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long" });
}

/**
 * The bars: one stacked column per day, drawn by Mantine's charts (Recharts). To a screen reader
 * the drawing is one image named by the card's title and summary; the numbers are in the table.
 */
function Bars({ days, labelledBy }: { days: ActivityDay[]; labelledBy: string }) {
  return (
    <div role="img" aria-labelledby={labelledBy} data-testid="activity-chart">
      <BarChart
        h={220}
        data={days.map((day) => ({ day: dayLabel(day.date, "short"), ...day }))}
        dataKey="day"
        type="stacked"
        series={AUTH_RESULTS.map((result) => ({
          name: result,
          label: RESULT_LABELS[result],
          color: COLOURS[result],
        }))}
        withLegend
        legendProps={{ verticalAlign: "bottom" }}
        tickLine="y"
        yAxisProps={{ allowDecimals: false }}
        barChartProps={{ accessibilityLayer: false }}
      />
    </div>
  );
}

/** The same numbers as a table, for screen readers (the drawing is one image to them). */
function ActivityTable({ days }: { days: ActivityDay[] }) {
  return (
    <VisuallyHidden>
      <Table>
        <caption>Authentication attempts by day and result</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Day</Table.Th>
            {AUTH_RESULTS.map((result) => (
              <Table.Th key={result} scope="col">
                {RESULT_LABELS[result]}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {days.map((day) => (
            <Table.Tr key={day.date}>
              <Table.Th scope="row">{dayLabel(day.date, "long")}</Table.Th>
              {AUTH_RESULTS.map((result) => (
                <Table.Td key={result}>{day[result]}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </VisuallyHidden>
  );
}

/**
 * The Dashboard's authentication activity (R-AUTH-4): the last seven days' attempts by result, as
 * stacked bars with a legend, and the numbers as a table for screen readers. Shown only to viewers of the Authentication Log
 * (R-ROLE-3), and counted within a restricted admin's units (R-UNIT-8g) by the server.
 */
export default function AuthenticationActivityCard() {
  const { account_id } = useSignedIn();
  const titleId = useId();
  const summaryId = useId();
  // Days end at the viewer's midnight: minutes east of UTC.
  const utcOffset = -new Date().getTimezoneOffset();
  const activity = useQuery({
    queryKey: ["dashboard", account_id, "authentication-activity", utcOffset],
    queryFn: () =>
      api.get<AuthenticationActivity>(
        `/dashboard/authentication-activity${queryString({ utc_offset: utcOffset })}`,
      ),
  });
  const days = activity.data?.days;
  const totals = Object.fromEntries(
    AUTH_RESULTS.map((result) => [result, (days ?? []).reduce((sum, day) => sum + day[result], 0)]),
  ) as Record<AuthResult, number>;
  const total = AUTH_RESULTS.reduce((sum, result) => sum + totals[result], 0);
  const summary = `Last 7 days: ${AUTH_RESULTS.map((result) => `${totals[result]} ${SUMMARY_WORDS[result]}`).join(", ")}.`;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Group justify="space-between" align="baseline">
          <Title order={3} size="h4" id={titleId}>
            Authentication activity
          </Title>
          <Anchor component={Link} href="/reports/authentication-log" size="sm">
            Open the Authentication Log
          </Anchor>
        </Group>
        {activity.isError ? (
          <RefusalBanner error={activity.error} title="The activity could not be read" />
        ) : !days ? (
          <Skeleton height={220} />
        ) : (
          <>
            <Text size="sm" id={summaryId} data-testid="activity-summary">
              {summary}
            </Text>
            {total === 0 ? (
              <Text size="sm" c="dimmed">
                No login attempts in the last 7 days.
              </Text>
            ) : (
              <>
                <Bars days={days} labelledBy={`${titleId} ${summaryId}`} />
                <ActivityTable days={days} />
              </>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
