import { Paper, Stack, Table, Text, Title } from "@mantine/core";
import { RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import { plural } from "./policies-api.js";

/** The answer of POST /api/policies/:key/impact (src/domain/policies/impact.ts). */
export interface PolicyImpact {
  days: number;
  attempts: number;
  changed_attempts: number;
  changes: {
    application: { id: string; name: string };
    user: { id: string | null; username: string };
    before: Outcome;
    after: Outcome;
    attempts: number;
    last_attempt_at: string;
  }[];
}

type Outcome = "denied" | "must enroll" | "no second factor" | "second factor";

const OUTCOME_WORDS: Readonly<Record<Outcome, string>> = {
  denied: "Denied",
  "must enroll": "Must set up a device",
  "no second factor": "Let in without a second factor",
  "second factor": "Asked for a second factor",
};

/**
 * R-POL-3: what the change being edited would do to the logins of the last days, before it is
 * saved: who would come out differently, on which application, and how many of their attempts.
 */
export function PolicyImpactPreview({
  impact,
  error,
}: {
  impact: PolicyImpact | undefined;
  error: unknown;
}) {
  if (error) return <RefusalBanner error={error} title="The impact could not be worked out" />;
  if (impact === undefined) return null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="policy-impact">
      <Stack gap="sm">
        <Title order={3} id="policy-impact">
          Impact of this change
        </Title>
        <Text size="sm">
          <Explained rules={["R-POL-3"]}>
            {impact.attempts === 0
              ? `Nobody logged in to the applications this policy decides in the last ${impact.days} days, so there is nothing to compare.`
              : impact.changed_attempts === 0
                ? `None of the ${plural(impact.attempts, "login")} of the last ${impact.days} days would go differently.`
                : `${plural(impact.changed_attempts, "login")} of the ${impact.attempts.toLocaleString()} in the last ${impact.days} days would go differently, decided on the users as they are now.`}
          </Explained>
        </Text>
        <ImpactTable changes={impact.changes} />
      </Stack>
    </Paper>
  );
}

/** Who would come out (or came out) differently: by application and user, before and after. */
export function ImpactTable({ changes }: { changes: PolicyImpact["changes"] }) {
  if (changes.length === 0) return null;
  return (
    <Table aria-label="Who would come out differently" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Application</Table.Th>
          <Table.Th>User</Table.Th>
          <Table.Th>Before</Table.Th>
          <Table.Th>After the change</Table.Th>
          <Table.Th style={{ textAlign: "right" }}>Logins</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((row) => (
          <Table.Tr key={`${row.application.id} ${row.user.id ?? row.user.username} ${row.before}`}>
            <Table.Td>{row.application.name}</Table.Td>
            <Table.Td>{row.user.username}</Table.Td>
            <Table.Td>{OUTCOME_WORDS[row.before]}</Table.Td>
            <Table.Td>{OUTCOME_WORDS[row.after]}</Table.Td>
            <Table.Td style={{ textAlign: "right" }}>{row.attempts.toLocaleString()}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
